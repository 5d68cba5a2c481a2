import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../../source/domain/storage-errors.js';
import { openPostgresStore } from '../../../source/storage/postgres/open-postgres-store.js';
import { direct, withUsers } from '../../contracts/chat-store-kit.js';
import { postgresServerUrl } from '../../helpers/postgres.js';
import { TcpRelay } from '../../helpers/tcp-relay.js';
import { door, pg, testPool, usePostgres } from './postgres-kit.js';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/** The database's URL, through the relay. */
function throughRelay(url: string, relay: TcpRelay): string {
	const via = new URL(url);
	via.host = `127.0.0.1:${relay.port}`;
	return via.toString();
}

describe.skipIf(!pg.available)('PostgresChatStore: losing the database', () => {
	const relays: TcpRelay[] = [];
	// Registered first, so relays close after the stores that use them.
	afterEach(async () => {
		for (const relay of relays.splice(0)) await relay.close();
	});
	const pgs = usePostgres();
	const relayTo = async () => {
		const relay = await TcpRelay.start(Number(new URL(postgresServerUrl).port || 5432));
		relays.push(relay);
		return relay;
	};

	it('rejects at open with one line naming host:port when nothing answers', async () => {
		const port = await closedPort();
		const opening = openPostgresStore(`postgres://root@127.0.0.1:${port}/korichat`, testPool);
		const error = (await opening.catch((caught: unknown) => caught)) as Error;
		expect(error.message).toMatch(
			new RegExp(`^cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} `),
		);
		expect(error.message).toContain('ECONNREFUSED');
		expect(error.message).not.toContain('\n');
	});

	it('rejects at open with the server reason when the database is missing', async () => {
		const url = new URL(postgresServerUrl);
		url.pathname = '/korichat_no_such_database';
		const error = (await openPostgresStore(url.toString(), testPool).catch(
			(e: unknown) => e,
		)) as Error;
		expect(error.message).toMatch(
			/^cannot open the PostgreSQL database at 127\.0\.0\.1:5432: 3D000/,
		);
		expect(error.message).not.toContain('\n');
	});

	it('answers StorageUnavailableError while the link is cut, then recovers with nothing lost', async () => {
		const { url } = await pgs.database();
		const relay = await relayTo();
		const store = await pgs.store(throughRelay(url, relay));
		await withUsers(store, ['ann', 'bob']);
		const first = await store.appendMessage(direct('ann', 'bob', 'before'), 'd:ann:bob', null);
		await store.createSession({ id: 's', user: 'ann', createdAt: 1, lastUsedAt: 1 });

		await relay.cut();
		const unavailable = expect.any(StorageUnavailableError);
		await expect(
			store.appendMessage(direct('ann', 'bob', 'lost'), 'd:ann:bob', null),
		).rejects.toEqual(unavailable);
		await expect(store.findSession('s')).rejects.toEqual(unavailable);
		await expect(store.lastMessageId()).rejects.toEqual(unavailable);
		await expect(store.changeGroup(1, async () => undefined)).rejects.toEqual(unavailable);
		await expect(store.pending('bob', 0, 10)).rejects.toThrow(
			/PostgreSQL connection failed: ECONNREFUSED/,
		);

		await relay.restore();
		expect(await store.findSession('s')).toMatchObject({ user: 'ann' });
		const next = await store.appendMessage(direct('ann', 'bob', 'after'), 'd:ann:bob', null);
		// The failed append took no id: none is skipped.
		expect(next.message.id).toBe(first.message.id + 1);
		expect((await store.pending('bob', 0, 10)).map((m) => m.body)).toEqual(['before', 'after']);
	});

	it('fails an append whose transaction is cut before COMMIT, without burning its id', async () => {
		const { url } = await pgs.database();
		const relay = await relayTo();
		const held = door();
		const store = await pgs.store(throughRelay(url, relay), { beforeCommit: held.beforeCommit });
		const observer = await pgs.store(url);
		await withUsers(store, ['ann', 'bob']);

		held.shut();
		const reached = held.reached();
		const sending = store.appendMessage(direct('ann', 'bob', 'cut off'), 'd:ann:bob', null);
		await reached;
		await relay.cut();
		held.open();
		await expect(sending).rejects.toBeInstanceOf(StorageUnavailableError);
		expect(await observer.lastMessageId()).toBe(0);
		expect(await observer.pending('bob', 0, 10)).toEqual([]);

		await relay.restore();
		const again = await store.appendMessage(direct('ann', 'bob', 'again'), 'd:ann:bob', null);
		expect(again.message.id).toBe(1);
	});
});
