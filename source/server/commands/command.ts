import type { Accounts } from '../../domain/accounts.js';
import type { Groups } from '../../domain/groups.js';
import type { MessageChanges } from '../../domain/message-changes.js';
import type { Messages } from '../../domain/messages.js';
import type { ReadMarkers } from '../../domain/read-markers.js';
import type { Search } from '../../domain/search.js';
import type { Typing } from '../../domain/typing.js';
import type { SessionRecord } from '../../domain/types.js';
import type { OutgoingResponse, Request } from '../../protocol/frame.js';
import type { OnlineRegistry } from '../online-registry.js';
import type { StoreHealth } from '../store-health.js';

export type Services = {
	readonly accounts: Accounts;
	readonly groups: Groups;
	readonly messages: Messages;
	/** EDIT and DELETE. */
	readonly changes: MessageChanges;
	/** READ and UNREAD. */
	readonly reads: ReadMarkers;
	readonly search: Search;
	readonly typing: Typing;
	readonly online: OnlineRegistry;
	readonly health: StoreHealth;
};

/** What a command may do to the connection it arrived on. */
export interface SessionControl {
	readonly user: string | undefined;
	readonly sessionId: string | undefined;
	/** This connection's id, unique across the cluster: pushes its own requests caused skip it. */
	readonly connectionId: string;
	/**
	 * A SEND starts on this connection: its own message is not pushed back to it. Call the
	 * returned function with the message id once the SEND is done (undefined when it failed).
	 */
	sending(): (id: number | undefined) => void;
	/** Binds the session to this connection; delivery of its queue starts after this reply. */
	bind(session: SessionRecord): void;
	/** Ends the session on every connection that holds it. */
	endSession(): void;
	/** The highest message id pushed to this user, to clamp a cumulative ACK. */
	deliveredUpTo(): number;
	acknowledged(id: number): void;
}

export type CommandContext = {
	readonly request: Request;
	readonly session: SessionControl;
	/** The logged-in user; set for every command that requires a login. */
	readonly user: string;
	readonly services: Services;
};

export type Command = {
	/** Usable without logging in (PROTOCOL.md §4: REG, USE, PING). */
	readonly anonymous?: boolean;
	/** Shown in the 400 when the target is missing, e.g. `SEND <user or group>`. */
	readonly usage?: string;
	/** Ignores any Cookie header (REG and USE start fresh). */
	readonly ignoresCookie?: boolean;
	readonly run: (context: CommandContext) => Promise<OutgoingResponse>;
};

export const requiredHeader = (request: Request, name: string) => request.headers.get(name);
