import { Status } from '../../protocol/status.js';
import { jsonResponse } from '../../protocol/encoder.js';
import { decodeText } from './body-text.js';
import type { Command } from './command.js';

/** EDIT and DELETE (§7.4). */
export const changeCommands: Record<string, Command> = {
	EDIT: {
		usage: 'EDIT <message-id> with the new text as the body',
		async run({ request, services, session, user }) {
			const text = decodeText(request.body);
			const result = await services.changes.edit(user, request.target, text, session.connectionId);
			return jsonResponse(Status.ok, result);
		},
	},
	DELETE: {
		usage: 'DELETE <message-id>',
		async run({ request, services, session, user }) {
			await services.changes.delete(user, request.target, session.connectionId);
			return { status: Status.ok };
		},
	},
};
