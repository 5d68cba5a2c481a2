import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { RedisPresence } from '../../source/cluster/redis-presence.js';
import { StorageUnavailableError } from '../../source/domain/storage-errors.js';
import { describePresence } from '../contracts/presence.contract.js';
import {
	Connections,
	deleteKeys,
	describeRedis,
	redisUrl,
	redisUrlAt,
	testPrefix,
	redisPort,
} from '../helpers/redis.js';
import { TcpRelay } from '../helpers/tcp-relay.js';
import { captureLog } from '../helpers/log-capture.js';

const leaseMs = 1500;
const heartbeatMs = 250;

describeRedis('RedisPresence', () => {
	const connections = new Connections();
	const relays: TcpRelay[] = [];
	const presences: RedisPresence[] = [];
	let prefix = testPrefix();
	const { log, messages: logs } = captureLog();

	beforeEach(() => {
		prefix = testPrefix();
		logs.length = 0;
	});
	afterEach(async () => {
		await Promise.all(presences.splice(0).map((presence) => presence.close()));
		await connections.closeAll();
		await Promise.all(relays.splice(0).map((relay) => relay.close()));
		await deleteKeys(prefix);
	});

	const makeNode = async (url = redisUrl) => {
		const client = await connections.open(url, log);
		const presence = new RedisPresence({ client, prefix, leaseMs, heartbeatMs, log });
		await presence.start();
		presences.push(presence);
		return { presence, client, kill: async () => client.destroy() };
	};
	const relayed = async () => {
		const relay = await TcpRelay.start(redisPort);
		relays.push(relay);
		return { relay, ...(await makeNode(redisUrlAt(relay.port))) };
	};
	const lapses = (presence: RedisPresence) => {
		const users: string[] = [];
		presence.onLapsed((lapsed) => users.push(...lapsed));
		return users;
	};

	describePresence('redis', { spansNodes: true, make: () => makeNode(), lapseWithinMs: 3000 });

	it('heals after Redis lost its data: each node reports its own users to announce again', async () => {
		const a = await makeNode();
		const b = await makeNode();
		const [heardA, heardB] = [lapses(a.presence), lapses(b.presence)];
		await a.presence.arrive('josie');
		await b.presence.arrive('john');
		await deleteKeys(prefix);
		await vi.waitFor(() => expect(heardA).toEqual(['josie']));
		await vi.waitFor(() => expect(heardB).toEqual(['john']));
		// What the registry does with them: report them again, which announces them once.
		expect(await a.presence.arrive('josie')).toBe(true);
		expect(await b.presence.arrive('john')).toBe(true);
		expect(await a.presence.online(['josie', 'john'])).toEqual([true, true]);
		// A node whose entries vanished is swept again if it dies.
		await a.kill();
		await vi.waitFor(() => expect(heardB).toEqual(['john', 'josie']), { timeout: 3000 });
	});

	it('repairs a departure that could not reach Redis', async () => {
		const { relay, presence } = await relayed();
		const other = await makeNode();
		const heard = lapses(presence);
		await presence.arrive('josie');
		await relay.cut();
		await expect(presence.depart('josie')).rejects.toBeInstanceOf(StorageUnavailableError);
		expect(await other.presence.online(['josie'])).toEqual([true]);
		await relay.restore();
		// The node reports her as lapsed: not connected here any more, so it announces her offline.
		await vi.waitFor(() => expect(heard).toEqual(['josie']), { timeout: 8000 });
		expect(await other.presence.online(['josie'])).toEqual([false]);
	});

	it('repairs an arrival that could not reach Redis', async () => {
		const { relay, presence } = await relayed();
		const heard = lapses(presence);
		await relay.cut();
		await expect(presence.arrive('josie')).rejects.toBeInstanceOf(StorageUnavailableError);
		await expect(presence.online(['josie'])).rejects.toThrow(/Redis is unreachable/);
		await vi.waitFor(() => expect(logs.join('\n')).toMatch(/cannot renew/));
		await new Promise((resolve) => setTimeout(resolve, heartbeatMs * 3));
		await relay.restore();
		await vi.waitFor(() => expect(heard).toEqual(['josie']), { timeout: 8000 });
		expect(await presence.arrive('josie')).toBe(true);
		// Logged once for the outage, not once per heartbeat.
		expect(logs.filter((line) => line.includes('cannot renew'))).toHaveLength(1);
		expect(logs.filter((line) => line.includes('renewing the lease again'))).toHaveLength(1);
	});

	it('brings back the users of a node that was cut off longer than its lease', async () => {
		const { relay, presence } = await relayed();
		const other = await makeNode();
		const [heardHere, heardOther] = [lapses(presence), lapses(other.presence)];
		await presence.arrive('josie');
		await relay.cut();
		await vi.waitFor(() => expect(heardOther).toEqual(['josie']), { timeout: 4000 });
		await relay.restore();
		// Still connected there: that node reports her so that she is announced online again.
		await vi.waitFor(() => expect(heardHere).toEqual(['josie']), { timeout: 8000 });
		expect(await presence.arrive('josie')).toBe(true);
		expect(await other.presence.online(['josie'])).toEqual([true]);
	});

	// A node started after another died sweeps that node's lapsed lease in start(), before the
	// server's registry listens: those users must still be reported, or nobody announces them.
	it('keeps what its first sweep found for a listener that comes after start', async () => {
		const dead = await makeNode();
		await dead.presence.arrive('josie');
		await dead.kill();
		await new Promise((resolve) => setTimeout(resolve, leaseMs + heartbeatMs));
		const late = await makeNode();
		expect(await late.presence.online(['josie'])).toEqual([false]);
		const heard = lapses(late.presence);
		expect(heard).toEqual(['josie']);
		expect(lapses(late.presence)).toEqual([]);
	});

	it('leaves nothing behind when every node closed', async () => {
		const a = await makeNode();
		await a.presence.arrive('josie');
		await a.presence.depart('josie');
		await a.presence.arrive('john');
		await a.presence.close();
		const keys: string[] = [];
		for await (const batch of a.client.scanIterator({ MATCH: `${prefix}*` })) keys.push(...batch);
		expect(keys).toEqual([]);
	});
});
