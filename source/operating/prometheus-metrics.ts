import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServerInstruments, ServerReadings } from '../server/instruments.js';
import type { StorageInstruments } from '../storage/storage-instruments.js';
import { CachedReading } from './cached-reading.js';

export type StorageHealth = { readonly healthy: boolean; readonly reason: string };

export type PrometheusMetricsOptions = {
	/** How long a queue depth read from the store is reused: scrapes never load the database. */
	readonly queueDepthMaxAgeMs?: number;
	/** prom-client's process and Node.js metrics (CPU, memory, event-loop lag…); default on. */
	readonly defaultMetrics?: boolean;
};

const notRunning: StorageHealth = { healthy: false, reason: 'the chat server is not running' };

/**
 * The server's and the storage's instruments, counted with prom-client in a registry of its own
 * (so that several servers in one process, as in the tests, keep apart). Gauges are read from
 * the running server when scraped, so they cannot drift from what they measure.
 */
export class PrometheusMetrics implements ServerInstruments, StorageInstruments {
	readonly registry = new Registry();
	#readings: ServerReadings | undefined;
	readonly #queueDepth: CachedReading;

	readonly #requests = new Counter({
		name: 'korichat_requests_total',
		help: 'Requests answered, by verb (unknown: not a CHAT/1.0 verb; malformed: not a request) and status code.',
		labelNames: ['verb', 'status'] as const,
		registers: [this.registry],
	});
	readonly #stored = new Counter({
		name: 'korichat_messages_stored_total',
		help: 'Messages stored by SEND (a repeated Send-Id stores none).',
		registers: [this.registry],
	});
	readonly #delivered = new Counter({
		name: 'korichat_deliveries_total',
		help: 'Messages pushed to client connections (MSG frames).',
		registers: [this.registry],
	});
	readonly #fsync = new Histogram({
		name: 'korichat_journal_fsync_duration_seconds',
		help: 'Time to write and fsync one group commit of the journal (sql.js store).',
		buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
		registers: [this.registry],
	});
	readonly #groupCommit = new Histogram({
		name: 'korichat_journal_group_commit_records',
		help: 'Journal records written by one fsync (sql.js store): writes that shared a group commit.',
		buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
		registers: [this.registry],
	});
	readonly #journalBytes = new Counter({
		name: 'korichat_journal_bytes_total',
		help: 'Bytes written and fsynced to the journal files (sql.js store); a snapshot is due every --snapshot-after of them.',
		registers: [this.registry],
	});
	readonly #snapshot = new Histogram({
		name: 'korichat_snapshot_duration_seconds',
		help: 'Time to write a snapshot that replaces the journal (sql.js store).',
		buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
		registers: [this.registry],
	});
	readonly #snapshotFailures = new Counter({
		name: 'korichat_snapshot_failures_total',
		help: 'Snapshots that failed (the journal still holds every change, and keeps growing).',
		registers: [this.registry],
	});

	constructor(options: PrometheusMetricsOptions = {}) {
		this.#queueDepth = new CachedReading(
			() => this.#readings?.queueDepth() ?? Promise.resolve(undefined),
			options.queueDepthMaxAgeMs ?? 5000,
		);
		const readings = () => this.#readings;
		const queueDepth = this.#queueDepth;
		new Gauge({
			name: 'korichat_connections',
			help: 'Client connections open on this node.',
			registers: [this.registry],
			collect() {
				this.set(readings()?.connections() ?? 0);
			},
		});
		new Gauge({
			name: 'korichat_logged_in_users',
			help: 'Users with at least one logged-in connection on this node.',
			registers: [this.registry],
			collect() {
				this.set(readings()?.loggedInUsers() ?? 0);
			},
		});
		new Gauge({
			name: 'korichat_queue_depth',
			help: 'Queue entries not yet acknowledged, over every user (read from the store, at most every few seconds).',
			registers: [this.registry],
			async collect() {
				const depth = await queueDepth.read();
				if (depth !== undefined) this.set(depth);
			},
		});
		const health = () => this.health();
		new Gauge({
			name: 'korichat_storage_writable',
			help: '1 while the last storage probe could write (as /healthz says), else 0.',
			registers: [this.registry],
			collect() {
				this.set(health().healthy ? 1 : 0);
			},
		});
		// Event-loop delay sampled every 5 ms (prom-client's default is 10): a stall is read to within
		// 5 ms. Its _max/_p99… gauges cover the time since the previous scrape (prom-client resets them).
		if (options.defaultMetrics ?? true) {
			collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 5 });
		}
	}

	/** The Prometheus text exposition of every metric. */
	text(): Promise<string> {
		return this.registry.metrics();
	}

	get contentType(): string {
		return this.registry.contentType;
	}

	/** Whether storage takes writes, as the server last probed it; unhealthy while no server runs. */
	health(): StorageHealth {
		return this.#readings?.health() ?? notRunning;
	}

	// ServerInstruments ---------------------------------------------------------------------

	serverStarted(readings: ServerReadings): void {
		this.#readings = readings;
	}

	serverStopped(): void {
		this.#readings = undefined;
	}

	requestAnswered(verb: string, status: number): void {
		this.#requests.inc({ verb, status: String(status) });
	}

	messageStored(): void {
		this.#stored.inc();
	}

	messageDelivered(): void {
		this.#delivered.inc();
	}

	// StorageInstruments --------------------------------------------------------------------

	journalFlushed(seconds: number, records: number, bytes: number): void {
		this.#fsync.observe(seconds);
		this.#groupCommit.observe(records);
		this.#journalBytes.inc(bytes);
	}

	snapshotFinished(seconds: number, succeeded: boolean): void {
		if (succeeded) this.#snapshot.observe(seconds);
		else this.#snapshotFailures.inc();
	}
}
