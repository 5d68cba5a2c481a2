import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/postgres.js';
import { redisUrl } from '../helpers/redis.js';
import {
	isMessage,
	isNotice,
	makeGroup,
	pushesWithin,
	send,
} from '../helpers/conversation-steps.js';
import { clusterServices } from './support/services.js';
import { startCluster, type Cluster } from './support/cluster-nodes.js';

const pg = await clusterServices();

describe.skipIf(!pg.available)('§7 pushes across two nodes of one cluster', () => {
	let database: TestDatabase;
	let cluster: Cluster;
	beforeEach(async () => {
		database = await pg.createDatabase();
		cluster = await startCluster({ storeUrl: database.url, busUrl: redisUrl, nodes: 2 });
		await cluster.register(0, 'adrian');
		await cluster.register(1, 'josie');
	});
	afterEach(async () => {
		await cluster.stop();
		await database.drop();
	});

	it("pushes own messages to the sender's connection on the other node once, not to the sending one", async () => {
		const phone = await cluster.login(0, 'adrian');
		const laptop = await cluster.login(1, 'adrian');
		const josie = await cluster.login(1, 'josie');
		const id = await send(phone, 'josie', 'from node A');
		const mine = await laptop.waitForPush(isMessage('from node A'));
		expect(Number(mine.headers.get('message-id'))).toBe(id);
		expect(mine.headers.get('from')).toBe('adrian');
		await josie.waitForPush(isMessage('from node A'));
		const self = await send(laptop, 'adrian', 'note to self from node B');
		const note = await phone.waitForPush(isMessage('note to self from node B'));
		expect(Number(note.headers.get('message-id'))).toBe(self);
		expect(await pushesWithin(laptop, isMessage(), 500)).toEqual([]);
		expect(await pushesWithin(phone, isMessage(), 0)).toEqual([]);
	});

	it('sends edit, delete, read and typing notices to connections on the other node', async () => {
		const phone = await cluster.login(0, 'adrian');
		const laptop = await cluster.login(1, 'adrian');
		const josie = await cluster.login(1, 'josie');
		await makeGroup(phone, 'crew', 'josie');
		const id = await send(phone, 'crew', 'helo');
		const edit = await phone.request('EDIT', String(id), {}, 'hello');
		expect(edit.status).toBe(200);
		const editNotice = { id, from: 'adrian', to: 'crew', group: 'crew', body: 'hello' };
		for (const other of [josie, laptop]) {
			expect((await other.waitForPush(isNotice('edit'))).json).toMatchObject(editNotice);
		}
		expect((await josie.request('READ', 'crew', { 'Message-Id': String(id) })).status).toBe(200);
		expect((await phone.request('READ', 'crew', { 'Message-Id': String(id) })).status).toBe(200);
		expect((await laptop.waitForPush(isNotice('read'))).json).toEqual({
			to: 'crew',
			group: 'crew',
			id,
		});
		expect((await josie.request('TYPING', 'adrian')).status).toBe(200);
		for (const device of [phone, laptop]) {
			const typing = await device.waitForPush(isNotice('typing'));
			expect(typing.json).toEqual({ user: 'josie', to: 'adrian', group: null });
		}
		expect((await phone.request('DELETE', String(id))).status).toBe(200);
		for (const other of [josie, laptop]) {
			const notice = await other.waitForPush(isNotice('delete'));
			expect(notice.json).toEqual({ id, from: 'adrian', to: 'crew', group: 'crew', by: 'adrian' });
		}
		// The connection that made a change hears nothing of it.
		const ownChanges = (p: { kind: string; target: string }) =>
			p.kind === 'NOTIFY' && ['edit', 'delete', 'read'].includes(p.target);
		expect(await pushesWithin(phone, ownChanges)).toEqual([]);
	});

	it("logs out the user's connections on the other node after a PASSWD", async () => {
		const phone = await cluster.login(0, 'adrian');
		const laptop = await cluster.login(1, 'adrian');
		const josie = await cluster.login(1, 'josie');
		const headers = { Password: 'correct horse', 'New-Password': 'battery staple' };
		expect((await phone.request('PASSWD', undefined, headers)).status).toBe(200);
		await send(josie, 'adrian', 'are you there?');
		await phone.waitForPush(isMessage('are you there?'));
		expect(await pushesWithin(laptop, isMessage(), 500)).toEqual([]);
		const refused = await laptop.request('PING');
		expect(refused.status).toBe(401);
		expect(refused.headers.get('set-cookie')).toBe('SESSIONID=; Max-Age=0');
		expect((await phone.request('PING')).status).toBe(200);
	});
});
