import { readFileSync } from 'node:fs';
import { ChatClient } from '../client/chat-client.js';
import { CookieStore, configDir } from '../client/cookie-store.js';
import { ChatNetworkError, ChatRequestError } from '../client/errors.js';
import { terminalSafe } from '../client/terminal-text.js';
import {
	defaultServer,
	parseServerAddress,
	ServerAddressError,
	type ServerAddress,
} from '../client/server-address.js';
import { exitCodeFor, NotLoggedInError, UsageError } from './exit-codes.js';
import { PromptInterrupted } from './password-prompt.js';

export const serverVariable = 'KORICHAT_SERVER';

/** Flags every scripting command takes. */
export type ClientFlags = {
	readonly server?: string;
	readonly config?: string;
	readonly ca?: string;
	readonly json?: boolean;
};

export type ClientContext = {
	readonly client: ChatClient;
	readonly address: ServerAddress;
	readonly json: boolean;
};

// A script facing an unreachable or silent server gives up within 10 s, whatever it was doing.
const connectTimeoutMs = 4_000;
const requestTimeoutMs = 5_000;
const giveUpMs = 9_000;

export type RunOptions<T> = {
	/** Needs a stored login for the server (checked before connecting, then by the server). */
	readonly session: boolean;
	/** Runs the action even when the server no longer knows the stored session (for logout). */
	readonly expiredSessionIsFine?: boolean;
	/** A 401 refuses a password given (passwd), not the session: no "run korichat login" hint. */
	readonly passwordChecked?: boolean;
	/** Local input (a password, standard input) gathered before connecting. */
	readonly prepare?: () => Promise<T>;
};

/**
 * Runs one scripting command on a fresh client. Any failure becomes one line on stderr and a
 * distinct exit code (see exit-codes.ts); usage mistakes are found before the network is touched.
 */
export async function runClientCommand<T = undefined>(
	flags: ClientFlags,
	options: RunOptions<T>,
	action: (context: ClientContext, prepared: T) => Promise<void>,
): Promise<void> {
	let address: ServerAddress | undefined;
	try {
		address = serverAddress(flags.server);
		const { key } = address;
		const sessions = openCookieStore(configDir(flags.config));
		if (options.session && !sessions.load(address.key)) {
			throw new NotLoggedInError(
				`not logged in to ${address.key}: run \`korichat login <user>\` first`,
			);
		}
		const prepared = (await options.prepare?.()) as T;
		const client = new ChatClient({
			server: address,
			sessions,
			ca: flags.ca === undefined ? undefined : readCertificate(flags.ca),
			reconnect: false,
			connectTimeoutMs,
			requestTimeoutMs,
		});
		try {
			const work = (async () => {
				await client.connect();
				// connect() re-bound the stored session; a server that no longer knows it ended it.
				if (options.session && !client.user && !options.expiredSessionIsFine) {
					throw new NotLoggedInError(
						`your session on ${key} has expired or was ended elsewhere: run \`korichat login <user>\``,
					);
				}
				await action({ client, address, json: flags.json ?? false }, prepared);
			})();
			const late = new ChatNetworkError(
				'timeout',
				`${address.key} did not finish answering within ${giveUpMs / 1000} s`,
			);
			await withDeadline(work, giveUpMs, late);
		} finally {
			await client.close();
		}
	} catch (error) {
		const hint = options.session && !options.passwordChecked;
		process.stderr.write(`korichat: ${describeFailure(error, address, hint)}\n`);
		process.exitCode = error instanceof PromptInterrupted ? 130 : exitCodeFor(error);
	}
}

/** `work`, or `error` if it takes longer than `ms`. */
async function withDeadline<T>(work: Promise<T>, ms: number, error: Error): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	// Past the deadline, how the work ends no longer matters.
	work.catch(() => undefined);
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(error), ms);
	});
	try {
		return await Promise.race([work, deadline]);
	} finally {
		clearTimeout(timer);
	}
}

function openCookieStore(dir: string): CookieStore {
	try {
		return new CookieStore(dir);
	} catch (error) {
		throw new UsageError(`cannot use the config folder ${dir}: ${(error as Error).message}`);
	}
}

function readCertificate(file: string): Buffer {
	try {
		return readFileSync(file);
	} catch (error) {
		throw new UsageError(`cannot read the CA file ${file}: ${(error as Error).message}`);
	}
}

function serverAddress(flag: string | undefined): ServerAddress {
	try {
		return parseServerAddress(flag ?? process.env[serverVariable] ?? defaultServer);
	} catch (error) {
		if (error instanceof ServerAddressError) throw new UsageError(error.message);
		throw error;
	}
}

function describeFailure(
	error: unknown,
	address: ServerAddress | undefined,
	loginHint: boolean,
): string {
	if (!(error instanceof Error)) return String(error);
	// The server writes its errors for people; only its words are shown, made safe to print.
	const text = terminalSafe(error.message);
	if (error instanceof ChatRequestError && error.status === 401 && loginHint) {
		return `${text} (on ${address?.key}: run \`korichat login <user>\`)`;
	}
	if (error instanceof ChatRequestError && error.status === 429 && error.retryAfter) {
		return `${text} (retry after ${error.retryAfter} s)`;
	}
	if (error instanceof PromptInterrupted) return 'interrupted';
	return text;
}
