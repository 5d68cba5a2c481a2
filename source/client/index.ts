export { ChatClient, type ChatClientEvents, type ChatClientOptions } from './chat-client.js';
export type { ConnectionState, SessionEndReason } from './chat-link.js';
export {
	CookieStore,
	MemorySessionStore,
	configDir,
	configDirVariable,
	type SessionStore,
} from './cookie-store.js';
export * from './errors.js';
export { backoffDelay, defaultBackoff, type BackoffOptions } from './reconnect-policy.js';
export {
	defaultPort,
	defaultServer,
	parseServerAddress,
	ServerAddressError,
	type ServerAddress,
} from './server-address.js';
export { isValidSendId, newSendId } from './send-id.js';
export { terminalSafe } from './terminal-text.js';
export * from './types.js';
export { Outbox, type OutboxEntry, type OutboxEvents, type OutboxOptions } from './outbox.js';
