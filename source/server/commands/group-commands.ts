import { Status } from '../../protocol/status.js';
import { jsonResponse } from '../../protocol/encoder.js';
import type { Command } from './command.js';

export const groupCommands: Record<string, Command> = {
	LIST_GROUP: {
		async run({ services, user }) {
			const groups = await services.groups.list(user);
			return jsonResponse(Status.ok, {
				groups: groups.map(({ group, role, members }) => ({
					name: group.name,
					owner: group.owner,
					role,
					members,
				})),
			});
		},
	},
	MK_GROUP: {
		usage: 'MK_GROUP <group>[:<owner>]',
		async run({ request, services, user }) {
			const group = await services.groups.create(user, request.target);
			return jsonResponse(Status.created, { name: group.name, owner: group.owner });
		},
	},
	ADD_USER: {
		usage: 'ADD_USER <group> with an Invite header',
		async run({ request, services, user }) {
			const added = await services.groups.add(user, request.target, request.headers.get('invite'));
			return jsonResponse(Status.ok, { added });
		},
	},
	RM_USER: {
		usage: 'RM_USER <group> with a Remove header',
		async run({ request, services, user }) {
			const removed = await services.groups.remove(
				user,
				request.target,
				request.headers.get('remove'),
			);
			return jsonResponse(Status.ok, { removed });
		},
	},
	LEAVE: {
		usage: 'LEAVE <group>',
		async run({ request, services, user }) {
			await services.groups.leave(user, request.target);
			return { status: Status.ok };
		},
	},
	RM_GROUP: {
		usage: 'RM_GROUP <group>',
		async run({ request, services, user }) {
			await services.groups.delete(user, request.target);
			return { status: Status.ok };
		},
	},
};
