import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatClient, GroupEvent } from '../../source/client/index.js';
import { keys, loggedInApp, mountMain, uiFixture, type UiFixture } from './support/ui-fixture.js';

let fixture: UiFixture;
beforeEach(async () => {
	fixture = await uiFixture();
});
afterEach(async () => {
	await fixture.close();
});

function groupEvents(client: ChatClient): GroupEvent[] {
	const events: GroupEvent[] = [];
	client.on('group', (event) => events.push(event));
	return events;
}

async function until(check: () => boolean | Promise<boolean>, what: string) {
	const started = Date.now();
	while (!(await check())) {
		if (Date.now() - started > 5000) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

const memberRoles = async (client: ChatClient, group: string) =>
	(await client.listUsers(group)).map((user) => `${user.name}:${user.role}`);

describe('group management from the Groups pane', () => {
	it('creates a group (Alt+N), adds members with a role (Alt+I), removes one (Alt+M, Alt+X)', async () => {
		const josie = await fixture.peer('josie');
		await fixture.peer('john');
		const events = groupEvents(josie);
		const app = await loggedInApp(fixture, 'adrian');
		await app.waitFor('john');
		await app.press(keys.tab, keys.tab);
		await app.waitFor('Alt+N new');
		await app.press(keys.alt('n'));
		await app.waitFor('New group');
		await app.press('tea', keys.enter);
		expect(await app.waitFor('#tea · 1 member · you are owner')).toContain('# tea');

		await app.press(keys.tab, keys.tab, keys.alt('i'));
		await app.waitFor('Add members to #tea');
		await app.press('jsi');
		await app.waitFor((frame) => frame.includes('josie') && !frame.includes('○ john'));
		await app.press(keys.tab);
		await app.waitFor('Role: admin');
		await app.press(keys.enter);
		await app.waitFor(
			(frame) => frame.includes('tea: added josie') && !frame.includes('Add members'),
		);
		await until(
			() => events.some((event) => event.event === 'added' && event.user === 'josie'),
			'josie to be told',
		);
		expect(await memberRoles(josie, 'tea')).toEqual(['adrian:owner', 'josie:admin']);

		// Every dialog gives the focus back to the input.
		await app.press(keys.tab, keys.tab, keys.alt('i'), 'john', ' ', keys.enter);
		await app.waitFor(
			(frame) => frame.includes('tea: added john') && !frame.includes('Add members'),
		);
		await app.press(keys.tab, keys.tab, keys.alt('m'));
		await app.waitFor('Members of #tea (3)');
		// adrian, john, josie: john is one down.
		await app.press(keys.down, keys.alt('x'));
		await app.waitFor('tea: removed john');
		expect(await memberRoles(josie, 'tea')).toEqual(['adrian:owner', 'josie:admin']);
		await app.press(keys.escape);
		await app.waitFor((frame) => !frame.includes('Members of #tea'));
	});

	it("shows the server's 403 plainly when you may not change members, and changes nothing", async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		await josie.createGroup('ops');
		const app = await mountMain(fixture, adrian, 'adrian');
		await josie.addUsers('ops', [{ user: 'adrian' }]);
		await app.waitFor('josie added you to ops');
		await app.waitFor(/# ops\s+user/);
		await app.press(keys.tab, keys.tab, keys.alt('m'));
		await app.waitFor('You are a member: only the owner or an admin');
		await app.waitFor('Members of #ops (2)');
		await app.press(keys.down, keys.alt('x'));
		const refused = await app.waitFor('✗ Could not remove from ops: only the owner or an admin');
		expect(refused).toContain('Members of #ops');
		expect(await memberRoles(josie, 'ops')).toEqual(['adrian:user', 'josie:owner']);
	});

	it('leaves (Alt+L) and deletes (Alt+D) only when confirmed, never from a letter', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		await josie.createGroup('ops');
		await josie.addUsers('ops', [{ user: 'adrian' }]);
		const events = groupEvents(josie);
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/create tea', keys.enter);
		await app.waitFor('#tea · 1 member');
		await app.press(keys.tab, keys.tab);
		// Groups are listed by name: ops first, then tea. Enter on Cancel (the default) keeps it.
		await app.press(keys.down, keys.alt('d'));
		await app.waitFor('Delete #tea?');
		await app.press('y', keys.enter);
		await app.waitFor((frame) => !frame.includes('Delete #tea?'));
		expect(app.frame()).toContain('# tea');
		await app.press(keys.tab, keys.tab, keys.down, keys.alt('d'));
		await app.waitFor('Delete #tea?');
		await app.press(keys.left, keys.enter);
		await app.waitFor('Deleted tea');
		expect(app.frame()).not.toContain('# tea');
		await app.press(keys.tab, keys.tab, keys.alt('l'));
		await app.waitFor('Leave #ops?');
		await app.press(keys.alt('y'));
		await app.waitFor('You left ops');
		expect(app.frame()).toContain('none yet');
		await until(
			() => events.some((event) => event.event === 'removed' && event.user === 'adrian'),
			'josie to see adrian leave',
		);
	});

	it('follows membership changes made elsewhere, live', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		await fixture.peer('john');
		const app = await mountMain(fixture, adrian, 'adrian');
		await josie.createGroup('ops');
		await josie.addUsers('ops', [{ user: 'adrian', role: 'admin' }]);
		await app.waitFor(/# ops\s+admin/);
		await app.press('/group ops', keys.enter);
		await app.waitFor('#ops · 2 members · you are admin');
		await josie.addUsers('ops', [{ user: 'john' }]);
		await app.waitFor('#ops · 3 members');
		await josie.deleteGroup('ops');
		const frame = await app.waitFor('ops was deleted by josie');
		expect(frame).toContain('you are not a member');
	});
});

describe('group management with slash commands', () => {
	it('/create, /invite with roles, /kick, /leave and /delete act on the open group', async () => {
		const josie = await fixture.peer('josie');
		await fixture.peer('john');
		const app = await loggedInApp(fixture, 'adrian');
		await app.press('/create tea', keys.enter);
		await app.waitFor('[1] #tea');
		await app.press('/invite josie:admin john', keys.enter);
		await app.waitFor('tea: added josie, john');
		expect(await memberRoles(josie, 'tea')).toEqual(['adrian:owner', 'john:user', 'josie:admin']);
		await app.press('/kick john', keys.enter);
		await app.waitFor('tea: removed john');
		await app.press('/leave', keys.enter);
		const refused = await app.waitFor(
			'Could not leave tea: you own tea: delete it instead of leaving',
		);
		expect(refused).not.toMatch(/409|RM_GROUP/);
		await app.press('/delete', keys.enter);
		await app.waitFor('Delete #tea?');
		await app.press(keys.alt('y'));
		await app.waitFor('Deleted tea');
		await expect(josie.listUsers('tea')).rejects.toMatchObject({ status: 404 });
	});

	it('runs lines typed in one burst in order, each after the one before', async () => {
		const josie = await fixture.peer('josie');
		const app = await loggedInApp(fixture, 'adrian');
		await app.press('/create tea\r/invite josie:admin\rhello tea party\r');
		await app.waitFor(/adrian │ hello tea party/);
		expect(await memberRoles(josie, 'tea')).toEqual(['adrian:owner', 'josie:admin']);
		expect((await josie.history('tea')).map((message) => message.body)).toEqual([
			'hello tea party',
		]);
	});

	it('explains commands that need an open group or a valid name', async () => {
		const app = await loggedInApp(fixture, 'adrian');
		await app.press('/kick john', keys.enter);
		await app.waitFor('/kick acts on the open group');
		await app.press('/invite josie:owner', keys.enter);
		await app.waitFor('must be admin or user');
		await app.press('/group nowhere', keys.enter);
		await app.waitFor('you are not in a group named nowhere');
		await app.press('/dm nobody', keys.enter);
		await app.waitFor('there is no user named nobody');
	});
});
