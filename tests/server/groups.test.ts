import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, type ChatFixture } from '../helpers/chat-fixture.js';
import type { RawClient } from '../helpers/raw-client.js';

let chat: ChatFixture;
let adrian: RawClient;
let josie: RawClient;
beforeEach(async () => {
	chat = await chatFixture();
	adrian = await chat.user('adrian');
	josie = await chat.user('josie');
	await chat.register('john');
});
afterEach(async () => {
	await chat.close();
});

const groupEvent = (event: string) => (p: { target: string; json: any }) =>
	p.target === 'group' && p.json.event === event;

describe('MK_GROUP and LIST_GROUP', () => {
	it('creates a group owned by the caller, also with an explicit :owner', async () => {
		expect((await adrian.request('MK_GROUP', 'Chat')).status).toBe(201);
		expect((await adrian.request('MK_GROUP', 'work:adrian')).status).toBe(201);
		const list = await adrian.request('LIST_GROUP');
		expect(list.json).toEqual({
			groups: [
				{ name: 'chat', owner: 'adrian', role: 'owner', members: 1 },
				{ name: 'work', owner: 'adrian', role: 'owner', members: 1 },
			],
		});
		expect((await josie.request('LIST_GROUP')).json).toEqual({ groups: [] });
	});

	it('answers 403 for another owner, 409 for a taken name, 400 for a bad one', async () => {
		expect((await adrian.request('MK_GROUP', 'chat:josie')).status).toBe(403);
		expect((await adrian.request('MK_GROUP', 'chat')).status).toBe(201);
		expect((await josie.request('MK_GROUP', 'chat')).status).toBe(409);
		expect((await josie.request('MK_GROUP', 'john')).status).toBe(409);
		expect((await josie.request('MK_GROUP', 'bad!name')).status).toBe(400);
	});
});

describe('ADD_USER', () => {
	beforeEach(async () => {
		await adrian.request('MK_GROUP', 'chat');
	});

	it('adds members with roles and tells them', async () => {
		const response = await adrian.request('ADD_USER', 'chat', { Invite: 'josie:admin, john' });
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ added: ['josie', 'john'] });
		const told = await josie.waitForPush(groupEvent('added'));
		expect(told.json).toMatchObject({ group: 'chat', user: 'josie', by: 'adrian', role: 'admin' });
		const members = await josie.request('LIST_USER', 'chat');
		expect(members.json.users).toEqual(['adrian', 'john', 'josie']);
		expect(members.json.details.map((d: any) => d.role)).toEqual(['owner', 'user', 'admin']);
	});

	it('adds nobody when one invited user is unknown (404)', async () => {
		const response = await adrian.request('ADD_USER', 'chat', { Invite: 'josie,ghost' });
		expect(response.status).toBe(404);
		expect(response.json.error).toContain('ghost');
		expect((await adrian.request('LIST_USER', 'chat')).json.users).toEqual(['adrian']);
	});

	it('lets only the owner or an admin add, and only the owner grant admin', async () => {
		await adrian.request('ADD_USER', 'chat', { Invite: 'josie:user' });
		expect((await josie.request('ADD_USER', 'chat', { Invite: 'john' })).status).toBe(403);
		await adrian.request('ADD_USER', 'chat', { Invite: 'josie:admin' });
		expect((await josie.request('ADD_USER', 'chat', { Invite: 'john:admin' })).status).toBe(403);
		expect((await josie.request('ADD_USER', 'chat', { Invite: 'john' })).status).toBe(200);
	});

	it('answers 400 for a bad Invite, 404 for an unknown group, 403 for a non-member', async () => {
		expect((await adrian.request('ADD_USER', 'chat', { Invite: 'josie:boss' })).status).toBe(400);
		expect((await adrian.request('ADD_USER', 'chat', { Invite: 'josie:owner' })).status).toBe(400);
		expect((await adrian.request('ADD_USER', 'chat')).status).toBe(400);
		expect((await adrian.request('ADD_USER', 'nowhere', { Invite: 'josie' })).status).toBe(404);
		expect((await josie.request('ADD_USER', 'chat', { Invite: 'john' })).status).toBe(403);
	});

	it('changes a role with a role event', async () => {
		await adrian.request('ADD_USER', 'chat', { Invite: 'josie' });
		const response = await adrian.request('ADD_USER', 'chat', { Invite: 'josie:admin' });
		expect(response.json).toEqual({ added: ['josie'] });
		const told = await josie.waitForPush(groupEvent('role'));
		expect(told.json).toMatchObject({ group: 'chat', user: 'josie', role: 'admin' });
	});
});

describe('RM_USER, LEAVE and RM_GROUP', () => {
	beforeEach(async () => {
		await adrian.request('MK_GROUP', 'chat');
		await adrian.request('ADD_USER', 'chat', { Invite: 'josie:admin,john' });
	});

	it('removes members and tells the removed user', async () => {
		const response = await adrian.request('RM_USER', 'chat', { Remove: 'josie' });
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ removed: ['josie'] });
		const told = await josie.waitForPush(groupEvent('removed'));
		expect(told.json).toMatchObject({ group: 'chat', user: 'josie', by: 'adrian' });
		expect((await josie.request('LIST_USER', 'chat')).status).toBe(403);
	});

	it('never removes the owner, and lets plain users remove nobody', async () => {
		expect((await josie.request('RM_USER', 'chat', { Remove: 'adrian' })).status).toBe(403);
		const john = await chat.user('john', { register: false });
		expect((await john.request('RM_USER', 'chat', { Remove: 'josie' })).status).toBe(403);
		expect((await josie.request('RM_USER', 'chat', { Remove: 'john' })).status).toBe(200);
		expect((await adrian.request('RM_USER', 'chat', { Remove: 'ghost' })).status).toBe(404);
	});

	it('LEAVE: 200 for a member, 409 for the owner, 403 for a non-member', async () => {
		expect((await josie.request('LEAVE', 'chat')).status).toBe(200);
		expect((await josie.request('LEAVE', 'chat')).status).toBe(403);
		expect((await adrian.request('LEAVE', 'chat')).status).toBe(409);
		expect((await adrian.request('LEAVE', 'nowhere')).status).toBe(404);
	});

	it('RM_GROUP: only the owner deletes; members are told', async () => {
		expect((await josie.request('RM_GROUP', 'chat')).status).toBe(403);
		expect((await adrian.request('RM_GROUP', 'chat')).status).toBe(200);
		const told = await josie.waitForPush(groupEvent('deleted'));
		expect(told.json).toMatchObject({ group: 'chat', by: 'adrian' });
		expect((await adrian.request('LIST_GROUP')).json.groups).toEqual([]);
		expect((await adrian.request('SEND', 'chat', {}, 'anyone?')).status).toBe(404);
	});

	it('does not show a re-created group the old group history', async () => {
		await adrian.request('SEND', 'chat', {}, 'old secret');
		await adrian.request('RM_GROUP', 'chat');
		await josie.request('MK_GROUP', 'chat');
		expect((await josie.request('HISTORY', 'chat')).json.messages).toEqual([]);
	});
});

describe('LIST_USER <group>', () => {
	it('answers 403 to a non-member and 404 for an unknown group', async () => {
		await adrian.request('MK_GROUP', 'chat');
		expect((await josie.request('LIST_USER', 'chat')).status).toBe(403);
		expect((await josie.request('LIST_USER', 'nowhere')).status).toBe(404);
	});
});
