import { createServer } from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-process.js';
import { logEntriesIn, plainLines } from '../helpers/log-capture.js';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
	temp = await makeTempDir();
});
afterEach(async () => {
	await temp.remove();
});

const password = 'correct horse';

describe('korichat --serve', () => {
	it('prints where it listens and exits 0 on SIGTERM', async () => {
		const cli = runCli(['--serve', '--headless', '--port', '0', '--data', temp.dir]);
		const port = await cli.listening;
		expect(cli.stdout()).toBe(`korichat listening on 127.0.0.1:${port}\n`);
		const client = await RawClient.connect(port);
		expect((await client.request('PING')).status).toBe(200);
		await client.close();
		cli.child.kill('SIGTERM');
		expect(await cli.exited).toBe(0);
	});

	it('says in one line that the port is in use', async () => {
		const blocker = createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const port = (blocker.address() as { port: number }).port;
		try {
			const cli = runCli(['--serve', '--headless', '--port', String(port), '--data', temp.dir]);
			expect(await cli.exited).not.toBe(0);
			const refusal = `korichat: port ${port} on 127.0.0.1 is already in use; pick another with --port`;
			expect(plainLines(cli.stderr())).toEqual([refusal]);
			expect(logEntriesIn(cli.stderr()).map((entry) => entry.event)).toEqual([
				'start',
				'start-failed',
			]);
		} finally {
			blocker.close();
		}
	});

	it('says in one line that the data folder is unusable', async () => {
		const file = path.join(temp.dir, 'a-file');
		await writeFile(file, '');
		const cli = runCli(['--serve', '--headless', '--port', '0', '--data', path.join(file, 'data')]);
		expect(await cli.exited).not.toBe(0);
		const lines = cli.stderr().trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^korichat: cannot use the data folder .*a-file/);
	});

	it('rejects a bad flag value with a clear message', async () => {
		const cli = runCli(['--serve', '--port', 'many']);
		expect(await cli.exited).not.toBe(0);
		expect(cli.stderr()).toMatch(/--port.*whole number/);
	});

	it('keeps every acknowledged message through kill -9', async () => {
		const args = ['--serve', '--headless', '--port', '0', '--data', temp.dir, '--rate-limit', '0'];
		const first = runCli(args);
		const client = await RawClient.connect(await first.listening);
		await client.request('REG', 'adrian', { Password: password });
		await client.request('REG', 'josie', { Password: password });
		await client.login('adrian', password);
		await client.request('MK_GROUP', 'chat');
		await client.request('ADD_USER', 'chat', { Invite: 'josie' });
		const cookie = client.cookie;
		// A pipelined burst; kill as soon as the last 202 is read.
		const count = 300;
		for (let i = 0; i < count; i++) {
			client.write(
				`SEND ${i % 2 ? 'chat' : 'josie'} CHAT/1.0\r\nContent-Length: ${String(i).length}\r\n\r\n${i}`,
			);
		}
		const acknowledged: number[] = [];
		for (let i = 0; i < count; i++) {
			const response = await client.nextResponse();
			expect(response.status).toBe(202);
			acknowledged.push(i);
		}
		first.child.kill('SIGKILL');
		await first.exited;
		await client.close();

		const second = runCli(args);
		try {
			const again = await RawClient.connect(await second.listening);
			again.cookie = cookie;
			const dms = await again.request('HISTORY', 'josie', { Limit: '500' });
			const group = await again.request('HISTORY', 'chat', { Limit: '500' });
			expect(dms.status).toBe(200);
			const bodies = [...dms.json.messages, ...group.json.messages].map((m: any) => Number(m.body));
			expect(bodies.sort((a, b) => a - b)).toEqual(acknowledged);
			expect((await again.request('LIST_USER', 'chat')).json.users).toEqual(['adrian', 'josie']);
			await again.close();
		} finally {
			second.child.kill('SIGKILL');
			await second.exited;
		}
	});
});
