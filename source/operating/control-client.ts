import { connect, type Socket } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { AdminError, type AdminStats } from '../domain/admin-types.js';
import {
	controlSocketPath,
	encodeLine,
	LineSplitter,
	socketPathProblem,
	type AdminTarget,
	type ControlAnswer,
	type ControlCommand,
} from './control-protocol.js';

/** The server answered, but not with a result: a failure on its side or a refused request. */
export class ControlError extends Error {
	override readonly name = 'ControlError';
}

export type ControlTimeouts = {
	/** How long the server has to answer the first `ping`. */
	readonly answerMs: number;
	/** How long any other command may take (a backup of a big database takes a while). */
	readonly commandMs: number;
};

const defaultTimeouts: ControlTimeouts = { answerMs: 3000, commandMs: 10 * 60_000 };

/**
 * What is at DATA/control.sock: `absent` when no server listens there (no file, a stale file, or
 * a path too long for a socket), `silent` when something accepted the connection but did not
 * answer, else a live connection to the server's admin commands.
 */
export type ControlReach =
	| { readonly kind: 'absent' }
	| { readonly kind: 'silent' }
	| { readonly kind: 'connected'; readonly admin: RemoteAdmin };

export async function reachControlSocket(
	dataDir: string,
	timeouts: ControlTimeouts = defaultTimeouts,
): Promise<ControlReach> {
	if (socketPathProblem(dataDir) !== undefined) return { kind: 'absent' };
	let socket: Socket;
	try {
		socket = await new Promise<Socket>((resolve, reject) => {
			const opened = connect(controlSocketPath(dataDir), () => resolve(opened));
			opened.once('error', reject);
		});
	} catch {
		// ENOENT, ECONNREFUSED (a file no process listens on), EACCES (not this folder's owner).
		return { kind: 'absent' };
	}
	const admin = new RemoteAdmin(socket, timeouts.commandMs);
	try {
		await admin.request('ping', [], timeouts.answerMs);
	} catch {
		admin.close();
		return { kind: 'silent' };
	}
	return { kind: 'connected', admin };
}

type Waiter = {
	readonly resolve: (value: unknown) => void;
	readonly reject: (error: Error) => void;
	readonly timer: NodeJS.Timeout;
};

/** The admin commands of a running server, over its control socket. */
export class RemoteAdmin implements AdminTarget {
	readonly #socket: Socket;
	readonly #waiting = new Map<number, Waiter>();
	readonly #lines = new LineSplitter();
	#nextId = 1;
	#closedWith: Error | undefined;

	constructor(
		socket: Socket,
		readonly commandMs: number,
	) {
		this.#socket = socket;
		socket.on('data', (chunk: Buffer) => this.#read(chunk));
		socket.on('error', () => undefined);
		socket.on('close', () =>
			this.#fail(new ControlError('the server closed the control connection before answering')),
		);
	}

	users = () => this.request('users') as ReturnType<AdminTarget['users']>;
	groups = () => this.request('groups') as ReturnType<AdminTarget['groups']>;
	createUser = (name: string, password: string, displayName?: string) =>
		this.request('create-user', [name, password, displayName ?? null]) as ReturnType<
			AdminTarget['createUser']
		>;
	resetPassword = (name: string, password: string) =>
		this.request('reset-password', [name, password]) as ReturnType<AdminTarget['resetPassword']>;
	disable = (name: string) => this.request('disable', [name]) as ReturnType<AdminTarget['disable']>;
	enable = async (name: string) => {
		await this.request('enable', [name]);
	};
	deleteGroup = async (name: string) => {
		await this.request('delete-group', [name]);
	};
	sessions = (name: string) =>
		this.request('sessions', [name]) as ReturnType<AdminTarget['sessions']>;
	stats = () => this.request('stats') as Promise<AdminStats>;
	/** The file is resolved here: the server's working folder is not the caller's. */
	backup = (file: string, overwrite = false) =>
		this.request('backup', [resolvePath(file), overwrite]) as ReturnType<AdminTarget['backup']>;

	request(command: ControlCommand, args: readonly unknown[] = [], timeoutMs = this.commandMs) {
		if (this.#closedWith) return Promise.reject(this.#closedWith);
		const id = this.#nextId++;
		return new Promise<unknown>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#waiting.delete(id);
				reject(new ControlError(`the server did not answer "${command}" within ${timeoutMs} ms`));
			}, timeoutMs);
			this.#waiting.set(id, { resolve, reject, timer });
			this.#socket.write(encodeLine({ id, command, args }));
		});
	}

	close(): void {
		this.#socket.destroy();
	}

	#read(chunk: Buffer): void {
		const lines = this.#lines.push(chunk);
		if (lines === 'too-long') {
			this.#fail(new ControlError('the server sent an answer line too long to read'));
			this.close();
			return;
		}
		for (const line of lines) {
			let answer: ControlAnswer;
			try {
				answer = JSON.parse(line) as ControlAnswer;
			} catch {
				this.#fail(new ControlError('the server sent something that is not JSON'));
				this.close();
				return;
			}
			if (answer.id === null) {
				this.#fail(new ControlError(answer.ok ? 'unexpected answer' : answer.error.message));
				continue;
			}
			const waiter = this.#waiting.get(answer.id);
			if (!waiter) continue;
			this.#waiting.delete(answer.id);
			clearTimeout(waiter.timer);
			if (answer.ok) waiter.resolve(answer.result);
			else if (answer.error.kind === 'admin') waiter.reject(new AdminError(answer.error.message));
			else waiter.reject(new ControlError(answer.error.message));
		}
	}

	#fail(error: Error): void {
		this.#closedWith ??= error;
		for (const [id, waiter] of this.#waiting) {
			this.#waiting.delete(id);
			clearTimeout(waiter.timer);
			waiter.reject(error);
		}
	}
}
