import { Status } from '../../protocol/status.js';
import { jsonResponse } from '../../protocol/encoder.js';
import type { Command } from './command.js';

/** READ, UNREAD, TYPING and SEARCH (§7.2, §7.5, §7.6). */
export const conversationCommands: Record<string, Command> = {
	READ: {
		usage: 'READ <user or group> with a Message-Id header',
		async run({ request, services, session, user }) {
			const id = await services.reads.markRead(
				user,
				request.target,
				request.headers.get('message-id'),
				session.connectionId,
			);
			return jsonResponse(Status.ok, { id });
		},
	},
	UNREAD: {
		async run({ services, user }) {
			return jsonResponse(Status.ok, { conversations: await services.reads.unread(user) });
		},
	},
	TYPING: {
		usage: 'TYPING <user or group>',
		async run({ request, services, user }) {
			await services.typing.typing(user, request.target);
			return { status: Status.ok };
		},
	},
	SEARCH: {
		async run({ request, services, user }) {
			const { headers } = request;
			const messages = await services.search.search(user, {
				target: request.target,
				query: headers.get('query'),
				limit: headers.get('limit'),
				before: headers.get('before'),
			});
			return jsonResponse(Status.ok, { messages });
		},
	},
};
