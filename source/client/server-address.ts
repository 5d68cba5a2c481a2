import { isIP } from 'node:net';
import { defaultPort } from '../protocol/frame.js';

export { defaultPort };
export const defaultServer = `127.0.0.1:${defaultPort}`;

/** One node's host and port. */
export type Endpoint = { readonly host: string; readonly port: number };

/**
 * Where a server is: plain TCP, or TLS for `tls://` addresses. A cluster may be given as several
 * nodes (`a:5674,b:5674`): `host` and `port` are the first, and the client moves to the next one
 * when a node cannot be reached.
 */
export type ServerAddress = {
	readonly host: string;
	readonly port: number;
	readonly tls: boolean;
	/** `host:port` (IPv6 hosts bracketed), comma-separated for several: the key a session is stored under. */
	readonly key: string;
	/** Every node, in the order given; the first is host:port. */
	readonly endpoints: readonly Endpoint[];
};

export class ServerAddressError extends Error {
	override readonly name = 'ServerAddressError';
}

const hostPattern = /^[A-Za-z0-9.-]+$/;
const portPattern = /^\d{1,5}$/;

/**
 * Reads `host`, `host:port`, `[v6]:port`, each optionally prefixed by `tcp://` or `tls://`, or a
 * comma-separated list of them (one cluster: all plain or all TLS).
 */
export function parseServerAddress(text: string): ServerAddress {
	const parts = text.split(',').map((part) => part.trim());
	if (parts.length > 1 && parts.some((part) => part === '')) {
		throw new ServerAddressError(`"${text}" has an empty server address between commas`);
	}
	const nodes = parts.map(parseOne);
	const first = nodes[0]!;
	if (nodes.some((node) => node.tls !== first.tls)) {
		throw new ServerAddressError(`"${text}" mixes tls:// and plain addresses: use one kind`);
	}
	return {
		...first,
		key: nodes.map((node) => node.key).join(','),
		endpoints: nodes.map(({ host, port }) => ({ host, port })),
	};
}

/** The address of one of its endpoints, as Connection.open takes it. */
export function atEndpoint(address: ServerAddress, index: number): ServerAddress {
	const endpoint = address.endpoints[index % address.endpoints.length] ?? address;
	const shownHost = isIP(endpoint.host) === 6 ? `[${endpoint.host}]` : endpoint.host;
	return { ...address, ...endpoint, key: `${shownHost}:${endpoint.port}` };
}

function parseOne(text: string): Omit<ServerAddress, 'endpoints'> {
	const trimmed = text.trim();
	const scheme = /^([a-z]+):\/\//i.exec(trimmed);
	const kind = scheme?.[1]?.toLowerCase() ?? 'tcp';
	if (kind !== 'tcp' && kind !== 'tls') {
		throw new ServerAddressError(`unknown scheme "${kind}://" in "${text}": use tls:// or none`);
	}
	const rest = trimmed.slice(scheme?.[0].length ?? 0);
	const { host, port } = splitHostPort(rest, text);
	const shownHost = isIP(host) === 6 ? `[${host}]` : host;
	return { host, port, tls: kind === 'tls', key: `${shownHost}:${port}` };
}

function splitHostPort(rest: string, original: string): { host: string; port: number } {
	const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
	let host: string;
	let portText: string | undefined;
	if (bracketed) {
		host = bracketed[1]!;
		portText = bracketed[2];
		if (isIP(host) !== 6) throw new ServerAddressError(`"${host}" is not an IPv6 address`);
	} else {
		const colon = rest.lastIndexOf(':');
		host = colon === -1 ? rest : rest.slice(0, colon);
		portText = colon === -1 ? undefined : rest.slice(colon + 1);
		if (!hostPattern.test(host)) {
			throw new ServerAddressError(
				`"${original}" is not a server address: write host:port, e.g. ${defaultServer}`,
			);
		}
	}
	if (portText === undefined) return { host, port: defaultPort };
	const port = Number(portText);
	if (!portPattern.test(portText) || port < 1 || port > 65535) {
		throw new ServerAddressError(`"${portText}" in "${original}" is not a port from 1 to 65535`);
	}
	return { host, port };
}
