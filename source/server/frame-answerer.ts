import type { Logger } from '../domain/logger.js';
import type { ChatStore } from '../domain/store.js';
import { errorResponse } from '../protocol/encoder.js';
import { ProtocolError } from '../protocol/errors.js';
import type { RawFrame, Request } from '../protocol/frame.js';
import { parseRequest } from '../protocol/request.js';
import { closesConnection, Status } from '../protocol/status.js';
import type { BoundSession } from './bound-session.js';
import type { Services } from './commands/command.js';
import { answer, verbLabel, type DispatchContext } from './commands/dispatch.js';
import { closingReason, logClosing, type LoggedPeer } from './connection-log.js';
import { malformedVerb } from './instruments.js';
import type { ServerOptions } from './options.js';
import type { ResponseOutbox } from './response-outbox.js';

// A connection is closed at its this-many-th malformed frame.
export const maxMalformedFrames = 10;
// A longer Request-Id is refused, never echoed back.
export const maxRequestIdLength = 128;

/** What the answering of every connection of a server shares. */
export type AnswerDependencies = {
	readonly services: Services;
	readonly store: ChatStore;
	readonly options: ServerOptions;
	/** Where closed connections are logged. */
	readonly noisyLog: Logger;
};

/** The connection whose frames are answered: named in logs, closed by a frame that ends it. */
export interface AnswerTarget extends LoggedPeer {
	/** Closes the connection once the responses so far are written. */
	closeAfterResponses(): void;
}

/**
 * Answers one connection's frames into its outbox, in order: requests through the command table,
 * malformed frames and protocol errors with an error response, closing the connection when due.
 */
export class FrameAnswerer {
	readonly #target: AnswerTarget;
	readonly #session: BoundSession;
	readonly #outbox: ResponseOutbox;
	readonly #deps: AnswerDependencies;
	#malformedFrames = 0;

	constructor(
		target: AnswerTarget,
		session: BoundSession,
		outbox: ResponseOutbox,
		deps: AnswerDependencies,
	) {
		this.#target = target;
		this.#session = session;
		this.#outbox = outbox;
		this.#deps = deps;
	}

	/** Answers one frame; a promise while its command runs. */
	answerFrame(frame: RawFrame): Promise<void> | undefined {
		const requestId = frame.headers.get('request-id');
		if (requestId !== undefined && requestId.length > maxRequestIdLength) {
			const message = `Request-Id is longer than ${maxRequestIdLength} characters`;
			this.answerMalformed(new ProtocolError(Status.badRequest, message), undefined);
			return undefined;
		}
		const parsed = parseRequest(frame);
		if (parsed instanceof ProtocolError) {
			// The head parsed, so its Request-Id can still be echoed (e.g. on a 505).
			if (parsed.status === Status.versionNotSupported) {
				this.#deps.options.instruments.requestAnswered(malformedVerb, parsed.status);
				this.#outbox.respond(requestId, errorResponse(parsed.status, parsed.message));
			} else {
				this.answerMalformed(parsed, requestId);
			}
			return undefined;
		}
		return this.#answer(parsed, requestId);
	}

	/** Answers a malformed frame; the connection closes at its maxMalformedFrames-th. */
	answerMalformed(error: ProtocolError, requestId: string | undefined): void {
		const count = ++this.#malformedFrames;
		this.#deps.options.instruments.requestAnswered(malformedVerb, error.status);
		if (count < maxMalformedFrames) {
			this.#outbox.respond(requestId, errorResponse(error.status, error.message));
			return;
		}
		const message = `${error.message}; closing the connection after ${count} malformed frames`;
		logClosing(this.#deps.noisyLog, this.#target, 'closed', 'malformed-frames', message);
		this.#outbox.respond(requestId, errorResponse(error.status, message));
		this.#target.closeAfterResponses();
	}

	/** Answers an error of the connection's input as a whole; one that ends it closes it. */
	answerInputError(error: ProtocolError): void {
		this.#deps.options.instruments.requestAnswered(malformedVerb, error.status);
		this.#outbox.respond(undefined, errorResponse(error.status, error.message));
		if (error.fatal || closesConnection(error.status)) {
			const reason = closingReason(error);
			logClosing(this.#deps.noisyLog, this.#target, 'closed', reason, error.message);
			this.#target.closeAfterResponses();
		}
	}

	async #answer(request: Request, requestId: string | undefined): Promise<void> {
		const response = await answer(request, this.#dispatchContext());
		this.#deps.options.instruments.requestAnswered(verbLabel(request.verb), response.status);
		this.#outbox.respond(requestId, response, this.#deps.store.whenDurable());
		const pump = this.#session.takeDeliveryToStart();
		if (pump) this.#outbox.afterResponses(() => pump.start());
	}

	#dispatchContext(): DispatchContext {
		const { services, options } = this.#deps;
		return { services, session: this.#session, clock: options.clock, log: this.#deps.noisyLog };
	}
}
