import { existsSync } from 'node:fs';
import { terminalSafe } from '../client/terminal-text.js';
import { AdminError } from '../domain/admin-types.js';
import { ControlError, reachControlSocket } from '../operating/control-client.js';
import { socketPathProblem, type AdminTarget } from '../operating/control-protocol.js';
import { openLocalAdmin } from '../operating/local-admin.js';
import { DataFolderInUseError } from '../storage/data-folder-lock.js';
import { BackendChoiceError } from './backends.js';
import { reasonOf } from '../domain/error-reason.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-codes.js';
import { PromptInterrupted } from './password-prompt.js';
import { defaultDataDir } from './serve.js';

/** The flags every `korichat admin` command takes. */
export type AdminFlags = {
	readonly data?: string;
	readonly store?: string;
	readonly bus?: string;
	readonly json?: boolean;
};

/** How the command reached the data: a running server's socket, the folder, or the database. */
export type AdminRoute = 'socket' | 'folder' | 'store';

export type AdminContext = {
	readonly target: AdminTarget;
	readonly route: AdminRoute;
	readonly dataDir: string;
	readonly json: boolean;
	/** With --store but no --bus, live connections on the servers learn of ended sessions late. */
	readonly busless: boolean;
};

/** A server holds the folder but cannot be asked: one line, and the network exit code. */
export class AdminUnreachableError extends Error {
	override readonly name = 'AdminUnreachableError';
}

const nonEmpty = (value: string | undefined) => (value === '' ? undefined : value);

export type Destination = {
	readonly dataDir: string;
	readonly storeUrl: string | undefined;
	readonly busUrl: string | undefined;
};

export function destination(flags: AdminFlags): Destination {
	return {
		dataDir: flags.data ?? defaultDataDir(),
		storeUrl: flags.store ?? nonEmpty(process.env.KORICHAT_STORE),
		busUrl: flags.bus ?? nonEmpty(process.env.KORICHAT_BUS),
	};
}

type Opened = { readonly target: AdminTarget; readonly route: AdminRoute; close(): Promise<void> };

/**
 * With a store URL, the database directly; else the running server's control socket when it
 * answers; else the data folder directly (which takes its lock).
 */
async function openTarget({ dataDir, storeUrl, busUrl }: Destination): Promise<Opened> {
	if (storeUrl !== undefined) {
		const local = await openLocalAdmin({ dataDir, storeUrl, busUrl });
		return { ...local, route: 'store' };
	}
	const reach = await reachControlSocket(dataDir);
	if (reach.kind === 'connected') {
		const { admin } = reach;
		return { target: admin, route: 'socket', close: async () => admin.close() };
	}
	if (reach.kind === 'silent') {
		throw new AdminUnreachableError(
			`the server on ${dataDir} accepted the control connection but did not answer; check its log`,
		);
	}
	if (!existsSync(dataDir)) {
		throw new UsageError(
			`there is no data folder ${dataDir}; give the server's folder with --data`,
		);
	}
	try {
		const local = await openLocalAdmin({ dataDir });
		return { ...local, route: 'folder' };
	} catch (error) {
		if (!(error instanceof DataFolderInUseError)) throw error;
		const why = socketPathProblem(dataDir) ?? 'its control socket does not answer';
		throw new AdminUnreachableError(
			`${dataDir} is in use by a KoriChat server (pid ${error.holderPid}), but ${why}; stop the server to run admin on the folder directly`,
		);
	}
}

export type AdminRunOptions<T> = {
	/** Local input (a password) gathered before anything is opened. */
	readonly prepare?: () => Promise<T>;
};

/**
 * Runs one admin command wherever the data is. Any failure is one line on stderr and a distinct
 * exit code: an unknown user or group exits 1, a usage mistake 2, a server that cannot be asked 4.
 */
export async function runAdminCommand<T = undefined>(
	flags: AdminFlags,
	options: AdminRunOptions<T>,
	action: (context: AdminContext, prepared: T) => Promise<void>,
): Promise<void> {
	try {
		const where = destination(flags);
		const prepared = (await options.prepare?.()) as T;
		const opened = await openTarget(where);
		try {
			await action(
				{
					target: opened.target,
					route: opened.route,
					dataDir: where.dataDir,
					json: flags.json ?? false,
					busless: opened.route === 'store' && where.busUrl === undefined,
				},
				prepared,
			);
		} finally {
			await opened.close();
		}
	} catch (error) {
		failWith(error);
	}
	process.exit(ExitCode.ok);
}

/** Prints the one line for `error` and exits with its code. */
export function failWith(error: unknown): never {
	const text = error instanceof PromptInterrupted ? 'interrupted' : reasonOf(error);
	// Messages may quote names a user typed: made safe to print.
	process.stderr.write(`korichat: ${terminalSafe(text)}\n`);
	process.exit(error instanceof PromptInterrupted ? 130 : adminExitCode(error));
}

export function adminExitCode(error: unknown): ExitCodeValue {
	if (error instanceof UsageError || error instanceof BackendChoiceError) return ExitCode.usage;
	if (error instanceof AdminUnreachableError) return ExitCode.network;
	if (error instanceof AdminError || error instanceof ControlError) return ExitCode.refused;
	return ExitCode.refused;
}
