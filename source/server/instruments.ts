/** What a running server shows of itself when the metrics are read (at scrape time). */
export type ServerReadings = {
	/** Open client connections (TLS handshakes done). */
	readonly connections: () => number;
	/** Users with at least one logged-in connection on this node. */
	readonly loggedInUsers: () => number;
	/** Unacknowledged queue entries over every user, from the store (a query: cache it). */
	readonly queueDepth: () => Promise<number>;
	/** The storage's health as last probed (store-health.ts). */
	readonly health: () => { readonly healthy: boolean; readonly reason: string };
};

/**
 * What the server reports as it works, for the metrics: it only calls these, and never knows
 * which metrics library (if any) counts behind them.
 */
export interface ServerInstruments {
	/** The server listens; `readings` stay valid until serverStopped(). */
	serverStarted(readings: ServerReadings): void;
	/** close() began: the server takes no more work. */
	serverStopped(): void;
	/** A request answered; `verb` is a known verb, `unknown` or `malformed` (dispatch.ts: verbLabel). */
	requestAnswered(verb: string, status: number): void;
	/** A new message stored (a repeated Send-Id stores none). */
	messageStored(): void;
	/** A message pushed to a connection (MSG). */
	messageDelivered(): void;
}

/** Counts nothing: the default. */
export const noServerInstruments: ServerInstruments = {
	serverStarted: () => undefined,
	serverStopped: () => undefined,
	requestAnswered: () => undefined,
	messageStored: () => undefined,
	messageDelivered: () => undefined,
};

/** Frames that did not parse as a request count under this verb. */
export const malformedVerb = 'malformed';
