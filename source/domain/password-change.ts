import { afterDurable } from './after-durable.js';
import type { MessageBus } from './bus.js';
import { badRequest, unauthorized } from './errors.js';
import { refuseWhileThrottled, type LoginThrottle } from './login-throttle.js';
import {
	checkPasswordRules,
	hashPassword,
	verifyPassword,
	type ScryptParameters,
} from './passwords.js';
import type { ChatStore } from './store.js';

export type PasswordChangeOptions = {
	readonly store: ChatStore;
	readonly bus: MessageBus;
	readonly throttle: LoginThrottle;
	readonly scrypt?: ScryptParameters;
};

/**
 * PASSWD (§7.7): a wrong current password counts as a failed login; on success every other
 * session of the user is deleted and, once on disk, logged out on every node.
 */
export async function changePassword(
	options: PasswordChangeOptions,
	user: string,
	keepSessionId: string,
	current: string | undefined,
	next: string | undefined,
): Promise<void> {
	const { store, bus, throttle, scrypt } = options;
	if (current === undefined) throw badRequest('PASSWD needs a Password header: your current one');
	if (next === undefined) throw badRequest('PASSWD needs a New-Password header');
	checkPasswordRules(next);
	await refuseWhileThrottled(throttle, user, 'wrong passwords');
	const record = await store.findUser(user);
	if (!record || !(await verifyPassword(current, record.passwordHash))) {
		await throttle.recordFailure(user);
		throw unauthorized('wrong current password; nothing was changed');
	}
	await throttle.recordSuccess(user);
	const hash = await hashPassword(next, scrypt);
	const ended = await store.changePassword(user, hash, keepSessionId);
	afterDurable(store, () => {
		for (const session of ended) bus.publish({ type: 'session-ended', user, session });
	});
}
