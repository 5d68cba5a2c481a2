import { afterEach, describe, expect, it } from 'vitest';
import { CachedReading } from '../../source/operating/cached-reading.js';
import {
	MetricsAddressError,
	parseMetricsAddress,
	startMetricsHttp,
	type MetricsEndpoint,
	type MetricsSource,
} from '../../source/operating/metrics-http.js';

const endpoints: MetricsEndpoint[] = [];
afterEach(async () => {
	for (const endpoint of endpoints.splice(0)) await endpoint.close();
});

describe('parseMetricsAddress', () => {
	it('takes HOST:PORT and [IPv6]:PORT', () => {
		expect(parseMetricsAddress('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
		expect(parseMetricsAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
		expect(parseMetricsAddress('metrics.internal:80')).toEqual({
			host: 'metrics.internal',
			port: 80,
		});
	});

	it('refuses anything else with one clear line', () => {
		for (const text of [
			'',
			'9464',
			':9464',
			'host:',
			'host:65536',
			'http://h:1',
			'a b:1',
			'::1:9',
		]) {
			expect(() => parseMetricsAddress(text)).toThrow(MetricsAddressError);
			expect(() => parseMetricsAddress(text)).toThrow(
				/^--metrics takes HOST:PORT to serve \/metrics and \/healthz on \(e\.g\. 127\.0\.0\.1:9464\), not ".*"$/,
			);
		}
	});
});

describe('the metrics endpoint', () => {
	const source = (health = { healthy: true, reason: '' }): MetricsSource => ({
		text: async () => '# HELP up Whether.\n# TYPE up gauge\nup 1\n',
		contentType: 'text/plain; version=0.0.4; charset=utf-8',
		health: () => health,
	});

	async function start(from: MetricsSource): Promise<MetricsEndpoint> {
		const endpoint = await startMetricsHttp({ host: '127.0.0.1', port: 0 }, from);
		endpoints.push(endpoint);
		return endpoint;
	}

	it('answers only GET (and HEAD) on /metrics and /healthz', async () => {
		const endpoint = await start(source());
		const base = endpoint.url.replace(/\/metrics$/, '');
		const metrics = await fetch(endpoint.url);
		expect(metrics.status).toBe(200);
		expect(await metrics.text()).toBe('# HELP up Whether.\n# TYPE up gauge\nup 1\n');
		expect((await fetch(`${endpoint.url}?x=1`)).status).toBe(200);
		expect((await fetch(endpoint.url, { method: 'HEAD' })).status).toBe(200);
		const post = await fetch(endpoint.url, { method: 'POST', body: 'x' });
		expect(post.status).toBe(405);
		expect(post.headers.get('allow')).toBe('GET, HEAD');
		const missing = await fetch(`${base}/`);
		expect(missing.status).toBe(404);
		expect(await missing.text()).toBe('not found: try /metrics or /healthz\n');
	});

	it('puts the reason of a 503 on one line', async () => {
		const endpoint = await start(source({ healthy: false, reason: 'disk full\r\nreally' }));
		const response = await fetch(endpoint.url.replace(/\/metrics$/, '/healthz'));
		expect(response.status).toBe(503);
		expect(await response.text()).toBe('unhealthy: disk full really\n');
	});

	it('answers 500 when the metrics cannot be collected', async () => {
		const endpoint = await start({ ...source(), text: () => Promise.reject(new Error('boom')) });
		const response = await fetch(endpoint.url);
		expect(response.status).toBe(500);
		expect(await response.text()).toBe('cannot collect the metrics: boom\n');
	});

	it('refuses an address it cannot listen on in one line', async () => {
		const endpoint = await start(source());
		await expect(
			startMetricsHttp({ host: '127.0.0.1', port: endpoint.port }, source()),
		).rejects.toThrow(
			new MetricsAddressError(
				`the metrics port 127.0.0.1:${endpoint.port} is already in use; pick another with --metrics`,
			),
		);
		await expect(startMetricsHttp({ host: '192.0.2.1', port: 0 }, source())).rejects.toThrow(
			/^cannot serve metrics on 192\.0\.2\.1:0 \(EADDRNOTAVAIL\); pick another address with --metrics$/,
		);
	});
});

describe('CachedReading', () => {
	it('runs one read for many callers, and no new one before maxAgeMs', async () => {
		let now = 0;
		let reads = 0;
		const reading = new CachedReading(
			async () => ++reads,
			5000,
			1000,
			() => now,
		);
		const values = await Promise.all(Array.from({ length: 50 }, () => reading.read()));
		expect(values.every((value) => value === 1)).toBe(true);
		now = 4999;
		expect(await reading.read()).toBe(1);
		now = 10_000;
		expect(await reading.read()).toBe(2);
		expect(reads).toBe(2);
	});

	it('keeps the last value when a read fails or is slow', async () => {
		let now = 0;
		let behave: 'ok' | 'fail' | 'hang' = 'ok';
		const reading = new CachedReading(
			() => {
				if (behave === 'fail') return Promise.reject(new Error('database gone'));
				if (behave === 'hang') return new Promise<number>(() => undefined);
				return Promise.resolve(7);
			},
			0,
			50,
			() => now++,
		);
		expect(await reading.read()).toBe(7);
		behave = 'fail';
		expect(await reading.read()).toBe(7);
		behave = 'hang';
		expect(await reading.read()).toBe(7);
	});
});
