import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type LoggerOptions } from '../../source/operating/logging.js';
import { withoutCredentials } from '../../source/operating/safe-urls.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

/** A logger writing into a string, as it would write to its file or terminal. */
function intoText(options: Omit<LoggerOptions, 'destination'> = {}, colour = false) {
	let text = '';
	const log = createLogger({
		...options,
		destination: {
			kind: 'stream',
			colour,
			stream: { write: (line: string) => void (text += line) },
		},
	});
	return { log, text: () => text };
}

const parsed = (text: string) =>
	text
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line) as Record<string, unknown>);

const temps: TempDir[] = [];
afterEach(async () => {
	for (const temp of temps.splice(0)) await temp.remove();
});

describe('createLogger', () => {
	it('writes one JSON object a line, with the level, time, event, fields and message', () => {
		const { log, text } = intoText();
		log.info(
			{ event: 'listening', host: '127.0.0.1', port: 5674 },
			'korichat listening on 127.0.0.1:5674',
		);
		log.warn({ event: 'connection-refused', reason: 'per-address-limit', open: 16 }, 'refusing');
		const [first, second] = parsed(text());
		expect(first).toMatchObject({
			level: 30,
			event: 'listening',
			host: '127.0.0.1',
			port: 5674,
			msg: 'korichat listening on 127.0.0.1:5674',
			pid: process.pid,
		});
		expect(typeof first!.time).toBe('number');
		expect(second).toMatchObject({ level: 40, reason: 'per-address-limit', open: 16 });
	});

	it('writes only the chosen level and above', () => {
		const { log, text } = intoText({ level: 'warn' });
		log.debug({ event: 'a' }, 'debug');
		log.info({ event: 'b' }, 'info');
		log.warn({ event: 'c' }, 'warn');
		log.error({ event: 'd' }, 'error');
		expect(parsed(text()).map((entry) => entry.msg)).toEqual(['warn', 'error']);
		const verbose = intoText({ level: 'debug' });
		verbose.log.debug({ event: 'a' }, 'debug');
		expect(parsed(verbose.text())).toHaveLength(1);
		const quiet = intoText();
		quiet.log.debug({ event: 'a' }, 'debug');
		expect(quiet.text()).toBe('');
	});

	it('writes pretty lines for a person: level, message, fields; colour only when asked for', () => {
		const plain = intoText({ format: 'pretty' });
		plain.log.warn({ event: 'connection-dropped', address: '10.1.2.3' }, 'dropping a connection');
		const line = plain.text();
		expect(line).toMatch(/WARN.*dropping a connection/);
		expect(line).toMatch(/event: "connection-dropped"/);
		expect(line).toMatch(/address: "10\.1\.2\.3"/);
		expect(line).not.toContain('\u001b[');
		expect(() => JSON.parse(line)).toThrow();
		const coloured = intoText({ format: 'pretty' }, true);
		coloured.log.warn({ event: 'x' }, 'hello');
		expect(coloured.text()).toContain('\u001b[');
	});

	it('redacts secret-named fields, at the top and one level down, in both formats', () => {
		for (const format of ['json', 'pretty'] as const) {
			const { log, text } = intoText({ format });
			log.info(
				{
					event: 'oops',
					password: 'hunter2-top',
					newPassword: 'hunter3-new',
					cookie: 'SESSIONID=abc-cookie',
					sessionId: 'sid-1234',
					session: 'sess-5678',
					body: 'the secret body',
					text: 'the secret text',
					request: { password: 'nested-pw', body: 'nested-body', verb: 'USE' },
				},
				'careless caller',
			);
			const out = text();
			for (const secret of [
				'hunter2-top',
				'hunter3-new',
				'abc-cookie',
				'sid-1234',
				'sess-5678',
				'the secret body',
				'the secret text',
				'nested-pw',
				'nested-body',
			]) {
				expect(out).not.toContain(secret);
			}
			expect(out).toContain('[redacted]');
			expect(out).toContain('USE');
		}
	});

	it('appends to a file, creating its folder, and keeps what was there', async () => {
		const temp = await makeTempDir();
		temps.push(temp);
		const file = path.join(temp.dir, 'data', 'server.log');
		const first = createLogger({ destination: { kind: 'file', path: file } });
		first.info({ event: 'start' }, 'one');
		first.flush();
		const second = createLogger({ format: 'pretty', destination: { kind: 'file', path: file } });
		second.info({ event: 'start' }, 'two');
		second.flush();
		const lines = (await readFile(file, 'utf8')).trim().split('\n');
		expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'start', msg: 'one' });
		expect(lines[1]).toMatch(/INFO.*two/);
		expect(lines[1]).not.toContain('\u001b[');
	});
});

describe('withoutCredentials', () => {
	it('strips the password of postgres:// and redis:// URLs, keeping user, host, port and name', () => {
		expect(withoutCredentials('postgres://kori:s3cr%40t@db.example:5433/chat')).toBe(
			'postgres://kori@db.example:5433/chat',
		);
		expect(withoutCredentials('redis://:hunter2@cache:6380')).toBe('redis://cache:6380');
		expect(withoutCredentials('rediss://default:pw@cache')).toBe('rediss://default@cache');
		expect(withoutCredentials('postgres://root@127.0.0.1:5432/x')).toBe(
			'postgres://root@127.0.0.1:5432/x',
		);
	});

	it('drops password-like query parameters and keeps the others', () => {
		const url = withoutCredentials(
			'postgres://db/chat?password=pw1&sslmode=require&auth_token=t0k',
		);
		expect(url).toBe('postgres://db/chat?sslmode=require');
	});

	it('reduces an unparseable URL to its scheme, since it may hold anything', () => {
		expect(withoutCredentials('postgres://user:pw@[bad')).toBe('postgres://(unparseable)');
		expect(withoutCredentials('not a url pw')).toBe('(unparseable)');
	});
});
