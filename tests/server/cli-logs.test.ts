import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-process.js';
import { logEntriesIn, plainLines } from '../helpers/log-capture.js';
import { postgresForTests } from '../helpers/postgres.js';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
	temp = await makeTempDir();
});
afterEach(async () => {
	await temp.remove();
});

const pg = await postgresForTests();
const serve = (...args: string[]) => runCli(['--serve', '--headless', '--port', '0', ...args]);

describe('korichat --serve --headless logs', () => {
	it('writes JSON lines on stderr: start, listening, and stop and stopped on SIGTERM', async () => {
		const cli = serve('--data', temp.dir, '--log-format', 'json');
		const port = await cli.listening;
		expect(cli.stdout()).toBe(`korichat listening on 127.0.0.1:${port}\n`);
		const client = await RawClient.connect(port);
		expect((await client.request('PING')).status).toBe(200);
		await client.close();
		cli.child.kill('SIGTERM');
		expect(await cli.exited).toBe(0);
		const lines = cli.stderr().trim().split('\n');
		// Every line parses: nothing but JSON on stderr.
		const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
		expect(entries.map((entry) => entry.event)).toEqual(['start', 'listening', 'stop', 'stopped']);
		expect(entries[0]).toMatchObject({
			level: 30,
			store: 'embedded',
			bus: 'in-process',
			data: temp.dir,
			version: expect.stringMatching(/^\d+\.\d+\.\d+/),
			pid: cli.child.pid,
		});
		expect(entries[1]).toMatchObject({
			host: '127.0.0.1',
			port,
			tls: false,
			msg: `korichat listening on 127.0.0.1:${port}`,
		});
		expect(entries[2]).toMatchObject({ reason: 'signal', signal: 'SIGTERM' });
		expect(entries[3]).toMatchObject({ exitCode: 0 });
	});

	it('writes pretty lines with --log-format pretty, without colour off a terminal', async () => {
		const cli = serve('--data', temp.dir, '--log-format', 'pretty');
		const port = await cli.listening;
		cli.child.kill('SIGINT');
		expect(await cli.exited).toBe(0);
		const lines = cli.stderr().trim().split('\n');
		expect(logEntriesIn(cli.stderr())).toEqual([]);
		expect(lines.some((line) => /INFO.*korichat listening on 127\.0\.0\.1:\d+/.test(line))).toBe(
			true,
		);
		expect(lines.some((line) => line.includes(`port: ${port}`))).toBe(true);
		expect(lines.some((line) => /INFO.*stopping on SIGINT/.test(line))).toBe(true);
		expect(cli.stderr()).not.toContain('\u001b[');
	});

	it('writes only warnings and errors with --log-level warn', async () => {
		const cli = serve('--data', temp.dir, '--log-level', 'warn');
		await cli.listening;
		cli.child.kill('SIGTERM');
		expect(await cli.exited).toBe(0);
		expect(cli.stderr()).toBe('');
	});

	it('refuses a bad --log-level or --log-format in one line, before starting', async () => {
		for (const [flag, value, words] of [
			['--log-level', 'loud', /debug, info, warn or error/],
			['--log-format', 'xml', /json or pretty/],
		] as const) {
			const cli = serve('--data', temp.dir, flag, value);
			expect(await cli.exited).not.toBe(0);
			const lines = plainLines(cli.stderr());
			expect(lines[0]).toMatch(new RegExp(`${flag}.*${value}`));
			expect(lines[0]).toMatch(words);
			expect(logEntriesIn(cli.stderr())).toEqual([]);
			expect(cli.stdout()).toBe('');
		}
	});

	it.skipIf(!pg.available)('names the database without its password', async () => {
		const database = await pg.createDatabase();
		try {
			// The test server trusts every login, so the password is only there to be hidden.
			const url = new URL(database.url);
			url.password = 'Zq9-database-secret';
			const cli = serve('--store', url.toString());
			await cli.listening;
			cli.child.kill('SIGTERM');
			expect(await cli.exited).toBe(0);
			const start = logEntriesIn(cli.stderr()).find((entry) => entry.event === 'start');
			url.password = '';
			expect(start).toMatchObject({ store: 'postgres', database: url.toString() });
			expect(cli.stderr() + cli.stdout()).not.toContain('Zq9-database-secret');
		} finally {
			await database.drop();
		}
	});
});
