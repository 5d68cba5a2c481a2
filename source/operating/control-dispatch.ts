import { AdminError } from '../domain/admin-types.js';
import {
	controlCommands,
	type AdminTarget,
	type ControlAnswer,
	type ControlCommand,
} from './control-protocol.js';
import { reasonOf } from '../domain/error-reason.js';

/** A request the socket cannot act on: not JSON, not an object, an unknown command, bad arguments. */
class BadControlRequest extends Error {}

type Handler = (target: AdminTarget, args: readonly unknown[]) => Promise<unknown>;

const text = (args: readonly unknown[], index: number, what: string): string => {
	const value = args[index];
	if (typeof value !== 'string' || value === '') {
		throw new BadControlRequest(`argument ${index + 1} (${what}) must be a non-empty string`);
	}
	return value;
};

const optionalText = (args: readonly unknown[], index: number, what: string) =>
	args[index] === undefined || args[index] === null ? undefined : text(args, index, what);

/** Each command, with its arguments checked: the socket's peer is trusted, its bytes are not. */
const handlers: Record<ControlCommand, Handler> = {
	ping: async () => 'pong',
	users: (target) => target.users(),
	groups: (target) => target.groups(),
	'create-user': (target, args) =>
		target.createUser(
			text(args, 0, 'name'),
			text(args, 1, 'password'),
			optionalText(args, 2, 'display name'),
		),
	'reset-password': (target, args) =>
		target.resetPassword(text(args, 0, 'name'), text(args, 1, 'password')),
	disable: (target, args) => target.disable(text(args, 0, 'name')),
	enable: async (target, args) => {
		await target.enable(text(args, 0, 'name'));
		return null;
	},
	'delete-group': async (target, args) => {
		await target.deleteGroup(text(args, 0, 'name'));
		return null;
	},
	sessions: (target, args) => target.sessions(text(args, 0, 'name')),
	stats: (target) => target.stats(),
	backup: (target, args) => target.backup(text(args, 0, 'file'), args[1] === true),
};

const isCommand = (value: unknown): value is ControlCommand =>
	typeof value === 'string' && (controlCommands as readonly string[]).includes(value);

/** Parses one request line and runs it; never throws: every failure is an answer. */
export async function answerLine(target: AdminTarget, line: string): Promise<ControlAnswer> {
	let id: number | null = null;
	try {
		let request: unknown;
		try {
			request = JSON.parse(line);
		} catch {
			throw new BadControlRequest('not JSON: send one {"id", "command", "args"} object a line');
		}
		if (typeof request !== 'object' || request === null || Array.isArray(request)) {
			throw new BadControlRequest('a request is a JSON object {"id", "command", "args"}');
		}
		const fields = request as Record<string, unknown>;
		if (typeof fields.id === 'number' && Number.isSafeInteger(fields.id)) id = fields.id;
		else throw new BadControlRequest('"id" must be a whole number');
		const { command } = fields;
		if (!isCommand(command)) {
			const shown = typeof command === 'string' ? `"${command.slice(0, 40)}"` : String(command);
			throw new BadControlRequest(`unknown command ${shown}; known: ${controlCommands.join(', ')}`);
		}
		const args = fields.args ?? [];
		if (!Array.isArray(args)) throw new BadControlRequest('"args" must be an array');
		return { id, ok: true, result: await handlers[command](target, args) };
	} catch (error) {
		if (error instanceof BadControlRequest) {
			return { id, ok: false, error: { kind: 'request', message: error.message } };
		}
		if (error instanceof AdminError) {
			return { id, ok: false, error: { kind: 'admin', message: error.message } };
		}
		const message = reasonOf(error);
		return { id, ok: false, error: { kind: 'internal', message } };
	}
}
