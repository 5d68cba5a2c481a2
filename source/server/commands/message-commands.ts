import { TextDecoder } from 'node:util';
import { badRequest } from '../../domain/errors.js';
import { parsePositive } from '../../domain/messages.js';
import { Status } from '../../protocol/status.js';
import { jsonResponse } from '../../protocol/encoder.js';
import type { Command } from './command.js';

// ignoreBOM keeps a leading U+FEFF: the body is stored byte for byte.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeText(body: Buffer): string {
	try {
		return strictUtf8.decode(body);
	} catch {
		throw badRequest('the message body is not valid UTF-8');
	}
}

export const messageCommands: Record<string, Command> = {
	SEND: {
		usage: 'SEND <user or group>',
		async run({ request, services, user }) {
			const message = await services.messages.send(
				user,
				request.target,
				decodeText(request.body),
				request.headers.get('send-id'),
			);
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
