import { Accounts } from './accounts.js';
import {
	AdminError,
	type AdminCommands,
	type AdminGroup,
	type AdminSession,
	type AdminStats,
	type AdminUser,
} from './admin-types.js';
import type { MessageBus } from './bus.js';
import { DomainError } from './errors.js';
import { Groups } from './groups.js';
import type { LoginThrottle } from './login-throttle.js';
import type { Logger } from './logger.js';
import { normalizeName } from './names.js';
import { checkPasswordRules, hashPassword, type ScryptParameters } from './passwords.js';
import type { ChatStore, UserOverview } from './store.js';

export type AdminServiceOptions = {
	readonly store: ChatStore;
	readonly bus: MessageBus;
	readonly clock: () => number;
	readonly logger: Logger;
	readonly scrypt?: ScryptParameters;
	/** The server's failed-login count: a reset password clears it. None when no server runs. */
	readonly throttle?: LoginThrottle;
};

/** Who a group notice names as having deleted the group: no user name has a space. */
export const operatorName = 'server operator';

// Opening an account never consults the throttle; this stands in when there is none.
const noThrottle: LoginThrottle = {
	retryAfter: async () => 0,
	recordFailure: async () => undefined,
	recordSuccess: async () => undefined,
};

const fingerprintLength = 12;

/**
 * `korichat admin` over a store and a bus: the same rules as the protocol's verbs (names,
 * passwords, group deletion), without a caller's rights. A change returns once it is on disk,
 * and what it ends (sessions, a group) is then announced on the bus so every node acts on it.
 */
export class AdminService implements AdminCommands {
	readonly #accounts: Accounts;
	readonly #groups: Groups;

	constructor(readonly options: AdminServiceOptions) {
		const { store, bus, clock, scrypt, throttle } = options;
		this.#accounts = new Accounts({ store, bus, clock, scrypt, throttle: throttle ?? noThrottle });
		this.#groups = new Groups({ store, bus, clock });
	}

	async users(): Promise<AdminUser[]> {
		return (await this.options.store.userOverviews()).map(toAdminUser);
	}

	async groups(): Promise<AdminGroup[]> {
		return (await this.options.store.groupOverviews()).map(({ group, members, messages }) => ({
			name: group.name,
			owner: group.owner,
			createdAt: group.createdAt,
			members,
			messages,
		}));
	}

	async createUser(name: string, password: string, displayName?: string): Promise<AdminUser> {
		const { store, logger } = this.options;
		const user = await asAdminError(() => this.#accounts.register(name, password, displayName));
		await store.whenDurable();
		logger.info(
			{ event: 'admin', action: 'create-user', user: user.name },
			`admin created ${user.name}`,
		);
		return {
			name: user.name,
			displayName: user.displayName,
			createdAt: user.createdAt,
			lastSeen: null,
			sessions: 0,
			disabled: false,
		};
	}

	async resetPassword(name: string, password: string): Promise<{ readonly endedSessions: number }> {
		const { store, scrypt, throttle, logger } = this.options;
		const user = await this.#knownUser(name);
		asAdminError(() => checkPasswordRules(password));
		// No session id is '': every session of the user ends.
		const ended = await store.changePassword(user, await hashPassword(password, scrypt), '');
		await this.#endSessions(user, ended);
		await throttle?.recordSuccess(user);
		logger.info(
			{ event: 'admin', action: 'reset-password', user, endedSessions: ended.length },
			`admin reset the password of ${user}`,
		);
		return { endedSessions: ended.length };
	}

	async disable(name: string): Promise<{ readonly endedSessions: number }> {
		const { store, logger } = this.options;
		const user = await this.#knownUser(name);
		const ended = await store.setDisabled(user, true);
		if (!ended) throw unknownUser(user);
		await this.#endSessions(user, ended);
		logger.info(
			{ event: 'admin', action: 'disable', user, endedSessions: ended.length },
			`admin disabled ${user}`,
		);
		return { endedSessions: ended.length };
	}

	async enable(name: string): Promise<void> {
		const { store, logger } = this.options;
		const user = await this.#knownUser(name);
		if (!(await store.setDisabled(user, false))) throw unknownUser(user);
		await store.whenDurable();
		logger.info({ event: 'admin', action: 'enable', user }, `admin enabled ${user}`);
	}

	async deleteGroup(name: string): Promise<void> {
		const { store, logger } = this.options;
		const group = asAdminError(() => normalizeName(name, 'group'));
		await asAdminError(() => this.#groups.deleteByOperator(group, operatorName));
		await store.whenDurable();
		logger.info({ event: 'admin', action: 'delete-group', group }, `admin deleted group ${group}`);
	}

	async sessions(name: string): Promise<AdminSession[]> {
		const user = await this.#knownUser(name);
		return (await this.options.store.sessionsOf(user)).map((session) => ({
			fingerprint: session.idHash.slice(0, fingerprintLength),
			createdAt: new Date(session.createdAt).toISOString(),
			lastUsedAt: new Date(session.lastUsedAt).toISOString(),
		}));
	}

	/** What the store knows; the control server fills in the connections. */
	async stats(): Promise<AdminStats> {
		const { store } = this.options;
		const [counts, size] = await Promise.all([store.counts(), store.storageSize()]);
		return {
			...counts,
			databaseBytes: size.databaseBytes,
			journalBytes: size.journalBytes,
			connections: null,
			loggedInUsers: null,
		};
	}

	/** The user's name as stored; AdminError for a malformed or unknown one. */
	async #knownUser(name: string): Promise<string> {
		const user = asAdminError(() => normalizeName(name, 'user'));
		if (!(await this.options.store.findUser(user))) throw unknownUser(user);
		return user;
	}

	/** Once the end is on disk, every node logs out the connections holding these sessions. */
	async #endSessions(user: string, ended: readonly string[]): Promise<void> {
		const { store, bus } = this.options;
		await store.whenDurable();
		for (const session of ended) bus.publish({ type: 'session-ended', user, session });
	}
}

function toAdminUser(user: UserOverview): AdminUser {
	return {
		name: user.name,
		displayName: user.displayName,
		createdAt: user.createdAt,
		lastSeen: user.lastSeen === null ? null : new Date(user.lastSeen).toISOString(),
		sessions: user.sessions,
		disabled: user.disabled,
	};
}

const unknownUser = (user: string) => new AdminError(`no user named "${user}"`);

/** The domain's refusals (bad name, taken name, weak password, unknown group) as AdminErrors. */
function asAdminError<T>(run: () => T): T {
	const convert = (error: unknown): never => {
		if (error instanceof DomainError) throw new AdminError(error.message);
		throw error;
	};
	try {
		const result = run();
		if (result instanceof Promise) return result.catch(convert) as T;
		return result;
	} catch (error) {
		return convert(error);
	}
}
