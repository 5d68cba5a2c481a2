import { connect, type Socket } from 'node:net';
import { sleep } from './stats.js';
import { child, escapeXml, XmlStreamParser, type XmlElement } from './xml-stream.js';

const namespaces = {
	sasl: 'urn:ietf:params:xml:ns:xmpp-sasl',
	bind: 'urn:ietf:params:xml:ns:xmpp-bind',
	session: 'urn:ietf:params:xml:ns:xmpp-session',
	register: 'jabber:iq:register',
	ping: 'urn:xmpp:ping',
	muc: 'http://jabber.org/protocol/muc',
	mucUser: 'http://jabber.org/protocol/muc#user',
	mucOwner: 'http://jabber.org/protocol/muc#owner',
} as const;

/** Everything a bench client needs to reach one server. */
export type XmppTarget = { readonly port: number; readonly domain: string };

/** Consumes a stanza it was waiting for (true) or lets the next waiter see it (false). */
type Waiter = { offer(stanza: XmlElement): boolean; fail(error: Error): void };

/**
 * A small XMPP client for the bench: stream, in-band registration, SASL PLAIN (loopback, no TLS),
 * resource bind, session, presence, chat and MUC messages, and a ping round trip. Messages with a
 * body are counted on the hot path and never reach the waiters.
 */
export class XmppLink {
	readonly #parser = new XmlStreamParser();
	#waiters: Waiter[] = [];
	#features: XmlElement | undefined;
	#nextId = 0;
	#closed: Error | undefined;
	/** Called for every received message stanza with a body (chat or groupchat). */
	onMessage: (stanza: XmlElement) => void = () => undefined;
	/** Message stanzas of type "error" received: a workload fails if any arrive. */
	errors = 0;
	jid = '';

	private constructor(
		readonly socket: Socket,
		readonly target: XmppTarget,
	) {
		socket.setNoDelay(true);
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => this.#read(chunk));
		socket.on('error', (error) => this.#close(error));
		socket.on('close', () => this.#close(new Error('the server closed the connection')));
	}

	/** Connects and opens the stream; resolves once the server's features are in. */
	static async open(target: XmppTarget): Promise<XmppLink> {
		const socket = await new Promise<Socket>((resolve, reject) => {
			const candidate = connect({ port: target.port, host: '127.0.0.1' });
			candidate.once('connect', () => {
				candidate.off('error', reject);
				resolve(candidate);
			});
			candidate.once('error', reject);
		});
		const link = new XmppLink(socket, target);
		await link.#openStream();
		return link;
	}

	write(text: string): void {
		this.socket.write(text);
	}

	/** XEP-0077 in-band registration; an account that already exists counts as registered. */
	async register(user: string, password: string): Promise<void> {
		const query = `<query xmlns='${namespaces.register}'><username>${escapeXml(user)}</username><password>${escapeXml(password)}</password></query>`;
		const reply = await this.#iq('set', undefined, query, false);
		const error = child(reply, 'error');
		if (reply.attrs.type === 'error' && !child(error ?? reply, 'conflict')) {
			throw new Error(`registering ${user}: ${describe(error)}`);
		}
	}

	/** SASL PLAIN, stream restart, resource bind, then the legacy session if the server needs it. */
	async login(user: string, password: string, resource: string): Promise<void> {
		const mechanisms = child(this.#features!, 'mechanisms', namespaces.sasl);
		if (!mechanisms?.children.some((mechanism) => mechanism.text === 'PLAIN')) {
			throw new Error('the server offers no SASL PLAIN on this stream');
		}
		const credentials = Buffer.from(`\0${user}\0${password}`).toString('base64');
		const outcome = await this.#send(
			`<auth xmlns='${namespaces.sasl}' mechanism='PLAIN'>${credentials}</auth>`,
			(stanza) => stanza.name === 'success' || stanza.name === 'failure',
		);
		if (outcome.name === 'failure') throw new Error(`login ${user}: ${describe(outcome)}`);
		this.#parser.reset();
		await this.#openStream();
		const bind = `<bind xmlns='${namespaces.bind}'><resource>${escapeXml(resource)}</resource></bind>`;
		const bound = await this.#iq('set', undefined, bind);
		this.jid = child(child(bound, 'bind') ?? bound, 'jid')?.text ?? `${user}@${this.target.domain}`;
		const session = child(this.#features!, 'session', namespaces.session);
		if (session && !child(session, 'optional')) {
			await this.#iq('set', undefined, `<session xmlns='${namespaces.session}'/>`);
		}
	}

	/** Initial presence: the server now routes messages to this resource. */
	presence(): void {
		this.write('<presence/>');
	}

	/** A XEP-0199 ping to the server: everything sent before it has been handled. */
	async sync(): Promise<void> {
		await this.#iq('get', this.target.domain, `<ping xmlns='${namespaces.ping}'/>`);
	}

	/**
	 * Joins a MUC room without history; the first to join creates it and, where the server locks a
	 * new room (status 201), accepts the default configuration (an "instant room", XEP-0045 §10.1.2).
	 */
	async joinRoom(room: string, nick: string): Promise<void> {
		const occupant = `${room}/${nick}`;
		const self = await this.#send(
			`<presence to='${occupant}'><x xmlns='${namespaces.muc}'><history maxstanzas='0'/></x></presence>`,
			(stanza) =>
				stanza.name === 'presence' &&
				stanza.attrs.from === occupant &&
				(stanza.attrs.type === 'error' || statusCodes(stanza).includes('110')),
		);
		if (self.attrs.type === 'error') {
			throw new Error(`joining ${room}: ${describe(child(self, 'error'))}`);
		}
		if (statusCodes(self).includes('201')) {
			const form = `<query xmlns='${namespaces.mucOwner}'><x xmlns='jabber:x:data' type='submit'/></query>`;
			await this.#iq('set', room, form);
		}
	}

	close(): void {
		this.socket.destroy();
	}

	async #openStream(): Promise<void> {
		this.#features = await this.#send(
			`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${this.target.domain}' version='1.0'>`,
			(stanza) => stanza.name === 'stream:features',
		);
	}

	async #iq(type: 'get' | 'set', to: string | undefined, payload: string, strict = true) {
		const id = `b${++this.#nextId}`;
		const address = to === undefined ? '' : ` to='${to}'`;
		const reply = await this.#send(
			`<iq type='${type}' id='${id}'${address}>${payload}</iq>`,
			(stanza) => stanza.name === 'iq' && stanza.attrs.id === id,
		);
		if (strict && reply.attrs.type === 'error') {
			throw new Error(`iq ${payload.slice(0, 40)}: ${describe(child(reply, 'error'))}`);
		}
		return reply;
	}

	#send(text: string, wanted: (stanza: XmlElement) => boolean): Promise<XmlElement> {
		if (this.#closed) return Promise.reject(this.#closed);
		return new Promise((resolve, reject) => {
			const waiter: Waiter = {
				offer: (stanza) => {
					if (!wanted(stanza)) return false;
					this.#waiters = this.#waiters.filter((other) => other !== waiter);
					resolve(stanza);
					return true;
				},
				fail: reject,
			};
			this.#waiters.push(waiter);
			this.write(text);
		});
	}

	#read(chunk: string): void {
		let events;
		try {
			events = this.#parser.push(chunk);
		} catch (error) {
			this.#close(error as Error);
			this.socket.destroy();
			return;
		}
		for (const event of events) {
			if (event.kind === 'stream-close') {
				this.#close(new Error('the server closed the stream'));
				continue;
			}
			if (event.kind !== 'stanza') continue;
			const stanza = event.element;
			if (stanza.name === 'message') {
				if (stanza.attrs.type === 'error') this.errors++;
				else if (child(stanza, 'body')) this.onMessage(stanza);
				continue;
			}
			if (stanza.name === 'iq' && stanza.attrs.type === 'get' && child(stanza, 'ping')) {
				this.write(`<iq type='result' id='${escapeXml(stanza.attrs.id ?? '')}'/>`);
				continue;
			}
			for (const waiter of [...this.#waiters]) if (waiter.offer(stanza)) break;
		}
	}

	#close(error: Error): void {
		if (this.#closed) return;
		this.#closed = error;
		for (const waiter of this.#waiters) waiter.fail(error);
		this.#waiters = [];
	}
}

function statusCodes(presence: XmlElement): string[] {
	const x = child(presence, 'x', namespaces.mucUser);
	return (x?.children ?? [])
		.filter((element) => element.name === 'status')
		.map((status) => status.attrs.code ?? '');
}

function describe(element: XmlElement | undefined): string {
	if (!element) return 'no reason given';
	const names = element.children.map((condition) => condition.name);
	return [element.attrs.code, ...names].filter(Boolean).join(' ') || element.name;
}

export type XmppAccount = { readonly user: string; readonly resource: string };

/**
 * Opens and logs in every account, `concurrency` at a time, and announces presence unless told not
 * to; a login stuck for 15 s is retried once on a new socket.
 */
export async function openXmppLinks(
	target: XmppTarget,
	accounts: readonly XmppAccount[],
	password: string,
	{ concurrency = 16, presence = true } = {},
): Promise<XmppLink[]> {
	const links: XmppLink[] = new Array(accounts.length);
	let next = 0;
	const attempt = async ({ user, resource }: XmppAccount): Promise<XmppLink> => {
		for (let tries = 0; ; tries++) {
			const link = await XmppLink.open(target);
			const login = link.login(user, password, resource).then(() => true);
			login.catch(() => undefined); // a login that loses the race may still fail later
			const ready = await Promise.race([login, sleep(15_000).then(() => false)]);
			if (ready) {
				if (presence) link.presence();
				return link;
			}
			link.close();
			if (tries >= 1) throw new Error(`${user}/${resource} could not log in`);
		}
	};
	const worker = async () => {
		while (next < accounts.length) {
			const index = next++;
			links[index] = await attempt(accounts[index]!);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, accounts.length) }, worker));
	return links;
}

/** Registers `users` over in-band registration, `concurrency` at a time, one socket each. */
export async function registerXmppUsers(
	target: XmppTarget,
	users: readonly string[],
	password: string,
	concurrency = 16,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < users.length) {
			const user = users[next++]!;
			const link = await XmppLink.open(target);
			try {
				await link.register(user, password);
			} finally {
				link.close();
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, users.length) }, worker));
}
