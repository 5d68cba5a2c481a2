import { afterDurable } from './after-durable.js';
import type { BusEvent, MessageBus } from './bus.js';
import { badRequest, conflict, forbidden, notFound } from './errors.js';
import { normalizeName } from './names.js';
import type { ChatStore, GroupChange } from './store.js';
import {
	roles,
	type GroupRecord,
	type MemberRecord,
	type MembershipSummary,
	type Role,
} from './types.js';

type GroupEvent = 'added' | 'removed' | 'deleted' | 'role';
type Announce = (
	group: string,
	event: GroupEvent,
	recipients: readonly string[],
	details: { user?: string; by: string; role?: Role },
) => void;

export type GroupsOptions = {
	readonly store: ChatStore;
	readonly bus: MessageBus;
	readonly clock: () => number;
};

/** Parses `josie:user,john:admin` (the role defaults to user). */
export function parseInvite(header: string | undefined): MemberRecord[] {
	const entries = splitList(header, 'Invite');
	const byUser = new Map<string, Role>();
	for (const entry of entries) {
		const [rawUser, rawRole = 'user', extra] = entry.split(':').map((part) => part.trim());
		const role = rawRole.toLowerCase();
		if (extra !== undefined || !(roles as readonly string[]).includes(role)) {
			throw badRequest(`invalid invitation "${entry}": write user or user:role (user or admin)`);
		}
		if (role === 'owner') throw badRequest('a group has one owner; invite as admin or user');
		byUser.set(normalizeName(rawUser, 'user'), role as Role);
	}
	return [...byUser].map(([user, role]) => ({ user, role }));
}

export function parseRemove(header: string | undefined): string[] {
	return [...new Set(splitList(header, 'Remove').map((entry) => normalizeName(entry, 'user')))];
}

function splitList(header: string | undefined, name: string): string[] {
	const entries = (header ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
	if (entries.length === 0)
		throw badRequest(`an ${name} header with at least one user is required`);
	return entries;
}

export class Groups {
	constructor(readonly options: GroupsOptions) {}

	/** `MK_GROUP <group>[:<owner>]`. */
	async create(caller: string, rawTarget: string | undefined): Promise<GroupRecord> {
		const { store, clock } = this.options;
		const [rawGroup, rawOwner, extra] = (rawTarget ?? '').split(':');
		if (extra !== undefined) throw badRequest('write the target as group or group:owner');
		const name = normalizeName(rawGroup, 'group');
		const owner = rawOwner === undefined ? caller : normalizeName(rawOwner, 'user');
		if (owner !== caller) throw forbidden('you can only create a group that you own');
		const group = await store.createGroup(name, owner, new Date(clock()).toISOString());
		if (!group) throw conflict(`the name "${name}" is already taken`);
		return group;
	}

	list(caller: string): Promise<MembershipSummary[]> {
		return this.options.store.groupsOf(caller);
	}

	/** The group and the caller's role in it; 404 unknown, 403 not a member. */
	async membership(caller: string, rawGroup: string | undefined) {
		const group = await this.find(rawGroup);
		const role = await this.options.store.roleOf(group.id, caller);
		if (!role) throw forbidden(`you are not a member of ${group.name}`);
		return { group, role };
	}

	async find(rawGroup: string | undefined): Promise<GroupRecord> {
		const name = normalizeName(rawGroup, 'group');
		const group = await this.options.store.findGroup(name);
		if (!group) throw notFound(`no group named "${name}"`);
		return group;
	}

	async members(caller: string, rawGroup: string | undefined) {
		const { group } = await this.membership(caller, rawGroup);
		return { group, members: await this.options.store.membersOf(group.id) };
	}

	async add(caller: string, rawGroup: string | undefined, invite: string | undefined) {
		const { store } = this.options;
		const wanted = parseInvite(invite);
		const found = await this.find(rawGroup);
		return this.#change(found, async (change, announce) => {
			const { group, current, role } = await locked(change, found, caller);
			if (role === 'user')
				throw forbidden(`only the owner or an admin of ${group.name} can add members`);
			for (const { user } of wanted) {
				if (!(await store.findUser(user)))
					throw notFound(`no user named "${user}"; nobody was added`);
			}
			const changes = wanted.filter(({ user, role: newRole }) => current.get(user) !== newRole);
			for (const { user, role: newRole } of changes) {
				const oldRole = current.get(user);
				if (oldRole === 'owner')
					throw forbidden(`${user} owns ${group.name}; the owner's role cannot change`);
				if (role !== 'owner' && (newRole === 'admin' || oldRole === 'admin')) {
					throw forbidden(`only the owner of ${group.name} grants or takes the admin role`);
				}
			}
			await change.put(changes);
			const members = [...current.keys(), ...changes.map((c) => c.user)];
			for (const { user, role: newRole } of changes) {
				const event = current.has(user) ? 'role' : 'added';
				announce(group.name, event, members, { user, by: caller, role: newRole });
			}
			return changes.map((c) => c.user);
		});
	}

	async remove(caller: string, rawGroup: string | undefined, removeHeader: string | undefined) {
		const { store } = this.options;
		const wanted = parseRemove(removeHeader);
		const found = await this.find(rawGroup);
		return this.#change(found, async (change, announce) => {
			const { group, current, role } = await locked(change, found, caller);
			if (role === 'user') {
				throw forbidden(`only the owner or an admin of ${group.name} can remove members`);
			}
			for (const user of wanted) {
				const theirRole = current.get(user);
				if (!theirRole) {
					const exists = await store.findUser(user);
					throw notFound(
						exists
							? `${user} is not a member of ${group.name}; nobody was removed`
							: `no user named "${user}"; nobody was removed`,
					);
				}
				if (theirRole === 'owner')
					throw forbidden(`${user} owns ${group.name} and cannot be removed`);
				if (theirRole === 'admin' && role !== 'owner' && user !== caller) {
					throw forbidden(`only the owner of ${group.name} can remove an admin`);
				}
			}
			await change.remove(wanted);
			for (const user of wanted) {
				announce(group.name, 'removed', [...current.keys()], { user, by: caller });
			}
			return wanted;
		});
	}

	async leave(caller: string, rawGroup: string | undefined): Promise<void> {
		const found = await this.find(rawGroup);
		await this.#change(found, async (change, announce) => {
			const { group, current, role } = await locked(change, found, caller);
			if (role === 'owner') {
				throw conflict(`you own ${group.name}: delete it (RM_GROUP) instead of leaving`);
			}
			await change.remove([caller]);
			announce(group.name, 'removed', [...current.keys()], { user: caller, by: caller });
		});
	}

	async delete(caller: string, rawGroup: string | undefined): Promise<void> {
		const found = await this.find(rawGroup);
		await this.#change(found, async (change, announce) => {
			const { group, current, role } = await locked(change, found, caller);
			if (role !== 'owner') throw forbidden(`only the owner of ${group.name} can delete it`);
			await change.delete();
			announce(group.name, 'deleted', [...current.keys()], { by: caller });
		});
	}

	/**
	 * Deletes the group as RM_GROUP does, for whoever runs the server (no membership needed):
	 * every member is told, with `by` naming the operator. The deleted group comes back.
	 */
	async deleteByOperator(rawGroup: string | undefined, by: string): Promise<GroupRecord> {
		const found = await this.find(rawGroup);
		return this.#change(found, async (change, announce) => {
			const group = change.group;
			if (!group) throw notFound(`no group named "${found.name}"`);
			const members = (await change.members()).map((member) => member.user);
			await change.delete();
			announce(group.name, 'deleted', members, { by });
			return group;
		});
	}

	/** Runs a change with the group locked; its notices go out once it has committed. */
	async #change<T>(
		found: GroupRecord,
		run: (change: GroupChange, announce: Announce) => Promise<T>,
	): Promise<T> {
		const { store, bus } = this.options;
		const notices: BusEvent[] = [];
		const announce: Announce = (group, event, recipients, details) => {
			const to = details.user ? [...recipients, details.user] : recipients;
			const payload = { group, event, ...details };
			notices.push({ type: 'notify', kind: 'group', payload, audience: { users: to } });
		};
		const result = await store.changeGroup(found.id, (change) => run(change, announce));
		afterDurable(store, () => {
			for (const notice of notices) bus.publish(notice);
		});
		return result;
	}
}

/** The group's state inside a change: 404 when it was deleted meanwhile, 403 for a non-member. */
async function locked(change: GroupChange, found: GroupRecord, caller: string) {
	const group = change.group;
	if (!group) throw notFound(`no group named "${found.name}"`);
	const current = new Map((await change.members()).map((m) => [m.user, m.role]));
	const role = current.get(caller);
	if (!role) throw forbidden(`you are not a member of ${group.name}`);
	return { group, current, role };
}
