import { expect } from 'vitest';
import type { HostOptions } from '../../../source/cli/host-server.js';
import { startMetricsHttp, type MetricsEndpoint } from '../../../source/operating/metrics-http.js';
import {
	PrometheusMetrics,
	type PrometheusMetricsOptions,
} from '../../../source/operating/prometheus-metrics.js';
import { chatFixture } from '../../helpers/chat-fixture.js';

/** One scrape: every sample by its name and labels, as Prometheus would read them. */
export class Scrape {
	readonly #samples = new Map<string, number>();

	constructor(readonly text: string) {
		for (const line of text.split('\n')) {
			if (line === '' || line.startsWith('#')) continue;
			const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
			if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
			const labels = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)]
				.map(([, name, value]) => [name!, value!] as const)
				.sort(([a], [b]) => a.localeCompare(b));
			this.#samples.set(key(match[1]!, Object.fromEntries(labels)), Number(match[3]));
		}
	}

	/** The sample's value; undefined when the scrape has no such sample. */
	get(name: string, labels: Record<string, string> = {}): number | undefined {
		return this.#samples.get(key(name, labels));
	}

	/** The sample's value, 0 when absent (a labelled counter appears at its first count). */
	count(name: string, labels: Record<string, string> = {}): number {
		return this.get(name, labels) ?? 0;
	}
}

function key(name: string, labels: Record<string, string>): string {
	const parts = Object.keys(labels)
		.sort()
		.map((label) => `${label}="${labels[label]}"`);
	return `${name}{${parts.join(',')}}`;
}

export async function scrape(endpoint: MetricsEndpoint): Promise<Scrape> {
	const response = await fetch(endpoint.url);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
	return new Scrape(await response.text());
}

export async function healthz(
	endpoint: MetricsEndpoint,
): Promise<{ readonly status: number; readonly text: string }> {
	const response = await fetch(endpoint.url.replace(/\/metrics$/, '/healthz'));
	return { status: response.status, text: await response.text() };
}

/** A chat fixture whose server reports to prom-client, with its endpoint on a free port. */
export async function meteredChat(
	options: Partial<HostOptions> = {},
	metricsOptions: PrometheusMetricsOptions = {},
) {
	const metrics = new PrometheusMetrics(metricsOptions);
	const endpoint = await startMetricsHttp({ host: '127.0.0.1', port: 0 }, metrics);
	const chat = await chatFixture({ ...options, instruments: metrics, storageInstruments: metrics });
	return {
		...chat,
		metrics,
		endpoint,
		async close() {
			await chat.close();
			await endpoint.close();
		},
	};
}
