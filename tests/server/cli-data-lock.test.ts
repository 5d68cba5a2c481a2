import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from '../helpers/cli-process.js';
import { plainLines } from '../helpers/log-capture.js';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
const started: CliProcess[] = [];
beforeEach(async () => {
	temp = await makeTempDir();
});
afterEach(async () => {
	for (const cli of started.splice(0)) {
		cli.child.kill('SIGKILL');
		await cli.exited;
	}
	await temp.remove();
});

const password = 'correct horse';

function serve(): CliProcess {
	const cli = runCli(['--serve', '--headless', '--port', '0', '--data', temp.dir]);
	started.push(cli);
	return cli;
}

const refusal = (pid: number) =>
	`korichat: ${temp.dir} is in use by another KoriChat server (pid ${pid}); stop it first`;

async function register(port: number, name: string): Promise<void> {
	const client = await RawClient.connect(port);
	expect((await client.request('REG', name, { Password: password })).status).toBe(201);
	await client.close();
}

async function canLogIn(port: number, name: string): Promise<boolean> {
	const client = await RawClient.connect(port);
	const response = await client.login(name, password);
	await client.close();
	return response.status === 200;
}

describe('one korichat server per data folder', () => {
	it('refuses a second server in one line naming the holder, and the first keeps working', async () => {
		const first = serve();
		const port = await first.listening;
		await register(port, 'adrian');

		const second = serve();
		expect(await second.exited).toBe(1);
		expect(second.stderr().trim().split('\n')).toEqual([refusal(first.child.pid!)]);
		expect(second.stdout()).toBe('');

		await register(port, 'josie');
		first.child.kill('SIGTERM');
		expect(await first.exited).toBe(0);
		const third = serve();
		const again = await third.listening;
		expect(await canLogIn(again, 'adrian')).toBe(true);
		expect(await canLogIn(again, 'josie')).toBe(true);
	});

	it('starts at once after the holder was killed with SIGKILL', async () => {
		const first = serve();
		await register(await first.listening, 'adrian');
		first.child.kill('SIGKILL');
		await first.exited;

		const second = serve();
		const port = await second.listening;
		expect(plainLines(second.stderr())).toEqual([]);
		expect(await canLogIn(port, 'adrian')).toBe(true);
		// And the new holder is protected in turn.
		const third = serve();
		expect(await third.exited).toBe(1);
		expect(third.stderr().trim()).toBe(refusal(second.child.pid!));
	});

	it('lets exactly one of several servers started at the same instant run, over a stale lock', async () => {
		const killed = serve();
		await killed.listening;
		killed.child.kill('SIGKILL');
		await killed.exited;
		const racers = Array.from({ length: 4 }, () => serve());
		const outcomes = await Promise.all(
			racers.map((cli) =>
				// `listening` rejects when the process exits first.
				cli.listening.then(
					() => 'listening' as const,
					() => 'refused' as const,
				),
			),
		);
		expect(outcomes.filter((outcome) => outcome === 'listening')).toHaveLength(1);
		const winner = racers[outcomes.indexOf('listening')]!;
		for (const [index, cli] of racers.entries()) {
			if (cli === winner) continue;
			expect(outcomes[index]).toBe('refused');
			expect(await cli.exited).toBe(1);
			expect(cli.stderr().trim()).toBe(refusal(winner.child.pid!));
		}
		await register(await winner.listening, 'adrian');
	});
});
