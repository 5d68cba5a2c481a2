import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type * as HostServer from '../../source/cli/host-server.js';
import type * as Backup from '../../source/storage/backup.js';
import { restoreBackup } from '../../source/storage/backup.js';
import { openChatStore } from '../../source/storage/open-chat-store.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { RawClient } from '../helpers/raw-client.js';
import { startTestServer, testScrypt, type TestServer } from '../helpers/test-server.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { halfTransactions } from '../storage/backup-kit.js';

// The server under load runs from the build in dist/, so its snapshots and this backup are made
// by the snapshot worker as in production; the restored folder is then served from the sources.
const built = (module: string) =>
	import(pathToFileURL(resolve('dist/source', module)).href) as Promise<unknown>;
const { hostServer } = (await built('cli/host-server.js')) as typeof HostServer;
const { backupChatStore } = (await built('storage/backup.js')) as typeof Backup;

const password = 'correct horse';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function tempDir(): Promise<TempDir> {
	const temp = await makeTempDir('korichat-live-backup-');
	cleanups.push(() => temp.remove());
	return temp;
}

async function logIn(port: number, name: string, register: boolean): Promise<RawClient> {
	const client = await RawClient.connect(port);
	cleanups.push(() => client.close());
	if (register)
		expect((await client.request('REG', name, { Password: password })).status).toBe(201);
	expect((await client.login(name, password)).status).toBe(200);
	return client;
}

type Sent = {
	readonly id: number;
	readonly to: string;
	readonly body: string;
	readonly ackedAt: number;
};

/** Sends windows of 8 pipelined SENDs until told to stop, recording each 202. */
function keepSending(
	client: RawClient,
	from: string,
	to: string,
	sent: Sent[],
	stop: () => boolean,
) {
	return (async () => {
		for (let round = 0; !stop(); round++) {
			const bodies = Array.from({ length: 8 }, (_, index) => `${from} ${round}.${index}`);
			const responses = await Promise.all(
				bodies.map((body) => client.request('SEND', to, {}, body)),
			);
			const ackedAt = performance.now();
			responses.forEach((response, index) => {
				expect(response.status).toBe(202);
				sent.push({
					id: Number(response.headers.get('message-id')),
					to,
					body: bodies[index]!,
					ackedAt,
				});
			});
		}
	})();
}

/** Every message of a conversation, oldest first, read page by page. */
async function history(
	client: RawClient,
	target: string,
): Promise<Array<{ id: number; body: string }>> {
	const all: Array<{ id: number; body: string }> = [];
	let before: number | undefined;
	for (;;) {
		const headers: Record<string, string> = { Limit: '500' };
		if (before !== undefined) headers.Before = String(before);
		const response = await client.request('HISTORY', target, headers);
		expect(response.status).toBe(200);
		const page: Array<{ id: number; body: string }> = response.json.messages;
		all.unshift(...page.map(({ id, body }) => ({ id, body })));
		if (page.length === 0) return all;
		before = page[0]!.id;
	}
}

describe('a live backup of a server under load', () => {
	it('restores into a new folder where HISTORY has every message acknowledged before it began', async () => {
		const live = await tempDir();
		const server = await hostServer({
			host: '127.0.0.1',
			port: 0,
			rateLimit: 0,
			scrypt: testScrypt,
			log: () => undefined,
			dataDir: live.dir,
		});
		cleanups.push(() => server.close());
		const ann = await logIn(server.port, 'ann', true);
		const bob = await logIn(server.port, 'bob', true);
		const cy = await logIn(server.port, 'cy', true);
		expect((await ann.request('MK_GROUP', 'crew')).status).toBe(201);
		expect((await ann.request('ADD_USER', 'crew', { Invite: 'bob,cy' })).status).toBe(200);

		const sent: Sent[] = [];
		let stopping = false;
		const senders = [
			keepSending(ann, 'ann', 'crew', sent, () => stopping),
			keepSending(cy, 'cy', 'crew', sent, () => stopping),
			keepSending(bob, 'bob', 'cy', sent, () => stopping),
		];
		while (sent.length < 600) await new Promise((done) => setTimeout(done, 10));

		const backupStarted = performance.now();
		const acknowledgedBefore = sent.filter((message) => message.ackedAt < backupStarted);
		const file = join((await tempDir()).dir, 'live.backup');
		const backup = await backupChatStore(server.store as SqlChatStore, file);
		const sentWhileBackingUp = sent.filter((message) => message.ackedAt >= backupStarted).length;
		await new Promise((done) => setTimeout(done, 100));
		stopping = true;
		await Promise.all(senders);
		console.log(
			`live backup in ${backup.durationMs.toFixed(0)} ms: ${acknowledgedBefore.length} messages ` +
				`acknowledged before it, ${sentWhileBackingUp} during it, ${sent.length} in all; ` +
				`the backup ends at message ${backup.lastMessageId}`,
		);
		expect(sentWhileBackingUp).toBeGreaterThan(0);

		const restored = await tempDir();
		await restoreBackup(backup.file, restored.dir, { force: true });
		const check = await openChatStore(restored.dir);
		try {
			expect(halfTransactions(check)).toBe(0);
		} finally {
			await check.close();
		}

		const second: TestServer = await startTestServer({}, restored.dir);
		cleanups.push(() => second.stop());
		const reader = await logIn(second.port, 'cy', false);
		const found = [...(await history(reader, 'crew')), ...(await history(reader, 'bob'))];
		const byId = new Map(found.map((message) => [message.id, message.body]));
		for (const message of acknowledgedBefore) {
			expect(byId.get(message.id), `message ${message.id}`).toBe(message.body);
		}
		// One instant of the store: messages 1 to the cut, each as it was sent, and nothing after it.
		const sentById = new Map(sent.map((message) => [message.id, message.body]));
		expect([...byId.keys()].sort((a, b) => a - b)).toEqual(
			Array.from({ length: backup.lastMessageId! }, (_, index) => index + 1),
		);
		for (const [id, body] of byId) expect(body, `message ${id}`).toBe(sentById.get(id));
	}, 60_000);
});
