import { DomainError } from '../../domain/errors.js';
import type { Logger } from '../../domain/logger.js';
import {
	StorageClosedError,
	StorageFailedError,
	StorageUnavailableError,
} from '../../domain/storage-errors.js';
import type { SessionRecord } from '../../domain/types.js';
import { errorResponse } from '../../protocol/encoder.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { OutgoingResponse, Request } from '../../protocol/frame.js';
import { Status, type StatusCode } from '../../protocol/status.js';
import { storageFailedResponse } from '../response-outbox.js';
import { expiredSessionCookie } from './account-commands.js';
import type { Command, Services, SessionControl } from './command.js';
import { commandTable } from './command-table.js';

/** The connection's session, as the preconditions see it (a BoundSession). */
export interface DispatchSession extends SessionControl {
	holds(id: string): boolean;
	checkedRecently(now: number): boolean;
	checked(now: number): void;
	unbind(): void;
}

export type DispatchContext = {
	readonly services: Services;
	readonly session: DispatchSession;
	readonly clock: () => number;
	readonly log: Logger;
};

const failureStatus: Record<DomainError['kind'], StatusCode> = {
	'bad-request': Status.badRequest,
	unauthorized: Status.unauthorized,
	forbidden: Status.forbidden,
	'not-found': Status.notFound,
	conflict: Status.conflict,
	'too-many-requests': Status.tooManyRequests,
};

/** The label a request counts under in the metrics: made-up verbs must not make a label each. */
export const verbLabel = (verb: string) => (commandTable.has(verb) ? verb : 'unknown');

/** Runs a request through its command's preconditions and the command; never rejects. */
export async function answer(
	request: Request,
	context: DispatchContext,
): Promise<OutgoingResponse> {
	try {
		return await dispatch(request, context);
	} catch (error) {
		return errorFor(request, error, context.log);
	}
}

/** Checks, in order: known verb (405), target present (400), Cookie (401), logged in (401). */
function dispatch(
	request: Request,
	context: DispatchContext,
): OutgoingResponse | Promise<OutgoingResponse> {
	const command = commandTable.get(request.verb);
	if (!command) {
		return errorResponse(
			Status.methodNotAllowed,
			`unknown verb ${request.verb.slice(0, 32)}; see docs/protocol.md for the verbs`,
		);
	}
	if (command.usage && request.target === undefined) {
		return errorResponse(Status.badRequest, `${request.verb} needs a target: ${command.usage}`);
	}
	if (!command.ignoresCookie) {
		const resumed = applyCookie(request, context);
		if (resumed) return runAfter(resumed, command, request, context);
	}
	return run(command, request, context);
}

async function runAfter(
	resumed: Promise<OutgoingResponse | undefined>,
	command: Command,
	request: Request,
	context: DispatchContext,
): Promise<OutgoingResponse> {
	return (await resumed) ?? run(command, request, context);
}

function run(
	command: Command,
	request: Request,
	{ session, services }: DispatchContext,
): OutgoingResponse | Promise<OutgoingResponse> {
	const user = session.user;
	if (!command.anonymous && user === undefined) {
		return errorResponse(Status.unauthorized, 'log in first: USE <user> with a Password header');
	}
	return command.run({ request, session, user: user ?? '', services });
}

/**
 * Binds the session named by a Cookie header. Undefined when there is nothing to look up (no
 * cookie, or the bound session checked within the hour); else the lookup, which gives a 401
 * for an unknown or expired session.
 */
function applyCookie(
	request: Request,
	context: DispatchContext,
): Promise<OutgoingResponse | undefined> | undefined {
	const id = sessionIdFrom(request.headers.get('cookie'));
	if (id === undefined) return undefined;
	const now = context.clock();
	const sameSession = context.session.holds(id);
	if (sameSession && context.session.checkedRecently(now)) return undefined;
	return resume(id, sameSession, now, context);
}

async function resume(
	id: string,
	sameSession: boolean,
	now: number,
	{ services, session }: DispatchContext,
): Promise<OutgoingResponse | undefined> {
	const found: SessionRecord | undefined = await services.accounts.resume(id);
	if (!found) {
		if (sameSession) session.unbind();
		return errorResponse(Status.unauthorized, 'your session is unknown or expired; log in again', [
			['Set-Cookie', expiredSessionCookie],
		]);
	}
	if (sameSession) session.checked(now);
	else session.bind(found);
	return undefined;
}

function errorFor(request: Request, error: unknown, log: Logger): OutgoingResponse {
	if (error instanceof DomainError) {
		const headers: [string, string][] =
			error.retryAfter === undefined ? [] : [['Retry-After', String(error.retryAfter)]];
		return errorResponse(failureStatus[error.kind], error.message, headers);
	}
	if (error instanceof ProtocolError) return errorResponse(error.status, error.message);
	if (error instanceof StorageFailedError || error instanceof StorageClosedError) {
		return storageFailedResponse;
	}
	if (error instanceof StorageUnavailableError) {
		return errorResponse(
			Status.serviceUnavailable,
			`the database is unreachable right now (${error.message}); this request may not have been done: retry shortly (a SEND with a Send-Id is safe to repeat)`,
			[['Retry-After', '1']],
		);
	}
	log.error(
		{ event: 'request-failed', verb: request.verb, error: describe(error) },
		`error handling ${request.verb}: ${describe(error)}`,
	);
	return errorResponse(Status.internalError, 'internal server error; the request was not done');
}

function sessionIdFrom(cookie: string | undefined): string | undefined {
	if (!cookie) return undefined;
	for (const part of cookie.split(';')) {
		const [name, ...value] = part.split('=');
		if (name?.trim().toUpperCase() === 'SESSIONID') return value.join('=').trim() || undefined;
	}
	return undefined;
}

function describe(error: unknown): string {
	return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
