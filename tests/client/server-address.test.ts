import { describe, expect, it } from 'vitest';
import {
	atEndpoint,
	parseServerAddress,
	ServerAddressError,
} from '../../source/client/server-address.js';

describe('parseServerAddress', () => {
	it('reads host:port, and the default port 5674 without one', () => {
		expect(parseServerAddress('chat.example.org:6000')).toEqual({
			host: 'chat.example.org',
			port: 6000,
			tls: false,
			key: 'chat.example.org:6000',
			endpoints: [{ host: 'chat.example.org', port: 6000 }],
		});
		expect(parseServerAddress('localhost')).toMatchObject({ port: 5674, key: 'localhost:5674' });
	});

	it('reads tls:// and tcp:// prefixes', () => {
		expect(parseServerAddress('tls://chat.example.org:7000')).toMatchObject({
			host: 'chat.example.org',
			port: 7000,
			tls: true,
		});
		expect(parseServerAddress('TLS://127.0.0.1')).toMatchObject({ tls: true, port: 5674 });
		expect(parseServerAddress('tcp://127.0.0.1:1')).toMatchObject({ tls: false, port: 1 });
	});

	it('reads bracketed IPv6 addresses', () => {
		expect(parseServerAddress('[::1]:5000')).toEqual({
			host: '::1',
			port: 5000,
			tls: false,
			key: '[::1]:5000',
			endpoints: [{ host: '::1', port: 5000 }],
		});
		expect(parseServerAddress('tls://[fe80::1]')).toMatchObject({ host: 'fe80::1', port: 5674 });
	});

	it('reads a cluster as a comma-separated list of nodes, one session key for all', () => {
		const address = parseServerAddress('a.example:5674, b.example:5675,[::1]');
		expect(address).toMatchObject({ host: 'a.example', port: 5674, tls: false });
		expect(address.key).toBe('a.example:5674,b.example:5675,[::1]:5674');
		expect(address.endpoints).toEqual([
			{ host: 'a.example', port: 5674 },
			{ host: 'b.example', port: 5675 },
			{ host: '::1', port: 5674 },
		]);
		expect(atEndpoint(address, 1)).toMatchObject({ host: 'b.example', key: 'b.example:5675' });
		expect(atEndpoint(address, 3)).toMatchObject({ host: 'a.example', port: 5674 });
		expect(parseServerAddress('tls://a:1,tls://b:2')).toMatchObject({ tls: true });
		expect(() => parseServerAddress('tls://a:1,b:2')).toThrow(/mixes tls/);
		expect(() => parseServerAddress('a:1,,b:2')).toThrow(/empty server address/);
	});

	it.each([
		['127.0.0.1:0', /not a port/],
		['127.0.0.1:65536', /not a port/],
		['127.0.0.1:http', /not a port/],
		['http://127.0.0.1:80', /unknown scheme "http:\/\/"/],
		['', /not a server address/],
		['a b:5', /not a server address/],
		['::1:5000', /not a server address/],
		['[nope]:1', /not an IPv6 address/],
	])('refuses %j with a clear message', (text, message) => {
		expect(() => parseServerAddress(text)).toThrow(ServerAddressError);
		expect(() => parseServerAddress(text)).toThrow(message);
	});
});
