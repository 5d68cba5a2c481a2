import { spawn } from 'node:child_process';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupChatStore } from '../../source/storage/backup.js';
import { openChatStore } from '../../source/storage/open-chat-store.js';
import { compileFixture } from '../helpers/compile-fixture.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { contents, fillCrew, makeCrew, sendToCrew, type Contents } from './backup-kit.js';

let work: TempDir;
let childScript: string;

beforeAll(async () => {
	work = await makeTempDir('korichat-restore-kill-');
	childScript = await compileFixture(
		join(import.meta.dirname, 'fixtures/restore-child.ts'),
		work.dir,
	);
});

afterAll(async () => {
	await work.remove();
});

/** Opens `dir` as a server would and reads what it holds. */
async function contentsOf(dir: string): Promise<Contents> {
	const store = await openChatStore(dir);
	try {
		return contents(store);
	} finally {
		await store.close();
	}
}

/** Runs the restoring child, SIGKILLed `delayMs` after it starts restoring (never, if undefined). */
function restoreInChild(
	file: string,
	dir: string,
	delayMs?: number,
): Promise<{ killed: boolean; ms?: number }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [childScript, file, dir], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		let errors = '';
		let timer: NodeJS.Timeout | undefined;
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			output += chunk;
			if (delayMs !== undefined && output.startsWith('start\n'))
				timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const done = /done ([\d.]+)/.exec(output);
			if (done) return resolve({ killed: false, ms: Number(done[1]) });
			if (signal === 'SIGKILL') return resolve({ killed: true });
			reject(new Error(`the restore failed (exit ${code}):\n${errors}`));
		});
	});
}

describe('kill -9 during restoreBackup', () => {
	it('leaves the folder with its old data or the backup, never broken, and never locked', async () => {
		// A backup big enough that restoring it takes a while (integrity check, export, write, fsync).
		const source = join(work.dir, 'source');
		const store = await openChatStore(source);
		await fillCrew(store, await makeCrew(store), 20_000);
		const file = join(work.dir, 'chat.backup');
		await backupChatStore(store, file);
		const fresh = contents(store);
		await store.close();

		const oldDir = join(work.dir, 'old');
		const old = await openChatStore(oldDir);
		await sendToCrew(old, await makeCrew(old, 'old crew'), 20, 'old');
		await old.db.snapshot();
		await sendToCrew(old, (await old.findGroup('old crew'))!, 5, 'old journal');
		const before = contents(old);
		await old.close();

		const calibration = join(work.dir, 'calibration');
		await cp(oldDir, calibration, { recursive: true });
		const { ms } = await restoreInChild(file, calibration);
		expect(ms).toBeGreaterThan(0);

		const outcomes: string[] = [];
		for (let round = 0; round <= 8; round++) {
			const dir = join(work.dir, `round-${round}`);
			await cp(oldDir, dir, { recursive: true });
			const delayMs = Math.round((ms! * round) / 7);
			const { killed } = await restoreInChild(file, dir, delayMs);
			const now = JSON.stringify(await contentsOf(dir));
			const state =
				now === JSON.stringify(before) ? 'old' : now === JSON.stringify(fresh) ? 'new' : 'broken';
			expect(state, `killed ${delayMs} ms into a ${ms} ms restore`).not.toBe('broken');
			if (!killed) expect(state).toBe('new');
			outcomes.push(`${delayMs} ms: ${killed ? 'killed' : 'finished'}, ${state}`);
		}
		console.log(
			`restore of ${fresh.messages.length} messages takes ${ms} ms; ${outcomes.join('; ')}`,
		);
	}, 120_000);
});
