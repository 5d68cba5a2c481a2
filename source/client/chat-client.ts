import { EventEmitter } from 'node:events';
import type { Push, Response } from '../protocol/frame.js';
import {
	linkOptionsFrom,
	type ChatClientEvents,
	type ChatClientOptions,
} from './chat-client-options.js';
import { ChatLink, type ConnectionState, type SessionEndReason } from './chat-link.js';
import type { OutgoingRequest } from './connection.js';
import { MemorySessionStore } from './cookie-store.js';
import {
	decodeGroups,
	decodeHistory,
	decodeMessagePush,
	decodeNames,
	decodeNotification,
	decodeUsers,
	decodeRefusal,
	jsonBody,
	type Notification,
} from './decode.js';
import { assertMessageId, ConversationRequests } from './conversation-requests.js';
import { ChatProtocolError, ChatRequestError } from './errors.js';
import { MessageIntake } from './message-intake.js';
import { assertName } from './names.js';
import { isValidSendId } from './send-id.js';
import { defaultServer, parseServerAddress, type ServerAddress } from './server-address.js';
import { readSetCookie } from './session-cookie.js';
import type {
	ChatGroup,
	ChatMessage,
	ChatUser,
	CreatedGroup,
	HistoryOptions,
	HistoryPage,
	Invitation,
	RegisteredUser,
	SearchOptions,
	SendOptions,
	StoredSession,
	UnreadConversation,
} from './types.js';

export type { ChatClientEvents, ChatClientOptions, ConnectionState, SessionEndReason };

/**
 * A typed CHAT/1.0 client: one method per verb, pushes as events, and a connection that survives
 * the network. Every method rejects with a ChatRequestError (the server refused), a
 * ChatNetworkError (no answer) or a ChatProtocolError (an unreadable answer).
 */
export class ChatClient extends EventEmitter<ChatClientEvents> {
	readonly address: ServerAddress;
	readonly #link: ChatLink;
	readonly #intake: MessageIntake;
	readonly #conversations = new ConversationRequests((request) => this.#call(request));
	#loginsInFlight = 0;

	constructor(options: ChatClientOptions = {}) {
		super();
		const server = options.server ?? defaultServer;
		this.address = typeof server === 'string' ? parseServerAddress(server) : server;
		this.#intake = new MessageIntake({
			send: (id) => (this.state === 'online' ? this.ack(id) : Promise.reject(new Error('offline'))),
			intervalMs: options.ackIntervalMs ?? 100,
			maxBatch: options.ackBatchSize ?? 200,
		});
		this.#link = new ChatLink(
			this.address,
			options.sessions ?? new MemorySessionStore(),
			linkOptionsFrom(options),
			{
				connecting: (attempt) => this.#emit('connecting', attempt),
				online: () => {
					this.#emit('online');
					void this.#intake.flush();
				},
				offline: (reason, retryInMs) => this.#emit('offline', reason, retryInMs),
				push: (push) => this.#onPush(push),
				sessionEnded: (session, reason) => {
					this.#intake.forget();
					this.#emit('logged-out', reason, session.user);
				},
			},
		);
	}

	get state(): ConnectionState {
		return this.#link.state;
	}

	/** The logged-in user (also from a stored session), if any. */
	get user(): string | undefined {
		return this.#link.session?.user;
	}

	/** Connects, and re-binds a stored session (which restarts delivery of its queue). */
	connect(): Promise<void> {
		return this.#link.connect();
	}

	/** Sends owed ACKs (briefly), then closes for good. */
	async close(): Promise<void> {
		await this.#intake.finish(this.state === 'online' ? 1000 : 0);
		this.#link.close();
	}

	async register(user: string, password: string, displayName?: string): Promise<RegisteredUser> {
		assertName(user);
		const headers: [string, string][] = [['Password', password]];
		if (displayName !== undefined) headers.push(['Name', displayName]);
		const json = jsonBody(await this.#call({ verb: 'REG', target: user, headers }), 'registration');
		if (typeof json.name !== 'string') throw new ChatProtocolError('REG answered without a name');
		const name = json.name;
		return { name, displayName: typeof json.displayName === 'string' ? json.displayName : name };
	}

	/** Logs in, keeps the session (in the SessionStore), and starts delivery of queued messages. */
	async login(user: string, password: string): Promise<StoredSession> {
		assertName(user);
		// What was seen for someone else says nothing about this user's queue.
		if (user.toLowerCase() !== this.user) this.#intake.forget();
		this.#loginsInFlight++;
		try {
			const headers: [string, string][] = [['Password', password]];
			const response = await this.#call({ verb: 'USE', target: user, headers });
			const cookie = readSetCookie(response);
			if (!cookie || cookie.expired) throw new ChatProtocolError('USE answered without a session');
			const json = jsonBody(response, 'login');
			const name = typeof json.user === 'string' ? json.user : user.toLowerCase();
			const session = { user: name, sessionId: cookie.sessionId };
			this.#link.startSession(session);
			return session;
		} finally {
			this.#loginsInFlight--;
		}
	}

	/** Ends the session on the server and forgets it; an already expired session counts as done. */
	async logout(): Promise<void> {
		const hadSession = this.#link.session !== undefined;
		try {
			await this.#call({ verb: 'LOGOUT' });
		} catch (error) {
			if (!(hadSession && error instanceof ChatRequestError && error.status === 401)) throw error;
		}
		this.#link.endSession('logout');
	}

	/** Everyone, or the members of `group` (with their role), sorted by name. */
	async listUsers(group?: string): Promise<ChatUser[]> {
		if (group !== undefined) assertName(group, 'group');
		return decodeUsers(await this.#call({ verb: 'LIST_USER', target: group }));
	}

	/** The caller's groups. */
	async listGroups(): Promise<ChatGroup[]> {
		return decodeGroups(await this.#call({ verb: 'LIST_GROUP' }));
	}

	async createGroup(group: string): Promise<CreatedGroup> {
		assertName(group, 'group');
		const json = jsonBody(await this.#call({ verb: 'MK_GROUP', target: group }), 'group');
		const { name, owner } = json;
		if (typeof name !== 'string' || typeof owner !== 'string') {
			throw new ChatProtocolError('MK_GROUP answered without the group');
		}
		return { name, owner };
	}

	/** Adds (or changes the role of) members; resolves with the names actually changed. */
	async addUsers(group: string, invitations: readonly Invitation[]): Promise<string[]> {
		assertName(group, 'group');
		for (const { user } of invitations) assertName(user);
		const invite = invitations.map(({ user, role }) => (role ? `${user}:${role}` : user)).join(',');
		const response = await this.#call({
			verb: 'ADD_USER',
			target: group,
			headers: [['Invite', invite]],
		});
		return decodeNames(response, 'added');
	}

	async removeUsers(group: string, users: readonly string[]): Promise<string[]> {
		assertName(group, 'group');
		for (const user of users) assertName(user);
		const headers: [string, string][] = [['Remove', users.join(',')]];
		return decodeNames(await this.#call({ verb: 'RM_USER', target: group, headers }), 'removed');
	}

	async leaveGroup(group: string): Promise<void> {
		assertName(group, 'group');
		await this.#call({ verb: 'LEAVE', target: group });
	}

	async deleteGroup(group: string): Promise<void> {
		assertName(group, 'group');
		await this.#call({ verb: 'RM_GROUP', target: group });
	}

	/**
	 * Sends to a user or a group; resolves with the message id once the server stored it. With a
	 * `sendId` (PROTOCOL.md §7.8), sending again with the same one after a lost answer stores the
	 * message only once and answers the same id: that is how an outbox retries safely. With
	 * `replyTo`, it answers that message of the same conversation (§7.3).
	 *
	 * Your own messages: the caller shows a sent message from this answer. Once send() resolved,
	 * that id is never emitted as a `message` event (the server may push it to this connection
	 * after a re-bind, §7.1: it is dropped and acknowledged). Your messages sent from your other
	 * devices do arrive as `message` events, `from` = you. One race remains: a retry with the same
	 * `sendId` after a re-bind that already pushed the stored message here resolves with an id
	 * that was emitted (`hasSeen(id)` was true before); keep messages by id and it does not matter.
	 */
	async send(target: string, text: string, options: SendOptions = {}): Promise<number> {
		assertName(target, 'user or group');
		const { sendId, replyTo } = options;
		if (sendId !== undefined && !isValidSendId(sendId))
			throw new TypeError(`invalid Send-Id ${JSON.stringify(sendId.slice(0, 70))}`);
		if (replyTo !== undefined) assertMessageId(replyTo);
		const headers: [string, string][] = sendId === undefined ? [] : [['Send-Id', sendId]];
		if (replyTo !== undefined) headers.push(['Reply-To', String(replyTo)]);
		const response = await this.#call({ verb: 'SEND', target, headers, body: text });
		const id = Number(response.headers.get('message-id'));
		if (!Number.isSafeInteger(id) || id < 1)
			throw new ChatProtocolError('SEND answered without a Message-Id');
		this.#intake.sent(id);
		return id;
	}

	/** Whether message `id` was emitted as a `message` event, or sent by this client, already. */
	hasSeen(id: number): boolean {
		return this.#intake.hasSeen(id);
	}

	/** Moves your read position in a conversation to `id` (never back); resolves with the new one. */
	markRead(target: string, id: number): Promise<number> {
		return this.#conversations.markRead(target, id);
	}

	/** Your conversations that have a message, newest first, with their unread counts. */
	unread(): Promise<UnreadConversation[]> {
		return this.#conversations.unread();
	}

	/** Replaces the text of one of your messages; the other parties get an `edit` event. */
	edit(id: number, text: string): Promise<{ id: number; edited: string }> {
		return this.#conversations.edit(id, text);
	}

	/** Deletes a message (yours, or anyone's in a group you own or administer). */
	deleteMessage(id: number): Promise<void> {
		return this.#conversations.deleteMessage(id);
	}

	/** Says you are typing to a user or group; call it at most every 3 s while typing (§7.5). */
	typing(target: string): Promise<void> {
		return this.#conversations.typing(target);
	}

	/**
	 * Messages holding every word (whole words, any case; `word*` for a prefix), newest first,
	 * over every conversation you can read or only `in`; page on with `before` = the oldest id.
	 */
	search(words: string | readonly string[], options: SearchOptions = {}): Promise<ChatMessage[]> {
		return this.#conversations.search(words, options);
	}

	/** Changes your password: your other sessions end (their devices are logged out), this one stays. */
	changePassword(current: string, next: string): Promise<void> {
		return this.#conversations.changePassword(current, next);
	}

	/** The newest messages of a conversation (before `before`), oldest first: one page. */
	async history(target: string, options: HistoryOptions = {}): Promise<ChatMessage[]> {
		return (await this.historyPage(target, options)).messages;
	}

	/** Like history(), and whether the server cut the page short by size (then older ones remain). */
	async historyPage(target: string, options: HistoryOptions = {}): Promise<HistoryPage> {
		assertName(target, 'user or group');
		const headers: [string, string][] = [];
		if (options.before !== undefined) headers.push(['Before', String(options.before)]);
		if (options.limit !== undefined) headers.push(['Limit', String(options.limit)]);
		return decodeHistory(await this.#call({ verb: 'HISTORY', target, headers }));
	}

	/** Acknowledges message `id` and every earlier one. Messages listened to are acknowledged for you. */
	async ack(id: number): Promise<void> {
		assertMessageId(id);
		await this.#call({ verb: 'ACK', target: String(id) });
	}

	/** While waiting to reconnect after a drop: try now instead of at the end of the back-off. */
	reconnectNow(): void {
		this.#link.reconnectNow();
	}

	/** Resolves with the round trip in milliseconds. */
	async ping(): Promise<number> {
		const started = performance.now();
		await this.#call({ verb: 'PING' });
		return performance.now() - started;
	}

	async #call(request: OutgoingRequest): Promise<Response> {
		const response = await this.#link.request(request);
		if (response.status >= 200 && response.status < 300) return response;
		throw decodeRefusal(response, describeRequest(request));
	}

	#onPush(push: Push): void {
		try {
			if (push.kind === 'MSG') {
				this.#onMessage(decodeMessagePush(push));
				return;
			}
			const notification = decodeNotification(push);
			if (notification) this.#emitNotification(notification.kind, notification.event);
		} catch (error) {
			// An unreadable push is skipped: a later ACK or a re-bind will settle it.
			if (!(error instanceof ChatProtocolError)) throw error;
		}
	}

	#onMessage(message: ChatMessage): void {
		// Pushes racing a logout belong to nobody now; those racing a login belong to the new user.
		if (!this.#link.session && this.#loginsInFlight === 0) return;
		const intake = this.#intake.receive(message, this.listeners('message'));
		if (intake.outcome === 'refused') this.#emit('listener-error', intake.error, 'message');
	}

	#emitNotification<K extends Notification['kind']>(kind: K, event: ChatClientEvents[K][0]) {
		this.#emit<K>(kind, ...([event] as ChatClientEvents[K]));
	}

	/** Emits without letting a throwing listener break the client's own bookkeeping. */
	#emit<K extends keyof ChatClientEvents>(event: K, ...args: ChatClientEvents[K]): void {
		try {
			// The generic signature cannot follow K through a rest tuple; the parameters fix the types.
			(this.emit as (name: K, ...values: unknown[]) => boolean).call(this, event, ...args);
		} catch (error) {
			if (event === 'listener-error') return;
			try {
				this.emit('listener-error', error, event);
			} catch {
				// A failing error listener has nowhere left to report to.
			}
		}
	}
}

const describeRequest = (request: OutgoingRequest) =>
	request.target === undefined ? request.verb : `${request.verb} ${request.target}`;
