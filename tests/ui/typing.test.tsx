import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatClient } from '../../source/client/index.js';
import {
	keys,
	mountMain,
	uiFixture,
	type MountedApp,
	type UiFixture,
} from './support/ui-fixture.js';

let fixture: UiFixture;
beforeEach(async () => {
	fixture = await uiFixture();
});
afterEach(async () => {
	await fixture.close();
});

const ctrlU = '\u0015';
const sentences = ['hello everyone', '/invite carol:user dave', 'yes, leave it: n m a d x p y l'];
const dialogTitles = [
	'Keys and commands',
	'Go to a conversation',
	'New group',
	'Add members',
	'Members of',
	'Leave #',
	'Delete #',
];

/** Who is in which group, with roles, as the server sees it. */
async function serverView(client: ChatClient) {
	const groups = await client.listGroups();
	return Promise.all(
		groups.map(async (group) => ({
			group: group.name,
			members: (await client.listUsers(group.name)).map((user) => `${user.name}:${user.role}`),
		})),
	);
}

/** Types each sentence (no Enter) and checks it is in the input, then clears it with Ctrl+U. */
async function typeSentences(app: MountedApp, where: string) {
	for (const sentence of sentences) {
		await app.press(sentence);
		const frame = await app.waitFor(`› ${sentence}`, 3000).catch((error: Error) => {
			throw new Error(`${where}: ${error.message}`);
		});
		for (const title of dialogTitles) expect(frame, `${where}: ${title}`).not.toContain(title);
		await app.press(ctrlU);
		await app.waitFor((screen) => !screen.includes(`› ${sentence}`));
	}
}

describe('typing always reaches the input', () => {
	it('types whole sentences from each pane and after each dialog, changing nothing else', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const bob = await fixture.peer('bob');
		await fixture.peer('carol');
		await fixture.peer('dave');
		await bob.createGroup('team-chat');
		await bob.addUsers('team-chat', [{ user: 'adrian', role: 'admin' }]);
		await adrian.connect();
		await adrian.createGroup('mine');
		const before = await serverView(bob);
		const mine = await adrian.listUsers('mine');

		const app = await mountMain(fixture, adrian, 'adrian');
		await app.waitFor('team-chat');
		await typeSentences(app, 'input');
		await app.press(keys.tab);
		await app.waitFor('↑/↓ move');
		await typeSentences(app, 'Users pane');
		await app.press(keys.tab, keys.tab);
		await app.waitFor('Alt+N new');
		await typeSentences(app, 'Groups pane');

		const dialogs: [string, string[], string][] = [
			['help', [keys.f1], 'Keys and commands'],
			['quick switcher', [keys.ctrlK], 'Go to a conversation'],
			['new group', [keys.tab, keys.tab, keys.alt('n')], 'New group'],
			['add members', [keys.tab, keys.tab, keys.down, keys.alt('i')], 'Add members'],
			['members', [keys.tab, keys.tab, keys.down, keys.alt('m')], 'Members of'],
			['leave', [keys.tab, keys.tab, keys.down, keys.alt('l')], 'Leave #team-chat?'],
			['delete', [keys.tab, keys.tab, keys.up, keys.alt('d')], 'Delete #mine?'],
		];
		for (const [name, opening, title] of dialogs) {
			await app.press(...opening);
			await app.waitFor(title);
			await app.press(keys.escape);
			await app.waitFor((frame) => !frame.includes(title));
			await typeSentences(app, `after the ${name} dialog`);
		}
		// A sentence typed in the members list or a confirmation closes it, changing nothing, and
		// lands in the input.
		await app.press(keys.tab, keys.tab, keys.down, keys.alt('m'));
		await app.waitFor('Members of #team-chat');
		await app.press(keys.down, 'hello everyone x p');
		await app.waitFor(
			(frame) => !frame.includes('Members of') && frame.includes('› hello everyone x p'),
		);
		await app.press(keys.ctrlU, keys.tab, keys.tab, keys.down, keys.alt('l'));
		await app.waitFor('Leave #team-chat?');
		await app.press('yes y Y');
		await app.waitFor(
			(frame) => !frame.includes('Leave #team-chat?') && frame.includes('› yes y Y'),
		);

		expect(await serverView(bob)).toEqual(before);
		expect(await adrian.listUsers('mine')).toEqual(mine);
		expect(app.frame()).toContain('team-chat');
	});
});

describe('Tab completion in the input', () => {
	it('completes names in /dm and after @, cycles, and moves the focus from an empty line', async () => {
		await fixture.peer('josie');
		await fixture.peer('john');
		const adrian = await fixture.loggedIn('adrian');
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.waitFor('john');
		await app.press('/dm jos', keys.tab);
		await app.waitFor('› /dm josie');
		await app.press(keys.enter);
		await app.waitFor('[1] @josie');
		await app.press('hi @j', keys.tab);
		await app.waitFor('› hi @josie');
		await app.press(keys.tab);
		await app.waitFor('› hi @john');
		await app.press(keys.ctrlU, keys.tab);
		await app.waitFor('↑/↓ move');
	});
});
