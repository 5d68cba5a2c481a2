import type { Invitation } from '../../client/index.js';
import { conversationId } from '../state/chat-state.js';
import { inform, report, type ActionContext } from './action-context.js';
import { openConversation, refreshMembers } from './conversation-actions.js';

/** Each returns undefined when done, or the error shown (dialogs keep it on screen too). */
type Outcome = Promise<string | undefined>;

async function refreshGroups(context: ActionContext): Promise<void> {
	try {
		context.dispatch({ type: 'groups-listed', groups: await context.client.listGroups() });
	} catch (error) {
		report(context, error, 'Could not load your groups');
	}
}

export async function createGroup(context: ActionContext, name: string): Outcome {
	try {
		const created = await context.client.createGroup(name);
		context.dispatch({
			type: 'group-created',
			group: { name: created.name, owner: created.owner, role: 'owner', members: 1 },
		});
		inform(context, `Created ${created.name}: /invite or Alt+I in Groups adds members`);
		await openConversation(context, conversationId('group', created.name), { carryDraft: true });
		return undefined;
	} catch (error) {
		return report(context, error, `Could not create ${name}`);
	}
}

export async function addMembers(
	context: ActionContext,
	group: string,
	invitations: readonly Invitation[],
): Outcome {
	try {
		const added = await context.client.addUsers(group, invitations);
		inform(
			context,
			added.length === 0
				? 'Nothing changed: already members with that role'
				: `${group}: added ${added.join(', ')}`,
		);
		await Promise.all([refreshMembers(context, group), refreshGroups(context)]);
		return undefined;
	} catch (error) {
		return report(context, error, `Could not add to ${group}`);
	}
}

export async function removeMembers(
	context: ActionContext,
	group: string,
	users: readonly string[],
): Outcome {
	try {
		const removed = await context.client.removeUsers(group, users);
		inform(context, `${group}: removed ${removed.join(', ') || 'nobody'}`);
		await Promise.all([refreshMembers(context, group), refreshGroups(context)]);
		return undefined;
	} catch (error) {
		return report(context, error, `Could not remove from ${group}`);
	}
}

export async function leaveGroup(context: ActionContext, group: string): Outcome {
	try {
		await context.client.leaveGroup(group);
		context.dispatch({ type: 'group-gone', group });
		inform(context, `You left ${group}`);
		return undefined;
	} catch (error) {
		return report(context, error, `Could not leave ${group}`);
	}
}

export async function deleteGroup(context: ActionContext, group: string): Outcome {
	try {
		await context.client.deleteGroup(group);
		context.dispatch({ type: 'group-gone', group });
		inform(context, `Deleted ${group}`);
		return undefined;
	} catch (error) {
		return report(context, error, `Could not delete ${group}`);
	}
}
