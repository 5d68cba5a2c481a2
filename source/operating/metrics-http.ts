import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StorageHealth } from './prometheus-metrics.js';
import { reasonOf } from '../domain/error-reason.js';

/** Where `--metrics` listens. */
export type MetricsAddress = { readonly host: string; readonly port: number };

/** What the endpoint serves: the Prometheus text and the storage's health. */
export interface MetricsSource {
	text(): Promise<string>;
	readonly contentType: string;
	health(): StorageHealth;
}

export type MetricsEndpoint = {
	readonly host: string;
	readonly port: number;
	/** http://host:port/metrics */
	readonly url: string;
	close(): Promise<void>;
};

/** A `--metrics` value that is not HOST:PORT, or an address that cannot be listened on. */
export class MetricsAddressError extends Error {
	override readonly name = 'MetricsAddressError';
}

const addressPattern = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]/]+)):(\d{1,5})$/;

/** `HOST:PORT` or `[IPv6]:PORT`; port 0 takes a free one. */
export function parseMetricsAddress(text: string): MetricsAddress {
	const match = addressPattern.exec(text.trim());
	const port = Number(match?.[3]);
	if (!match || port > 65535) {
		throw new MetricsAddressError(
			`--metrics takes HOST:PORT to serve /metrics and /healthz on (e.g. 127.0.0.1:9464), not "${text.slice(0, 60)}"`,
		);
	}
	return { host: match[1] ?? match[2]!, port };
}

/**
 * A plain HTTP server for Prometheus and health checks: `GET /metrics` (the text exposition)
 * and `GET /healthz` (200 while storage takes writes, else 503 with the reason in one line).
 */
export async function startMetricsHttp(
	address: MetricsAddress,
	source: MetricsSource,
): Promise<MetricsEndpoint> {
	const server = createServer((request, response) => void answer(request, response, source));
	// A scraper that stalls is cut; nothing here is worth holding a socket for.
	server.requestTimeout = 10_000;
	server.headersTimeout = 10_000;
	server.keepAliveTimeout = 5_000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			const where = `${address.host}:${address.port}`;
			reject(
				new MetricsAddressError(
					error.code === 'EADDRINUSE'
						? `the metrics port ${where} is already in use; pick another with --metrics`
						: `cannot serve metrics on ${where} (${error.code ?? error.message}); pick another address with --metrics`,
				),
			);
		});
		server.listen(address.port, address.host, () => resolve());
	});
	const { address: host, port } = server.address() as AddressInfo;
	const urlHost = host.includes(':') ? `[${host}]` : host;
	let closing: Promise<void> | undefined;
	return {
		host,
		port,
		url: `http://${urlHost}:${port}/metrics`,
		close() {
			closing ??= new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			return closing;
		},
	};
}

async function answer(
	request: IncomingMessage,
	response: ServerResponse,
	source: MetricsSource,
): Promise<void> {
	const path = (request.url ?? '/').split('?')[0];
	if (path !== '/metrics' && path !== '/healthz') {
		return plain(response, 404, 'not found: try /metrics or /healthz');
	}
	if (request.method !== 'GET' && request.method !== 'HEAD') {
		response.setHeader('Allow', 'GET, HEAD');
		return plain(response, 405, `${path} answers GET only`);
	}
	if (path === '/healthz') {
		const { healthy, reason } = source.health();
		return healthy ? plain(response, 200, 'ok') : plain(response, 503, `unhealthy: ${reason}`);
	}
	try {
		const text = await source.text();
		response.writeHead(200, { 'Content-Type': source.contentType });
		response.end(request.method === 'HEAD' ? undefined : text);
	} catch (error) {
		plain(response, 500, `cannot collect the metrics: ${reasonOf(error)}`);
	}
}

function plain(response: ServerResponse, status: number, text: string): void {
	response.writeHead(status, {
		'Content-Type': 'text/plain; charset=utf-8',
		'Cache-Control': 'no-store',
	});
	response.end(`${text.replace(/[\r\n]+/g, ' ')}\n`);
}
