import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient } from '../../source/client/chat-client.js';
import { MemorySessionStore } from '../../source/client/cookie-store.js';
import { ChatProtocolError } from '../../source/client/errors.js';
import { sleep } from './support/wait.js';

// A scripted server over real TCP, to send what a real one never would: malformed §7 pushes
// and answers. The client must skip or refuse them, and go on with what follows.
let servers: Server[] = [];
let clients: ChatClient[] = [];
afterEach(async () => {
	await Promise.all(clients.map((client) => client.close()));
	await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
	servers = [];
	clients = [];
});

const frame = (startLine: string, json: unknown, extra = '') => {
	const body = Buffer.from(JSON.stringify(json));
	return `${startLine}\r\n${extra}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
};
const notify = (kind: string, json: unknown) => frame(`NOTIFY ${kind} CHAT/1.0`, json);

/**
 * A server that writes `onConnect` at once and answers every request with `answer`; the client
 * starts with a stored session when `asUser` is given, as after a login.
 */
async function scripted(onConnect: string, answer: string, asUser?: string): Promise<ChatClient> {
	const server = createServer((socket: Socket) => {
		socket.write(onConnect);
		socket.on('data', (chunk: Buffer) => {
			// One answer per request start line (requests here have no body).
			const requests = chunk.toString('latin1').match(/^[A-Z_]+ [^\r\n]*CHAT\/1\.0\r\n/gm) ?? [];
			for (let i = 0; i < requests.length; i++) socket.write(answer);
		});
		socket.on('error', () => undefined);
	});
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
	const sessions = new MemorySessionStore();
	if (asUser) sessions.save(address, { user: asUser, sessionId: 'a-stored-session' });
	const client = new ChatClient({ server: address, sessions, reconnect: false });
	clients.push(client);
	return client;
}

describe('NOTIFY read / edit / delete / typing from a misbehaving server', () => {
	it('skips the malformed ones and emits the well-formed ones that follow', async () => {
		const pushes = [
			notify('edit', { id: 5, from: 'adrian', to: 'josie', group: null, edited: 'x' }),
			notify('read', { to: 'josie', group: null, id: 'seven' }),
			notify('delete', { id: 5, from: 'adrian', to: 'josie', group: 3, by: 'adrian' }),
			notify('typing', { to: 'josie', group: null }),
			notify('typing', { user: 'adrian', to: 'josie', group: null }),
			notify('read', { to: 'chat', group: 'chat', id: 7 }),
			notify('edit', {
				id: 5,
				from: 'adrian',
				to: 'josie',
				group: null,
				body: 'fixed',
				edited: '2026-12-03T12:00:00.000Z',
			}),
			notify('delete', { id: 6, from: 'josie', to: 'chat', group: 'chat', by: 'adrian' }),
			notify('future-kind', { anything: true }),
		].join('');
		const chat = await scripted(pushes, 'CHAT/1.0 200 OK\r\n\r\n');
		const events: unknown[] = [];
		chat.on('read', (read) => events.push({ read }));
		chat.on('edit', (edit) => events.push({ edit }));
		chat.on('delete', (event) => events.push({ delete: event }));
		chat.on('typing', (typing) => events.push({ typing }));
		await chat.connect();
		await chat.ping();
		await sleep(50);
		expect(events).toEqual([
			{ typing: { user: 'adrian', to: 'josie', group: null } },
			{ read: { to: 'chat', group: 'chat', id: 7 } },
			{
				edit: {
					id: 5,
					from: 'adrian',
					to: 'josie',
					group: null,
					body: 'fixed',
					edited: '2026-12-03T12:00:00.000Z',
				},
			},
			{ delete: { id: 6, from: 'josie', to: 'chat', group: 'chat', by: 'adrian' } },
		]);
	});

	it('refuses a MSG push whose Reply-To is not an id, and reads one that is', async () => {
		const msg = (id: number, replyTo: string) =>
			`MSG josie CHAT/1.0\r\nFrom: adrian\r\nMessage-Id: ${id}\r\nDate: 2026-12-03T12:00:00.000Z\r\nReply-To: ${replyTo}\r\nContent-Length: 2\r\n\r\nhi`;
		const chat = await scripted(msg(2, 'one') + msg(3, '2'), 'CHAT/1.0 200 OK\r\n\r\n', 'josie');
		const messages: unknown[] = [];
		chat.on('message', (message) => messages.push(message));
		await chat.connect();
		await chat.ping();
		expect(messages).toEqual([
			{
				id: 3,
				from: 'adrian',
				to: 'josie',
				group: null,
				body: 'hi',
				date: '2026-12-03T12:00:00.000Z',
				replyTo: 2,
			},
		]);
	});
});

describe('§7 answers from a misbehaving server', () => {
	it('rejects an unreadable UNREAD, EDIT, SEARCH or READ answer with ChatProtocolError', async () => {
		const chat = await scripted('', frame('CHAT/1.0 200 OK', { conversations: [{ to: 1 }] }));
		await chat.connect();
		await expect(chat.unread()).rejects.toThrow(ChatProtocolError);
		await expect(chat.unread()).rejects.toThrow('the server sent an unreadable unread list');
		await expect(chat.edit(1, 'x')).rejects.toThrow(ChatProtocolError);
		await expect(chat.search('x')).rejects.toThrow(ChatProtocolError);
		// READ answers the new position; without one, the asked id is the least it can be.
		expect(await chat.markRead('josie', 4)).toBe(4);
	});

	it('reads a SEARCH answer whose items carry replyTo, edited and deleted', async () => {
		const item = { id: 3, from: 'a', to: 'b', group: null, body: '', date: 'd' };
		const answer = frame('CHAT/1.0 200 OK', {
			messages: [
				{ ...item, replyTo: 2, edited: 'e' },
				{ ...item, id: 2, replyTo: null, deleted: true },
				{ ...item, id: 1, deleted: false },
			],
		});
		const chat = await scripted('', answer);
		await chat.connect();
		expect(await chat.search('x')).toEqual([
			{ ...item, replyTo: 2, edited: 'e' },
			{ ...item, id: 2, deleted: true },
			{ ...item, id: 1 },
		]);
		const bad = frame('CHAT/1.0 200 OK', { messages: [{ ...item, replyTo: 'two' }] });
		const other = await scripted('', bad);
		await other.connect();
		await expect(other.search('x')).rejects.toThrow('the server sent an unreadable message');
	});
});
