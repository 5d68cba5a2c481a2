import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { RawClient, RawPush } from './raw-client.js';

/** Sends and expects a 202; the message id. */
export async function send(
	client: RawClient,
	target: string,
	text: string,
	headers: Record<string, string> = {},
): Promise<number> {
	const response = await client.request('SEND', target, headers, text);
	expect(response.status, response.text).toBe(202);
	return Number(response.headers.get('message-id'));
}

/** A MSG push, with this text when given. */
export const isMessage =
	(text?: string) =>
	(push: RawPush): boolean =>
		push.kind === 'MSG' && (text === undefined || push.text === text);

/** A NOTIFY push of this kind. */
export const isNotice =
	(kind: string) =>
	(push: RawPush): boolean =>
		push.kind === 'NOTIFY' && push.target === kind;

/**
 * The pushes matching `predicate` that arrived within `ms` (and were not taken by a waitForPush):
 * how a test shows that something was not pushed, or pushed once only.
 */
export async function pushesWithin(
	client: RawClient,
	predicate: (push: RawPush) => boolean,
	ms = 300,
): Promise<RawPush[]> {
	await sleep(ms);
	return client.pushes.filter(predicate);
}

/** Makes `group` owned by `owner` with these members (`josie,john:admin`; '' for none). */
export async function makeGroup(owner: RawClient, group: string, invite: string): Promise<void> {
	expect((await owner.request('MK_GROUP', group)).status).toBe(201);
	if (invite === '') return;
	expect((await owner.request('ADD_USER', group, { Invite: invite })).status).toBe(200);
}
