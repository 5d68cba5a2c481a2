import { link, lstat } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminError } from '../../source/domain/admin-types.js';
import type { Logger } from '../../source/domain/logger.js';
import { singleNode } from '../../source/cli/backends.js';
import type { ChatBackend } from '../../source/server/backend.js';
import { adminParts } from '../../source/operating/admin-target.js';
import { reachControlSocket } from '../../source/operating/control-client.js';
import { LineSplitter } from '../../source/operating/control-protocol.js';
import { startControlServer, type ControlServer } from '../../source/operating/control-server.js';
import { openChatStore } from '../../source/storage/open-chat-store.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

const fastScrypt = { N: 1024, r: 8, p: 1 };

let temp: TempDir;
let backend: ChatBackend;
let control: ControlServer | undefined;
const logged: { level: string; fields: unknown; message: string }[] = [];
const logger: Logger = {
	debug: (fields, message) => logged.push({ level: 'debug', fields, message }),
	info: (fields, message) => logged.push({ level: 'info', fields, message }),
	warn: (fields, message) => logged.push({ level: 'warn', fields, message }),
	error: (fields, message) => logged.push({ level: 'error', fields, message }),
};

beforeEach(async () => {
	temp = await makeTempDir();
	backend = singleNode(await openChatStore(temp.dir), { dataDir: temp.dir });
	logged.length = 0;
});
afterEach(async () => {
	await control?.close();
	control = undefined;
	await backend.close();
	await temp.remove();
});

async function start(dataDir = temp.dir) {
	control = await startControlServer({
		dataDir,
		...adminParts(backend, logger, { scrypt: fastScrypt }),
		live: () => ({ connections: 3, loggedInUsers: 2 }),
		logger,
	});
	return control;
}

async function remote() {
	const reach = await reachControlSocket(temp.dir);
	if (reach.kind !== 'connected') throw new Error(`control socket ${reach.kind}`);
	return reach.admin;
}

describe('the control socket', () => {
	it('runs the admin commands, adds the live numbers to stats, and logs without the password', async () => {
		await start();
		const admin = await remote();
		try {
			await admin.createUser('adrian', 'a secret password', 'Adrian');
			expect((await admin.users()).map((user) => user.name)).toEqual(['adrian']);
			const stats = await admin.stats();
			expect(stats).toMatchObject({ users: 1, connections: 3, loggedInUsers: 2 });
			await expect(admin.disable('ghost')).rejects.toThrow(AdminError);
			await expect(admin.disable('ghost')).rejects.toThrow(/ghost/);
		} finally {
			admin.close();
		}
		expect(JSON.stringify(logged)).not.toContain('a secret password');
		expect(logged.map((line) => line.message)).toContain('admin created adrian');
	});

	it('answers requests split at every byte and pipelined, in order', async () => {
		await start();
		const socket = connect(path.join(temp.dir, 'control.sock'));
		let received = '';
		socket.on('data', (chunk) => (received += chunk));
		await new Promise((resolve) => socket.once('connect', resolve));
		const requests = [1, 2, 3]
			.map((id) => JSON.stringify({ id, command: id === 2 ? 'stats' : 'ping', args: [] }) + '\n')
			.join('');
		for (const byte of Buffer.from(requests)) {
			socket.write(Buffer.from([byte]));
			await new Promise((resolve) => setImmediate(resolve));
		}
		while (received.split('\n').length < 4) await new Promise((r) => setTimeout(r, 5));
		socket.destroy();
		const answers = received
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line));
		expect(answers.map((answer) => [answer.id, answer.ok])).toEqual([
			[1, true],
			[2, true],
			[3, true],
		]);
		expect(answers[1].result).toMatchObject({ connections: 3 });
	});

	it('replaces a stale socket file at start and removes its own at close', async () => {
		const file = path.join(temp.dir, 'control.sock');
		// A socket file nobody listens on, as a killed server leaves it.
		const other = createServer();
		const elsewhere = path.join(temp.dir, 'other.sock');
		await new Promise<void>((resolve) => other.listen(elsewhere, resolve));
		await link(elsewhere, file);
		await new Promise((resolve) => other.close(resolve));
		expect((await lstat(file)).isSocket()).toBe(true);
		expect((await reachControlSocket(temp.dir)).kind).toBe('absent');

		const server = await start();
		const admin = await remote();
		expect(await admin.request('ping')).toBe('pong');
		admin.close();
		await server!.close();
		await expect(lstat(file)).rejects.toThrow(/ENOENT/);
		expect((await reachControlSocket(temp.dir)).kind).toBe('absent');
	});

	it('warns once and runs without a socket when the path is too long', async () => {
		const deep = path.join(temp.dir, 'y'.repeat(100));
		expect(await start(deep)).toBeUndefined();
		expect(logged.filter((line) => line.level === 'warn')).toHaveLength(1);
		expect(logged[0]!.message).toMatch(/longer than the \d+ a Unix socket allows/);
	});
});

describe('LineSplitter', () => {
	it('keeps partial lines between chunks and refuses one past the limit', () => {
		const lines = new LineSplitter(8);
		expect(lines.push(Buffer.from('ab'))).toEqual([]);
		expect(lines.push(Buffer.from('c\nde\nf'))).toEqual(['abc', 'de']);
		expect(lines.push(Buffer.from('ghij\n'))).toEqual(['fghij']);
		expect(lines.push(Buffer.from('123456789'))).toBe('too-long');
		expect(new LineSplitter(8).push(Buffer.from('12345\n6789'))).toEqual(['12345']);
		expect(new LineSplitter(4).push(Buffer.from('12345\n'))).toBe('too-long');
	});
});
