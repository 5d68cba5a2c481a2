import type { Audience, BusEvent, MessageBus } from '../domain/bus.js';
import type { Logger } from '../domain/logger.js';
import type { Presence } from '../domain/presence.js';
import { hashSessionId } from '../domain/secrets.js';
import type { MessageRecord } from '../domain/types.js';
import { MessageSequencer } from './message-sequencer.js';

/** A logged-in connection, as the registry sees it. */
export interface BoundConnection {
	/** Unique across the cluster (bus events name the connection that caused them). */
	readonly id: string;
	readonly user: string | undefined;
	readonly sessionId: string | undefined;
	/** Drops the binding (the session ended elsewhere). */
	unbind(): void;
	/** A message for the connection's user, in id order; `own` when this connection sent it. */
	offer(message: MessageRecord, own: boolean): void;
	/** Messages may have been missed: re-read the queue from the store. */
	catchUp(): void;
	/** A notice for the connection's user. */
	notify(event: Extract<BusEvent, { type: 'notify' }>): void;
}

export type RegistryOptions = {
	readonly bus: MessageBus;
	readonly presence: Presence;
	/** The store's highest committed message id. */
	readonly lastMessageId: () => Promise<number>;
	/** Whether a session still exists (checked for every bound connection after a resync). */
	readonly sessionExists: (sessionId: string) => Promise<boolean>;
	readonly log: Logger;
	/** How long a gap in message ids waits for its event before the store is read. */
	readonly gapWaitMs?: number;
	/** How often the store is asked for messages that no event announced. */
	readonly pollMs?: number;
};

/**
 * Who is logged in on this node, and the one place where the bus's events meet the connections:
 * it listens on the bus once for the node, puts message events in id order, and hands each event
 * to the connections of the users it is for. Presence changes go through `Presence`, so a user
 * with connections on several nodes is announced online and offline once.
 */
export class OnlineRegistry {
	readonly #byUser = new Map<string, Set<BoundConnection>>();
	readonly #sequencer: MessageSequencer;
	/** Presence reports in flight per user, so arrive and depart reach Presence in order. */
	readonly #presenceQueue = new Map<string, Promise<void>>();
	/** Presence changes announced at the end of this event-loop turn, in order. */
	#announcements: { readonly user: string; readonly online: boolean }[] = [];
	#changes = 0;
	#stopped = false;

	constructor(readonly options: RegistryOptions) {
		this.#sequencer = new MessageSequencer({
			lastMessageId: options.lastMessageId,
			release: (event) => this.#deliverMessage(event.message, event.recipients, event.origin),
			catchUp: () => this.#catchUpAll(),
			gapWaitMs: options.gapWaitMs ?? 250,
			pollMs: options.pollMs ?? 2000,
			onError: () => undefined,
		});
		options.presence.onLapsed((users) => {
			for (const user of users) {
				// Still connected here: this node's own lease lapsed (it was too slow); say so again.
				if (this.#byUser.has(user)) this.#report(user, true);
				else this.#announce(user, false);
			}
		});
	}

	/** Starts listening on the bus; resolves once events published from now on arrive. */
	async start(): Promise<void> {
		await this.#sequencer.start();
		await this.options.bus.start({
			event: (event) => this.#receive(event),
			resync: () => this.#resync(),
		});
	}

	/** Stops listening; resolves once the presence reports under way are done. */
	async stop(): Promise<void> {
		// Users still here leave now, so that the other nodes hear of it before the bus closes.
		for (const user of [...this.#byUser.keys()]) this.#report(user, false);
		this.#byUser.clear();
		this.#stopped = true;
		this.#sequencer.stop();
		await Promise.all([...this.#presenceQueue.values()]);
		this.#publishAnnouncements();
	}

	/** Changes to stored messages heard of on the bus (edits, deletes, groups changed), from any node. */
	get changes(): number {
		return this.#changes;
	}

	add(user: string, connection: BoundConnection): void {
		let connections = this.#byUser.get(user);
		if (!connections) {
			connections = new Set();
			this.#byUser.set(user, connections);
			this.#report(user, true);
		}
		connections.add(connection);
	}

	remove(user: string, connection: BoundConnection): void {
		const connections = this.#byUser.get(user);
		if (!connections?.delete(connection) || connections.size > 0) return;
		this.#byUser.delete(user);
		this.#report(user, false);
	}

	/** Whether each user is online on any node. */
	areOnline(users: readonly string[]): Promise<boolean[]> {
		return this.options.presence.online(users);
	}

	/** Users with a connection on this node. */
	get onlineUsers(): number {
		return this.#byUser.size;
	}

	#receive(event: BusEvent): void {
		switch (event.type) {
			case 'message':
				this.#sequencer.offer(event);
				return;
			case 'notify':
				if (event.kind === 'edit' || event.kind === 'delete' || event.kind === 'group') {
					this.#changes++;
				}
				for (const connection of this.#audience(event.audience)) connection.notify(event);
				return;
			case 'session-ended':
				for (const connection of [...(this.#byUser.get(event.user) ?? [])]) {
					const id = connection.sessionId;
					if (id !== undefined && hashSessionId(id) === event.session) connection.unbind();
				}
				return;
		}
	}

	/**
	 * Offers the message to every connection of its recipients (the sender's too, §7.1); the one
	 * that sent it is told so and does not push it. (A pump ignores an id offered twice.)
	 */
	#deliverMessage(
		message: MessageRecord,
		recipients: readonly string[],
		origin: string | undefined,
	): void {
		for (const user of recipients) {
			const connections = this.#byUser.get(user);
			if (!connections) continue;
			for (const connection of connections) connection.offer(message, connection.id === origin);
		}
	}

	*#audience(audience: Audience): Iterable<BoundConnection> {
		const except = audience.exceptConnection;
		if ('users' in audience) {
			for (const user of new Set(audience.users)) {
				for (const connection of this.#byUser.get(user) ?? []) {
					if (connection.id !== except) yield connection;
				}
			}
			return;
		}
		for (const [user, connections] of [...this.#byUser]) {
			if (user === audience.everyoneBut) continue;
			for (const connection of connections) if (connection.id !== except) yield connection;
		}
	}

	#catchUpAll(): void {
		for (const connections of this.#byUser.values()) {
			for (const connection of connections) connection.catchUp();
		}
	}

	/** The bus may have lost events: catch up messages, and drop sessions that ended meanwhile. */
	#resync(): void {
		void this.#sequencer.resync();
		void this.#recheckSessions();
		for (const user of this.#byUser.keys()) this.#report(user, true);
	}

	async #recheckSessions(): Promise<void> {
		for (const connections of [...this.#byUser.values()]) {
			for (const connection of [...connections]) {
				const id = connection.sessionId;
				if (id === undefined) continue;
				try {
					if (!(await this.options.sessionExists(id))) connection.unbind();
				} catch {
					return; // The store is down too; the next resync checks again.
				}
			}
		}
	}

	/** Tells Presence, in order per user, and announces a change it reports. */
	#report(user: string, here: boolean): void {
		// Once stopped, the backend's close takes this node's users out of presence.
		if (this.#stopped) return;
		const { presence } = this.options;
		const previous = this.#presenceQueue.get(user) ?? Promise.resolve();
		const next = previous.then(async () => {
			try {
				const changed = here ? await presence.arrive(user) : await presence.depart(user);
				if (changed) this.#announce(user, here);
			} catch (error) {
				this.options.log.warn(
					{ event: 'presence-failed', user, reason: String(error) },
					`presence of ${user} not updated: ${String(error)}`,
				);
			}
		});
		this.#presenceQueue.set(user, next);
		void next.then(() => {
			if (this.#presenceQueue.get(user) === next) this.#presenceQueue.delete(user);
		});
	}

	/**
	 * Presence goes to everyone logged in, so a burst of logins (a node restarting, a thousand
	 * clients reconnecting) costs a push per pair of users. Announced at the end of the turn, the
	 * changes of one turn reach each connection in one corked write instead of a syscall apiece:
	 * 1,000 users binding at once had the loop busy with those writes for seconds.
	 */
	#announce(user: string, online: boolean): void {
		if (this.#announcements.push({ user, online }) === 1) {
			setImmediate(() => this.#publishAnnouncements());
		}
	}

	#publishAnnouncements(): void {
		for (const { user, online } of this.#announcements.splice(0)) {
			this.options.bus.publish({
				type: 'notify',
				kind: 'presence',
				payload: { user, online },
				audience: { everyoneBut: user },
			});
		}
	}
}
