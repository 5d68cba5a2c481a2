import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { RedisBus } from '../../source/cluster/redis-bus.js';
import { silentLinkTimeoutMs } from '../../source/cluster/redis-connection.js';
import type { BusEvent } from '../../source/domain/bus.js';
import { describeMessageBus, listen, type Heard } from '../contracts/message-bus.contract.js';
import { Connections, describeRedis, redisUrlAt, testPrefix, redisPort } from '../helpers/redis.js';
import { TcpRelay } from '../helpers/tcp-relay.js';
import { captureLog } from '../helpers/log-capture.js';

const notice = (n: number): BusEvent => ({
	type: 'notify',
	kind: 'user',
	payload: { user: `user${n}` },
	audience: { everyoneBut: 'nobody' },
});

describeRedis('RedisBus', () => {
	const connections = new Connections();
	let prefix = testPrefix();
	const { log, messages: logs } = captureLog();
	const relays: TcpRelay[] = [];

	beforeEach(() => {
		prefix = testPrefix();
		logs.length = 0;
	});
	afterEach(async () => {
		await connections.closeAll();
		await Promise.all(relays.splice(0).map((relay) => relay.close()));
	});

	const makeBus = async (url?: string) =>
		new RedisBus({
			publisher: await connections.open(url, log),
			subscriber: await connections.open(url, log),
			prefix,
			log,
		});

	describeMessageBus('redis', { make: () => makeBus(), spansNodes: true });

	it('loses what is published while the link is down, then resyncs once re-subscribed', async () => {
		const relay = await TcpRelay.start(redisPort);
		relays.push(relay);
		const cutOff = await makeBus(redisUrlAt(relay.port));
		const other = await makeBus();
		const heardOther = await listen(other);
		const heard: Heard = { events: [], resyncs: 0 };
		await cutOff.start({
			event: (event) => heard.events.push(event),
			// Told to resync, the subscription must already be live: this event must arrive.
			resync: () => {
				heard.resyncs++;
				other.publish(notice(99));
			},
		});

		await relay.cut();
		await vi.waitFor(() => expect(logs.join('\n')).toMatch(/link lost/));
		const unhandled: unknown[] = [];
		const onUnhandled = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', onUnhandled);
		try {
			for (let n = 1; n <= 20; n++) expect(() => cutOff.publish(notice(n))).not.toThrow();
			other.publish(notice(21));
			await vi.waitFor(() => expect(heardOther.events).toContainEqual(notice(21)));
			await new Promise((resolve) => setTimeout(resolve, 100));
			expect(logs.filter((line) => line.includes('events are lost'))).toHaveLength(1);
			expect(heard.resyncs).toBe(0);

			await relay.restore();
			await vi.waitFor(() => expect(heard.events).toEqual([notice(99)]), { timeout: 8000 });
			// The publisher reconnects on its own back-off: until then its events are lost too.
			await vi.waitFor(
				() => expect(logs.filter((line) => line.includes('link back'))).toHaveLength(2),
				{ timeout: 8000 },
			);
			cutOff.publish(notice(100));
			await vi.waitFor(() => expect(heardOther.events).toContainEqual(notice(100)));
			await vi.waitFor(() => expect(heard.events).toEqual([notice(99), notice(100)]));
			expect(heard.resyncs).toBe(1);
			expect(heardOther.resyncs).toBe(0);
			expect(unhandled).toEqual([]);
		} finally {
			process.off('unhandledRejection', onUnhandled);
		}
	}, 30_000);

	it('resyncs after every lost link, once each time', async () => {
		const relay = await TcpRelay.start(redisPort);
		relays.push(relay);
		const bus = await makeBus(redisUrlAt(relay.port));
		const heard = await listen(bus);
		for (let round = 1; round <= 3; round++) {
			await relay.cut();
			await new Promise((resolve) => setTimeout(resolve, 50));
			await relay.restore();
			await vi.waitFor(() => expect(heard.resyncs).toBe(round), { timeout: 8000 });
			// Both connections of the bus came back (the publisher on its own back-off).
			await vi.waitFor(
				() => expect(logs.filter((line) => line.includes('link back'))).toHaveLength(2 * round),
				{ timeout: 8000 },
			);
		}
		bus.publish(notice(1));
		await vi.waitFor(() => expect(heard.events).toEqual([notice(1)]));
		expect(heard.resyncs).toBe(3);
	}, 30_000);

	it('takes a silently dead link for lost within seconds, and resyncs', async () => {
		const relay = await TcpRelay.start(redisPort);
		relays.push(relay);
		const bus = await makeBus(redisUrlAt(relay.port));
		const heard = await listen(bus);
		// Idle but healthy: no reconnect for longer than the silence allowed.
		await new Promise((resolve) => setTimeout(resolve, silentLinkTimeoutMs + 1000));
		expect(heard.resyncs).toBe(0);
		relay.freeze();
		await vi.waitFor(() => expect(logs.join('\n')).toMatch(/link lost/), {
			timeout: silentLinkTimeoutMs + 2000,
		});
		await relay.restore();
		await vi.waitFor(() => expect(heard.resyncs).toBe(1), { timeout: 8000 });
	}, 30_000);

	it('survives a listener that throws', async () => {
		const bus = await makeBus();
		const seen: BusEvent[] = [];
		await bus.start({
			event: (event) => {
				seen.push(event);
				if (seen.length === 1) throw new Error('listener bug');
			},
			resync: () => undefined,
		});
		bus.publish(notice(1));
		bus.publish(notice(2));
		await vi.waitFor(() => expect(seen).toEqual([notice(1), notice(2)]));
		expect(logs.join('\n')).toMatch(/listener failed: listener bug/);
	});
});
