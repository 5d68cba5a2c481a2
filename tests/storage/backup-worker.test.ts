import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type * as Backup from '../../source/storage/backup.js';
import type * as OpenChatStore from '../../source/storage/open-chat-store.js';
import type * as SnapshotOffload from '../../source/storage/snapshot-offload.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { contents, fillCrew, halfTransactions, makeCrew, sendToCrew } from './backup-kit.js';
import { useStorageSandbox } from './storage-kit.js';

// The snapshot worker runs compiled JavaScript, so this suite drives the build in dist/ (made by
// the global setup): there the backup's image is rebuilt and written by the worker thread.
const built = (module: string) =>
	import(pathToFileURL(resolve('dist/source/storage', module)).href) as Promise<unknown>;
const { backupChatStore, restoreBackup } = (await built('backup.js')) as typeof Backup;
const { openChatStore } = (await built('open-chat-store.js')) as typeof OpenChatStore;
const { snapshotWorkerAvailable } = (await built('snapshot-offload.js')) as typeof SnapshotOffload;

const sandbox = useStorageSandbox();

// A realistic size for a team's server; raise with KORICHAT_BACKUP_MESSAGES for a larger store.
const MESSAGES = Number(process.env.KORICHAT_BACKUP_MESSAGES ?? 100_000);

async function fill(store: SqlChatStore, count: number) {
	const group = await makeCrew(store);
	await fillCrew(store, group, count);
	return group;
}

describe('backupChatStore with the snapshot worker', () => {
	it(`backs up ${MESSAGES} messages under writes with a short event-loop delay, consistently`, async () => {
		expect(snapshotWorkerAvailable()).toBe(true);
		const store = await openChatStore(await sandbox.tempDir());
		try {
			const group = await fill(store, MESSAGES);
			// As on a server that has run a while: the index merged, a snapshot, a journal on top.
			await store.searchIndex.settled();
			await store.db.snapshot();
			await sendToCrew(store, group, 2000, 'since the snapshot');
			await store.searchIndex.settled();
			const acknowledgedBefore = await store.lastMessageId();

			let writing = true;
			let written = 0;
			const writer = (async () => {
				while (writing) {
					await sendToCrew(store, group, 5, 'during');
					await store.whenDurable();
					written += 5;
					await new Promise((done) => setTimeout(done, 2));
				}
			})();
			// The same writes for a second without a backup: what this machine's event loop does anyway.
			const baseline = monitorEventLoopDelay({ resolution: 5 });
			baseline.enable();
			await new Promise((done) => setTimeout(done, 1000));
			baseline.disable();
			const writtenBefore = written;

			const delay = monitorEventLoopDelay({ resolution: 5 });
			const file = join(await sandbox.tempDir(), 'chat.backup');
			delay.enable();
			const result = await backupChatStore(store, file);
			delay.disable();
			writing = false;
			await writer;
			const writtenDuring = written - writtenBefore;

			const maxMs = delay.max / 1e6;
			const ms = (nanoseconds: number) => (nanoseconds / 1e6).toFixed(1);
			console.log(
				`backup of ${acknowledgedBefore} messages (${(result.bytes / 1e6).toFixed(1)} MB) took ` +
					`${result.durationMs.toFixed(0)} ms with ${writtenDuring} messages written meanwhile; ` +
					`event-loop delay max ${ms(delay.max)} ms, p99 ${ms(delay.percentile(99))} ms ` +
					`(the same writes without a backup: max ${ms(baseline.max)} ms, p99 ${ms(baseline.percentile(99))} ms)`,
			);
			expect(maxMs).toBeLessThan(150);
			expect(writtenDuring).toBeGreaterThan(0);
			expect(result.bytes).toBe((await stat(file)).size);
			expect(result.lastMessageId).toBeGreaterThanOrEqual(acknowledgedBefore);

			const dir = join(await sandbox.tempDir(), 'restored');
			const restored = await restoreBackup(file, dir);
			expect(restored.lastMessageId).toBe(result.lastMessageId);
			// One instant of the store: every message up to the cut, none missing, none half written.
			expect(restored.messages).toBe(result.lastMessageId);
			const copy = await openChatStore(dir);
			try {
				expect(halfTransactions(copy)).toBe(0);
				const live = contents(store).messages.filter((m) => m.id <= result.lastMessageId!);
				expect(contents(copy).messages).toEqual(live);
			} finally {
				await copy.close();
			}
		} finally {
			await store.close();
		}
	}, 180_000);

	it('serializes with snapshots: backups and snapshots taken together all hold what came before', async () => {
		const store = await openChatStore(await sandbox.tempDir());
		try {
			const group = await makeCrew(store);
			const work = await sandbox.tempDir();
			const backups: Array<Promise<{ file: string; before: number }>> = [];
			const snapshots: Array<Promise<void>> = [];
			for (let round = 0; round < 4; round++) {
				await sendToCrew(store, group, 50, `round ${round}`);
				const before = await store.lastMessageId();
				const file = join(work, `round-${round}.backup`);
				snapshots.push(store.db.snapshot());
				backups.push(backupChatStore(store, file).then(() => ({ file, before })));
			}
			await Promise.all(snapshots);
			for (const { file, before } of await Promise.all(backups)) {
				const dir = join(work, `${before}-restored`);
				const restored = await restoreBackup(file, dir);
				expect(restored.lastMessageId).toBeGreaterThanOrEqual(before);
				expect(restored.messages).toBe(restored.lastMessageId);
			}
			// The journals the snapshots replaced left nothing out of the live store either.
			expect(contents(store).messages).toHaveLength(200);
		} finally {
			await store.close();
		}
	});
});
