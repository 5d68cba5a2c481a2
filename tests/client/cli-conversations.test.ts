import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';
import { manyCommands, password, useCliFixture } from './support/cli-fixture.js';

// korichat edit / delete / search / unread / passwd / send --reply-to, as real child processes.
const cli = useCliFixture();
const time = String.raw`\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\]`;

describe('korichat send --reply-to / edit / delete', () => {
	it(
		'replies, edits (text or standard input) and deletes; history shows each',
		async () => {
			await cli.loggedIn('josie');
			await cli.loggedIn('adrian');
			expect((await cli.korichat(['send', 'josie', 'lunch?'])).stdout).toBe(
				'sent message 1 to josie\n',
			);
			const reply = await cli.korichat(['send', 'josie', 'or dinner', '--reply-to', '1', '--json']);
			expect(JSON.parse(reply.stdout)).toEqual({ id: 2, to: 'josie', replyTo: 1 });
			expect(await cli.korichat(['edit', '1', 'lunch', 'today?'])).toEqual({
				code: 0,
				stdout: 'edited message 1\n',
				stderr: '',
			});
			const fromStdin = await cli.korichat(['edit', '2', '-', '--json'], {
				input: 'or dinner\nat eight\n',
			});
			expect(JSON.parse(fromStdin.stdout)).toEqual({ id: 2, edited: expect.any(String) });
			await cli.korichat(['send', 'josie', 'never mind']);
			expect(await cli.korichat(['delete', '3'])).toMatchObject({
				code: 0,
				stdout: 'deleted message 3\n',
			});

			const history = await cli.korichat(['history', 'josie']);
			expect(history.stdout).toMatch(
				new RegExp(
					`^${time} adrian: lunch today\\? \\(edited\\)\n` +
						`${time} adrian \\(reply to 1\\): or dinner\n {4}at eight \\(edited\\)\n` +
						`${time} adrian: \\(deleted\\)\n$`,
				),
			);
			const json = JSON.parse((await cli.korichat(['history', 'josie', '--json'])).stdout);
			expect(json).toEqual([
				expect.objectContaining({ id: 1, body: 'lunch today?', edited: expect.any(String) }),
				expect.objectContaining({ id: 2, body: 'or dinner\nat eight', replyTo: 1 }),
				expect.objectContaining({ id: 3, body: '', deleted: true }),
			]);
		},
		manyCommands,
	);

	it(
		'exits 3 for a message that is not yours, 1 for an unknown or deleted one, 2 for a bad id',
		async () => {
			await cli.loggedIn('josie');
			await cli.korichat(['send', 'josie', 'a note from josie to herself']);
			await cli.loggedIn('adrian');
			const notMine = await cli.korichat(['edit', '1', 'hijacked']);
			expect(notMine).toMatchObject({
				code: 3,
				stdout: '',
				stderr: expect.stringMatching(/^korichat: /),
			});
			expect((await cli.korichat(['delete', '1'])).code).toBe(3);
			expect(await cli.korichat(['delete', '99'])).toMatchObject({ code: 1, stdout: '' });
			expect((await cli.korichat(['edit', 'one', 'text'])).code).toBe(2);
			expect((await cli.korichat(['edit', '1'], { input: '' })).code).toBe(2);
			expect((await cli.korichat(['send', 'josie', 'x', '--reply-to', '0'])).code).toBe(2);
			// A reply to a message of another conversation: the server refuses it (400).
			expect(await cli.korichat(['send', 'adrian', 'x', '--reply-to', '1'])).toMatchObject({
				code: 1,
			});
			await cli.korichat(['login', 'josie']);
			const history = await cli.korichat(['history', 'josie', '--json']);
			expect(JSON.parse(history.stdout)).toEqual([
				expect.objectContaining({ id: 1, body: 'a note from josie to herself' }),
			]);
		},
		manyCommands,
	);
});

describe('korichat search / unread', () => {
	it(
		'searches every conversation or one, newest first, a line per message with its id',
		async () => {
			await cli.loggedIn('josie');
			await cli.korichat(['group', 'create', 'chat']);
			await cli.korichat(['send', 'chat', 'Lunch at noon?']);
			await cli.loggedIn('adrian');
			await cli.korichat(['send', 'josie', 'lunch\nplans']);
			await cli.korichat(['send', 'josie', 'nothing here']);

			// adrian is not in josie's group: only his own conversation is searched.
			const found = await cli.korichat(['search', 'LUNCH']);
			expect(found.stdout).toMatch(new RegExp(`^2 ${time} adrian → josie: lunch ↵ plans\n$`));
			await cli.korichat(['login', 'josie']);
			const both = await cli.korichat(['search', 'lun*']);
			expect(both.stdout).toMatch(
				new RegExp(
					`^2 ${time} adrian → josie: lunch ↵ plans\n1 ${time} josie → #chat: Lunch at noon\\?\n$`,
				),
			);
			const one = await cli.korichat(['search', 'lunch', '--in', 'chat', '--json']);
			expect(JSON.parse(one.stdout)).toEqual([
				expect.objectContaining({ id: 1, from: 'josie', to: 'chat', group: 'chat' }),
			]);
			expect((await cli.korichat(['search', 'lunch', '--limit', '1'])).stdout).toMatch(
				/^2 [^\n]*\n$/,
			);
			expect((await cli.korichat(['search', 'lunch', '--before', '2'])).stdout).toMatch(
				/^1 [^\n]*josie → #chat: Lunch at noon\?\n$/,
			);
			expect((await cli.korichat(['search', 'dinner'])).stdout).toBe(
				'no messages match "dinner"\n',
			);
		},
		manyCommands,
	);

	it(
		'refuses an empty search (2) and a conversation you are not in (3)',
		async () => {
			await cli.loggedIn('josie');
			await cli.korichat(['group', 'create', 'secret']);
			await cli.loggedIn('adrian');
			expect(await cli.korichat(['search', '-', '…'])).toMatchObject({
				code: 2,
				stderr: 'korichat: nothing to search for: give at least one word of letters or digits\n',
			});
			expect((await cli.korichat(['search', 'x', '--limit', '101'])).code).toBe(2);
			expect((await cli.korichat(['search', 'x', '--in', 'secret'])).code).toBe(3);
		},
		manyCommands,
	);

	it(
		'lists conversations with unread counts, newest first',
		async () => {
			await cli.loggedIn('adrian');
			expect((await cli.korichat(['unread'])).stdout).toBe('no conversations yet\n');
			await cli.loggedIn('josie');
			await cli.korichat(['group', 'create', 'chat']);
			await cli.korichat(['group', 'add', 'chat', 'adrian']);
			await cli.korichat(['send', 'adrian', 'one']);
			await cli.korichat(['send', 'adrian', 'two']);
			await cli.korichat(['send', 'chat', 'news']);
			await cli.korichat(['login', 'adrian']);
			expect((await cli.korichat(['unread'])).stdout).toBe(
				'#chat  1 unread  (newest 3, none read)\njosie  2 unread  (newest 2, none read)\n',
			);
			const json = JSON.parse((await cli.korichat(['unread', '--json'])).stdout);
			expect(json).toEqual([
				{ to: 'chat', group: 'chat', lastRead: 0, lastId: 3, unread: 1 },
				{ to: 'josie', group: null, lastRead: 0, lastId: 2, unread: 2 },
			]);
		},
		manyCommands,
	);
});

describe('korichat passwd', () => {
	const newPassword = 'a new staple battery';

	it(
		'changes the password: this session stays, another device is logged out',
		async () => {
			await cli.loggedIn('adrian');
			const other = await makeTempDir();
			try {
				const elsewhere = { KORICHAT_CONFIG_DIR: other.dir };
				expect((await cli.korichat(['login', 'adrian'], { env: elsewhere })).code).toBe(0);
				const changed = await cli.korichat(['passwd'], {
					env: { KORICHAT_NEW_PASSWORD: newPassword },
				});
				expect(changed).toEqual({
					code: 0,
					stdout: 'password changed for adrian; your other sessions are logged out\n',
					stderr: '',
				});
				expect((await cli.korichat(['users'])).code).toBe(0);
				const loggedOut = await cli.korichat(['users'], { env: elsewhere });
				expect(loggedOut).toMatchObject({
					code: 3,
					stderr: expect.stringMatching(/session on .* has expired or was ended elsewhere/),
				});
				const oldLogin = await cli.korichat(['login', 'adrian'], { env: elsewhere });
				expect(oldLogin.code).toBe(3);
				const newLogin = await cli.korichat(['login', 'adrian', '--json'], {
					env: { ...elsewhere, KORICHAT_PASSWORD: newPassword },
				});
				expect(JSON.parse(newLogin.stdout)).toMatchObject({ user: 'adrian' });
				expect(changed.stdout + loggedOut.stderr + newLogin.stdout).not.toContain(newPassword);
			} finally {
				await other.remove();
			}
		},
		manyCommands,
	);

	it(
		'exits 3 for a wrong current password and 2 for a bad or missing new one, changing nothing',
		async () => {
			await cli.loggedIn('adrian');
			const wrong = await cli.korichat(['passwd'], {
				env: { KORICHAT_PASSWORD: 'not the password', KORICHAT_NEW_PASSWORD: newPassword },
			});
			expect(wrong).toMatchObject({
				code: 3,
				stderr: 'korichat: wrong current password; nothing was changed\n',
			});
			const short = await cli.korichat(['passwd'], { env: { KORICHAT_NEW_PASSWORD: 'short' } });
			expect(short).toMatchObject({
				code: 2,
				stderr: 'korichat: the new password must be 8 to 256 characters; nothing was changed\n',
			});
			const none = await cli.korichat(['passwd']);
			expect(none).toMatchObject({
				code: 2,
				stderr:
					'korichat: no new password: set KORICHAT_NEW_PASSWORD, or run korichat in a terminal to be asked for it\n',
			});
			// The old password still logs in.
			expect(
				(await cli.korichat(['login', 'adrian'], { env: { KORICHAT_PASSWORD: password } })).code,
			).toBe(0);
		},
		manyCommands,
	);
});
