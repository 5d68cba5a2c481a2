import { parsePositive } from '../../domain/messages.js';
import type { MessageRecord } from '../../domain/types.js';
import { Status } from '../../protocol/status.js';
import { jsonResponse } from '../../protocol/encoder.js';
import { decodeText } from './body-text.js';
import type { Command } from './command.js';

export const messageCommands: Record<string, Command> = {
	SEND: {
		usage: 'SEND <user or group>',
		async run({ request, services, session, user }) {
			// This connection's own message is not pushed back to it (§7.1).
			const finished = session.sending();
			let message: MessageRecord | undefined;
			try {
				message = await services.messages.send(user, request.target, decodeText(request.body), {
					sendId: request.headers.get('send-id'),
					replyTo: request.headers.get('reply-to'),
					origin: session.connectionId,
				});
			} finally {
				finished(message?.id);
			}
			return { status: Status.accepted, headers: [['Message-Id', String(message.id)]] };
		},
	},
	ACK: {
		usage: 'ACK <message-id>',
		async run({ request, services, session, user }) {
			const id = parsePositive(request.target ?? '', 'the message id');
			const upTo = Math.min(id, session.deliveredUpTo());
			if (upTo > 0) await services.messages.acknowledge(user, upTo);
			session.acknowledged(id);
			return { status: Status.ok };
		},
	},
	HISTORY: {
		usage: 'HISTORY <user or group>',
		async run({ request, services, user }) {
			const { messages, more } = await services.messages.history(
				user,
				request.target,
				request.headers.get('before'),
				request.headers.get('limit'),
			);
			// `more` only when the page was cut short by its size, so PROTOCOL.md's shape holds.
			return jsonResponse(Status.ok, more ? { messages, more } : { messages });
		},
	},
};
