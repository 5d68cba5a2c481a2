import { ChatProtocolError } from './errors.js';

/** A JSON object as read from a body, before its fields are checked. */
export type Json = Record<string, unknown>;

/** Throws the ChatProtocolError for an answer or push that does not have the expected shape. */
export function fail(what: string): never {
	throw new ChatProtocolError(`the server sent an unreadable ${what}`);
}

/** The JSON object in a frame's body; a protocol error if there is none. */
export function jsonBody(frame: { body: Buffer }, what: string): Json {
	try {
		const value: unknown = JSON.parse(frame.body.toString('utf8'));
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
	} catch {
		// Reported below, as for any other shape.
	}
	return fail(what);
}

export const isString = (value: unknown): value is string => typeof value === 'string';

/** A message id: a positive safe integer. */
export const isId = (value: unknown): value is number =>
	Number.isSafeInteger(value) && Number(value) > 0;

/** `json[key]` as an array of objects, or a protocol error naming `what`. */
export function list(json: Json, key: string, what: string): Json[] {
	const value = json[key];
	if (!Array.isArray(value) || !value.every((each) => typeof each === 'object' && each !== null)) {
		return fail(what);
	}
	return value as Json[];
}

/** A conversation's `to` / `group` pair (§7): `group` is null for a direct conversation. */
export function conversationFields(json: Json, what: string): { to: string; group: string | null } {
	const { to, group } = json;
	if (!isString(to) || (group !== null && !isString(group))) fail(what);
	return { to, group };
}
