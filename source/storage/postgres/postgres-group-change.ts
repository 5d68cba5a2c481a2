import type { GroupChange } from '../../domain/store.js';
import type { MemberRecord } from '../../domain/types.js';
import { groupColumns, toGroup, type GroupRow } from './postgres-rows.js';
import type { Tx } from './transaction.js';

/**
 * Locks the group row for the rest of the transaction and hands out its reads and writes.
 * NO KEY UPDATE serialises changes to one group, yet lets appends (which hold KEY SHARE on it)
 * carry on; deleting the row waits for those appends, and later ones find the group gone.
 */
export async function lockGroup(tx: Tx, groupId: number): Promise<GroupChange> {
	const [row] = await tx<GroupRow[]>`
		SELECT ${tx.unsafe(groupColumns)} FROM groups WHERE id = ${groupId} FOR NO KEY UPDATE`;
	return {
		group: row && toGroup(row),
		members: async () => [
			...(await tx<MemberRecord[]>`
				SELECT user_name AS "user", role FROM members
				WHERE group_id = ${groupId} ORDER BY user_name`),
		],
		async put(members: readonly MemberRecord[]) {
			if (members.length === 0) return;
			await tx`
				INSERT INTO members (group_id, user_name, role)
				SELECT ${groupId}::int4, * FROM unnest(${members.map((m) => m.user)}::text[],
					${members.map((m) => m.role)}::text[])
				ON CONFLICT (group_id, user_name) DO UPDATE SET role = excluded.role`;
		},
		async remove(users: readonly string[]) {
			if (users.length === 0) return;
			await tx`
				DELETE FROM members WHERE group_id = ${groupId} AND user_name = ANY(${users}::text[])`;
		},
		async delete() {
			const conversation = `g:${groupId}`;
			// The group row first: from here on no append can queue a message for it.
			const [gone] = await tx<{ name: string }[]>`
				DELETE FROM groups WHERE id = ${groupId} RETURNING name`;
			await tx`
				DELETE FROM inbox WHERE message_id IN
					(SELECT id FROM messages WHERE conversation = ${conversation})`;
			await tx`DELETE FROM messages WHERE conversation = ${conversation}`;
			await tx`DELETE FROM read_positions WHERE conversation = ${conversation}`;
			await tx`DELETE FROM members WHERE group_id = ${groupId}`;
			if (gone) await tx`DELETE FROM names WHERE name = ${gone.name} AND kind = 'group'`;
		},
	};
}
