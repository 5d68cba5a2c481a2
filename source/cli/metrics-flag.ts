import type { RunningServer } from '../server/chat-server.js';
import { hostServer, type HostOptions } from './host-server.js';

export type HostedServer = {
	/** Its close() also stops the metrics endpoint. */
	readonly server: RunningServer;
	/** http://host:port/metrics with `--metrics`. */
	readonly metricsUrl: string | undefined;
};

/**
 * Hosts a server and, with `--metrics HOST:PORT`, its metrics and health endpoint. The endpoint
 * listens first, so a bad or busy address is refused before the data folder is touched.
 */
export async function hostWithMetrics(
	options: HostOptions,
	metricsFlag: string | undefined,
): Promise<HostedServer> {
	if (metricsFlag === undefined)
		return { server: await hostServer(options), metricsUrl: undefined };
	// Loaded only here: without --metrics, prom-client is never loaded.
	const [{ parseMetricsAddress, startMetricsHttp }, { PrometheusMetrics }] = await Promise.all([
		import('../operating/metrics-http.js'),
		import('../operating/prometheus-metrics.js'),
	]);
	const address = parseMetricsAddress(metricsFlag);
	const metrics = new PrometheusMetrics();
	const endpoint = await startMetricsHttp(address, metrics);
	let server: RunningServer;
	try {
		server = await hostServer({ ...options, instruments: metrics, storageInstruments: metrics });
	} catch (error) {
		await endpoint.close();
		throw error;
	}
	const closeServer = server.close.bind(server);
	// Assigned, not spread: the server's getters (connections) must stay live.
	return {
		server: Object.assign(server, { close: () => closeServer().finally(() => endpoint.close()) }),
		metricsUrl: endpoint.url,
	};
}
