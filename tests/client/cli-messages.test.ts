import { describe, expect, it } from 'vitest';
import { manyCommands, useCliFixture } from './support/cli-fixture.js';

const cli = useCliFixture();

describe('korichat send / history', () => {
	it(
		'sends text, or standard input with "-" or when no text is given',
		async () => {
			await cli.loggedIn('josie');
			await cli.loggedIn('adrian', 'Adrian Smith');
			const sent = await cli.korichat(['send', 'josie', 'Hey', 'josie!']);
			expect(sent).toEqual({ code: 0, stdout: 'sent message 1 to josie\n', stderr: '' });
			const dash = await cli.korichat(['send', 'josie', '-'], { input: 'line one\nline two\n' });
			expect(dash.stdout).toBe('sent message 2 to josie\n');
			const implicit = await cli.korichat(['send', 'josie', '--json'], { input: 'from a pipe\n' });
			expect(JSON.parse(implicit.stdout)).toEqual({ id: 3, to: 'josie' });

			const history = await cli.korichat(['history', 'josie']);
			expect(history.code).toBe(0);
			expect(history.stdout).toMatch(
				/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] adrian: Hey josie!\n\[[^\]]+\] adrian: line one\n {4}line two\n\[[^\]]+\] adrian: from a pipe\n$/,
			);
			const page = await cli.korichat([
				'history',
				'josie',
				'--before',
				'3',
				'--limit',
				'1',
				'--json',
			]);
			expect(JSON.parse(page.stdout)).toEqual([
				{
					id: 2,
					from: 'adrian',
					to: 'josie',
					group: null,
					body: 'line one\nline two',
					date: expect.any(String),
				},
			]);
		},
		manyCommands,
	);

	it(
		'shows terminal control characters from the network as visible escapes',
		async () => {
			await cli.loggedIn('josie');
			await cli.loggedIn('adrian');
			await cli.korichat(['send', 'josie', '-'], {
				input: 'evil \u001b]0;pwned\u0007 \u001b[2J end',
			});
			const history = await cli.korichat(['history', 'josie']);
			expect(history.stdout).toContain('adrian: evil \\x1b]0;pwned\\x07 \\x1b[2J end');
			// eslint-disable-next-line no-control-regex -- looking for control characters
			expect(history.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
		},
		manyCommands,
	);

	it(
		'exits 1 with the server words for an unknown target, 2 for nothing to send',
		async () => {
			await cli.loggedIn('adrian');
			const ghost = await cli.korichat(['send', 'ghost', 'hello?']);
			expect(ghost).toEqual({
				code: 1,
				stdout: '',
				stderr: 'korichat: no user or group named "ghost"\n',
			});
			const empty = await cli.korichat(['send', 'adrian'], { input: '' });
			expect(empty).toMatchObject({
				code: 2,
				stderr: 'korichat: no message: standard input was empty\n',
			});
			// Invalid UTF-8 is refused as the server would refuse it (400: exit 1), not sent as U+FFFD.
			const invalid = await cli.korichat(['send', 'adrian', '-'], {
				input: Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x0a]),
			});
			expect(invalid).toMatchObject({
				code: 1,
				stdout: '',
				stderr: expect.stringMatching(
					/^korichat: standard input is not valid UTF-8, so nothing was sent/,
				),
			});
			const badName = await cli.korichat(['history', 'not a name']);
			expect(badName.code).toBe(2);
			expect(await cli.korichat(['history', 'adrian', '--limit', '0'])).toMatchObject({ code: 2 });
		},
		manyCommands,
	);
});

describe('korichat users / groups / group …', () => {
	it(
		'lists users with an online marker, manages a group, and exits 3 when not allowed',
		async () => {
			await cli.loggedIn('josie');
			await cli.korichat(['register', 'john']);
			await cli.loggedIn('adrian', 'Adrian Smith');
			const users = await cli.korichat(['users']);
			// The command's own connection is adrian's, so adrian shows online.
			expect(users.stdout).toBe('● adrian (Adrian Smith)\n○ john\n○ josie\n');

			// The connection flags may also come first, as for the chat UI.
			const before = await cli.korichat(['--server', `127.0.0.1:${cli.server.port}`, 'users'], {
				server: false,
			});
			expect(before.stdout).toBe(users.stdout);

			expect((await cli.korichat(['group', 'create', 'chat'])).stdout).toBe('created group chat\n');
			const added = await cli.korichat(['group', 'add', 'chat', 'josie:admin', 'john']);
			expect(added.stdout).toBe('added josie, john to chat\n');
			expect((await cli.korichat(['users', 'chat'])).stdout).toBe(
				'● adrian (Adrian Smith)  owner\n○ john  user\n○ josie  admin\n',
			);
			expect((await cli.korichat(['groups'])).stdout).toBe('chat  owner  3 members\n');
			const json = await cli.korichat(['groups', '--json']);
			expect(JSON.parse(json.stdout)).toEqual([
				{ name: 'chat', owner: 'adrian', role: 'owner', members: 3 },
			]);
			const removed = await cli.korichat(['group', 'remove', 'chat', 'john', '--json']);
			expect(JSON.parse(removed.stdout)).toEqual({ group: 'chat', removed: ['john'] });
			expect((await cli.korichat(['send', 'chat', 'hello group'])).code).toBe(0);

			// Switch to josie: she is an admin, not the owner.
			await cli.korichat(['login', 'josie']);
			const notOwner = await cli.korichat(['group', 'delete', 'chat']);
			expect(notOwner).toMatchObject({
				code: 3,
				stderr: 'korichat: only the owner of chat can delete it\n',
			});
			expect((await cli.korichat(['history', 'chat'])).stdout).toMatch(/\] adrian: hello group\n$/);
			expect((await cli.korichat(['group', 'leave', 'chat'])).stdout).toBe('left chat\n');
			await cli.korichat(['login', 'adrian']);
			expect((await cli.korichat(['group', 'delete', 'chat'])).stdout).toBe('deleted group chat\n');
			expect((await cli.korichat(['groups'])).stdout).toBe('');
		},
		manyCommands,
	);

	it(
		'rejects a bad role or name as usage (exit 2) without asking the server',
		async () => {
			await cli.loggedIn('adrian');
			const role = await cli.korichat(['group', 'add', 'chat', 'josie:owner']);
			expect(role.code).toBe(2);
			expect(role.stderr).toMatch(/the role in "josie:owner" must be admin or user/);
			expect((await cli.korichat(['group', 'remove', 'chat', 'a,b'])).code).toBe(2);
			expect((await cli.korichat(['group'])).code).toBe(2);
		},
		manyCommands,
	);
});
