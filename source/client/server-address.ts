import { isIP } from 'node:net';
import { defaultPort } from '../protocol/frame.js';

export { defaultPort };
export const defaultServer = `127.0.0.1:${defaultPort}`;

/** Where a server is: plain TCP, or TLS for `tls://` addresses. */
export type ServerAddress = {
	readonly host: string;
	readonly port: number;
	readonly tls: boolean;
	/** `host:port` (IPv6 hosts bracketed): the key a session is stored under. */
	readonly key: string;
};

export class ServerAddressError extends Error {
	override readonly name = 'ServerAddressError';
}

const hostPattern = /^[A-Za-z0-9.-]+$/;
const portPattern = /^\d{1,5}$/;

/** Reads `host`, `host:port`, `[v6]:port`, each optionally prefixed by `tcp://` or `tls://`. */
export function parseServerAddress(text: string): ServerAddress {
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
