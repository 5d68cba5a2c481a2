import { spawn } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournaledDatabase } from '../../source/storage/journaled-database.js';
import { compileFixture } from '../helpers/compile-fixture.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { CRASH_MIGRATIONS } from './fixtures/crash-schema.js';

// Raise with KORICHAT_CRASH_ROUNDS for a longer soak.
const ROUNDS = Number(process.env.KORICHAT_CRASH_ROUNDS ?? 10);

let work: TempDir;
let workDir: string;
let writerScript: string;

beforeAll(async () => {
	work = await makeTempDir('korichat-crash-');
	workDir = work.dir;
	writerScript = await compileFixture(
		join(import.meta.dirname, 'fixtures/crash-writer.ts'),
		workDir,
	);
});

afterAll(async () => {
	await work.remove();
});

/** Runs the writer, kills it with SIGKILL `delayMs` after its first acknowledged write, returns its complete lines. */
function runAndKill(dir: string, round: number, delayMs: number): Promise<string[]> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [writerScript, dir, String(round)], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		let errors = '';
		let timer: NodeJS.Timeout | undefined;
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			output += chunk;
			timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
		child.on('error', reject);
		child.on('close', (_code, signal) => {
			clearTimeout(timer);
			if (signal !== 'SIGKILL') {
				reject(new Error(`writer exited by itself (round ${round}):\n${errors}`));
				return;
			}
			// The last line may be cut short by the kill; only newline-terminated lines were printed whole.
			resolve(output.split('\n').slice(0, -1));
		});
	});
}

describe('kill -9 while writing', () => {
	it('keeps every write whose durable() resolved', async () => {
		const dir = join(workDir, 'data');
		const acknowledged = new Map<number, string>();
		for (let round = 0; round < ROUNDS; round++) {
			const delayMs = Math.floor(Math.random() * 250);
			const lines = await runAndKill(dir, round, delayMs);
			expect(lines.length, `round ${round} printed nothing`).toBeGreaterThan(0);
			for (const line of lines) {
				const [id, label] = line.split(' ');
				acknowledged.set(Number(id), label!);
			}

			// Inspect a copy so the next round recovers from the crash state itself.
			const copy = join(workDir, `inspect-${round}`);
			await cp(dir, copy, { recursive: true });
			const database = await JournaledDatabase.open({ dir: copy, migrations: CRASH_MIGRATIONS });
			try {
				const rows = database.all<{ id: number; label: string }>('SELECT id, label FROM entries');
				const byId = new Map(rows.map((row) => [row.id, row.label]));
				for (const [id, label] of acknowledged) {
					expect(byId.get(id), `round ${round} (delay ${delayMs} ms): id ${id}`).toBe(label);
				}
				expect(new Set(rows.map((row) => row.label)).size).toBe(rows.length);
				const counter = database.get<{ value: number }>(
					"SELECT value FROM counters WHERE name = 'entries'",
				);
				expect(counter?.value).toBe(rows.length);
			} finally {
				await database.close();
				await rm(copy, { recursive: true, force: true });
			}
		}
	}, 120_000);
});
