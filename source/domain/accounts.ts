import { randomUUID } from 'node:crypto';
import type { MessageBus } from './bus.js';
import { afterDurable } from './after-durable.js';
import { conflict, forbidden, unauthorized } from './errors.js';
import { refuseWhileThrottled, type LoginThrottle } from './login-throttle.js';
import { changePassword } from './password-change.js';
import { normalizeDisplayName, normalizeName } from './names.js';
import { hashSessionId } from './secrets.js';
import {
	checkPasswordRules,
	hashPassword,
	verifyPassword,
	type ScryptParameters,
} from './passwords.js';
import type { ChatStore } from './store.js';
import type { SessionRecord, UserRecord } from './types.js';

/** USE's answer (403) for a disabled account, once its password checked out. */
export const accountDisabledMessage = "this account is disabled; ask the server's operator";

export const sessionLifetimeMs = 30 * 24 * 60 * 60 * 1000;
// Touching on every request would make every request a write.
const touchEveryMs = 60 * 60 * 1000;

export type AccountsOptions = {
	readonly store: ChatStore;
	readonly bus: MessageBus;
	readonly clock: () => number;
	readonly throttle: LoginThrottle;
	readonly scrypt?: ScryptParameters;
};

export class Accounts {
	#dummyHash: Promise<string> | undefined;

	constructor(readonly options: AccountsOptions) {}

	async register(
		rawName: string | undefined,
		password: string | undefined,
		rawDisplayName?: string,
	): Promise<UserRecord> {
		const { store, bus, clock, scrypt } = this.options;
		const name = normalizeName(rawName, 'user');
		const displayName = normalizeDisplayName(rawDisplayName, name);
		checkPasswordRules(password);
		if (await store.isNameTaken(name)) throw conflict(`the name "${name}" is already taken`);
		const user: UserRecord = {
			name,
			displayName,
			passwordHash: await hashPassword(password!, scrypt),
			createdAt: new Date(clock()).toISOString(),
		};
		if (!(await store.createUser(user))) throw conflict(`the name "${name}" is already taken`);
		afterDurable(store, () =>
			bus.publish({
				type: 'notify',
				kind: 'user',
				payload: { user: name, displayName },
				audience: { everyoneBut: name },
			}),
		);
		return user;
	}

	/** Checks the password and opens a new session. */
	async login(rawName: string | undefined, password: string | undefined): Promise<SessionRecord> {
		const { store, clock, throttle } = this.options;
		const name = normalizeName(rawName, 'user');
		if (password === undefined) throw unauthorized('a Password header is required');
		await refuseWhileThrottled(throttle, name, 'failed logins');
		const user = await store.findUser(name);
		// An unknown user costs the same hashing time, so timing does not reveal who exists.
		const ok = await verifyPassword(password, user?.passwordHash ?? (await this.#dummy()));
		if (!user || !ok) {
			await throttle.recordFailure(name);
			throw unauthorized('wrong user name or password');
		}
		await throttle.recordSuccess(name);
		// After the password: a guesser learns nothing of whether the account is disabled.
		if (user.disabled) throw forbidden(accountDisabledMessage);
		const now = clock();
		const session: SessionRecord = {
			id: randomUUID(),
			user: name,
			createdAt: now,
			lastUsedAt: now,
		};
		// Disabled meanwhile (the store refuses it atomically with the disable).
		if (!(await store.createSession(session))) throw forbidden(accountDisabledMessage);
		return session;
	}

	/** The live session for a cookie, or undefined when it is unknown, expired or its user disabled. */
	async resume(sessionId: string): Promise<SessionRecord | undefined> {
		const { store, clock } = this.options;
		const session = await store.findSession(sessionId);
		if (!session) return undefined;
		// Disabling deletes the sessions; this holds should one outlive it (restored from a backup).
		if ((await store.findUser(session.user))?.disabled) return undefined;
		const now = clock();
		if (now - session.lastUsedAt > sessionLifetimeMs) {
			await store.deleteSession(sessionId);
			return undefined;
		}
		if (now - session.lastUsedAt > touchEveryMs) await store.touchSession(sessionId, now);
		return session;
	}

	/** Deletes the session; every node logs out the connections that hold it. */
	async logout(user: string, sessionId: string): Promise<void> {
		const { store, bus } = this.options;
		await store.deleteSession(sessionId);
		const session = hashSessionId(sessionId);
		afterDurable(store, () => bus.publish({ type: 'session-ended', user, session }));
	}

	/** PASSWD (§7.7): see password-change.ts. */
	changePassword(
		user: string,
		sessionId: string,
		current: string | undefined,
		next: string | undefined,
	): Promise<void> {
		return changePassword(this.options, user, sessionId, current, next);
	}

	listUsers(): Promise<UserRecord[]> {
		return this.options.store.listUsers();
	}

	findUser(name: string): Promise<UserRecord | undefined> {
		return this.options.store.findUser(name);
	}

	expireSessions(): Promise<number> {
		const { store, clock } = this.options;
		return store.deleteSessionsUnusedSince(clock() - sessionLifetimeMs);
	}

	#dummy(): Promise<string> {
		this.#dummyHash ??= hashPassword('not a real password', this.options.scrypt);
		return this.#dummyHash;
	}
}
