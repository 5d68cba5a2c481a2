import { afterEach, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { admin, startServer, type RunningServer } from './operator.js';

// docs/operating.md "Backups": the backup "holds every message acknowledged (202) before the
// command started"; `admin restore FILE --data DIR` refuses a folder holding data without --force.
const PASSWORD = 'load-pass-123';

async function allHistory(client: RawClient, target: string): Promise<number[]> {
	const ids: number[] = [];
	let before: string | undefined;
	for (;;) {
		const headers: Record<string, string> = { Limit: '500', ...(before ? { Before: before } : {}) };
		const response = await client.request('HISTORY', target, headers);
		expect(response.status, response.text).toBe(200);
		const page: { id: number }[] = response.json.messages;
		if (page.length === 0) return ids;
		ids.push(...page.map((message) => Number(message.id)));
		before = String(Math.min(...page.map((message) => Number(message.id))));
	}
}

describe('live backup and restore (acceptance)', () => {
	let temp: TempDir;
	const servers: RunningServer[] = [];
	afterEach(async () => {
		for (const server of servers.splice(0)) await server.kill();
		await temp?.remove();
	});

	it('a backup taken while clients send restores with every message acknowledged before it began', async () => {
		temp = await makeTempDir();
		const data = `${temp.dir}/data`;
		const server = await startServer(data, ['--rate-limit', '5000']);
		servers.push(server);

		const senders: RawClient[] = [];
		for (const name of ['s1', 's2', 's3']) {
			const client = await RawClient.connect(server.port);
			expect((await client.request('REG', name, { Password: PASSWORD })).status).toBe(201);
			expect((await client.login(name, PASSWORD)).status).toBe(200);
			senders.push(client);
		}
		expect((await senders[0]!.request('MK_GROUP', 'load')).status).toBe(201);
		expect((await senders[0]!.request('ADD_USER', 'load', { Invite: 's2,s3' })).status).toBe(200);

		const acked: { id: number; at: number }[] = [];
		let sending = true;
		const loops = senders.map(async (client, index) => {
			let n = 0;
			while (sending) {
				const target = n % 2 === 0 ? 'load' : `s${((index + 1) % 3) + 1}`;
				const response = await client.request('SEND', target, {}, `load ${index} ${n++}`);
				if (response.status !== 202)
					throw new Error(`SEND answered ${response.status}: ${response.text}`);
				acked.push({ id: Number(response.headers.get('message-id')), at: Date.now() });
			}
		});
		await new Promise((resolve) => setTimeout(resolve, 1000));

		const file = `${temp.dir}/chat.db`;
		const started = Date.now();
		const backup = await admin(['backup', file, '--data', data]);
		expect(backup.code, backup.stderr).toBe(0);
		await new Promise((resolve) => setTimeout(resolve, 300));
		sending = false;
		await Promise.all(loops);
		const mustHave = acked.filter((entry) => entry.at < started).map((entry) => entry.id);
		expect(mustHave.length).toBeGreaterThan(50);
		expect(acked.length).toBeGreaterThan(mustHave.length); // the load really ran across the backup

		// A running server's folder cannot be restored into, even with --force.
		const busy = await admin(['restore', file, '--data', data, '--force']);
		expect(busy.code).not.toBe(0);
		expect(busy.stderr.trim().split('\n')).toHaveLength(1);

		for (const client of senders) await client.close();
		expect(await server.stop()).toBe(0);

		// A folder holding data is refused without --force, in one line naming its files, unchanged.
		const dataFiles = async () =>
			(await readdir(data)).filter((name) => !name.startsWith('korichat.lock')).sort();
		const filesBefore = await dataFiles();
		const refused = await admin(['restore', file, '--data', data]);
		expect(refused.code).not.toBe(0);
		expect(refused.stderr.trim().split('\n')).toHaveLength(1);
		expect(refused.stderr).toMatch(/snapshot\.db|journal/);
		expect(await dataFiles()).toEqual(filesBefore);

		const restoredData = `${temp.dir}/restored`;
		const restored = await admin(['restore', file, '--data', restoredData]);
		expect(restored.code, restored.stderr).toBe(0);
		const again = await startServer(restoredData);
		servers.push(again);
		const seen = new Set<number>();
		for (const name of ['s1', 's2', 's3']) {
			const client = await RawClient.connect(again.port);
			expect((await client.login(name, PASSWORD)).status).toBe(200);
			for (const target of ['load', 's1', 's2', 's3'].filter((t) => t !== name))
				for (const id of await allHistory(client, target)) seen.add(id);
			await client.close();
		}
		const missing = mustHave.filter((id) => !seen.has(id));
		expect(
			missing,
			`${missing.length} of ${mustHave.length} acknowledged messages missing`,
		).toEqual([]);

		// And --force replaces the old folder's data with the backup's.
		const forced = await admin(['restore', file, '--data', data, '--force']);
		expect(forced.code, forced.stderr).toBe(0);
	}, 90_000);

	// docs/operating.md "Restore for real": "while a server holds it, the restore is refused naming its PID".
	it("restore into a running server's folder is refused naming its PID", async () => {
		temp = await makeTempDir();
		const data = `${temp.dir}/data`;
		const server = await startServer(data);
		servers.push(server);
		const file = `${temp.dir}/chat.db`;
		expect((await admin(['backup', file, '--data', data])).code).toBe(0);
		const busy = await admin(['restore', file, '--data', data, '--force']);
		expect(busy.code).not.toBe(0);
		expect(busy.stderr).toContain(`pid ${server.process.child.pid}`);
	});
});
