import type { LoginForm } from '../state/login-form.js';
import { describeError, inform, report, type ActionContext } from './action-context.js';
import { refreshLists } from './conversation-actions.js';

/** Registers (in register mode) and logs in; resolves with the error to show, if any. */
export async function signIn(context: ActionContext, form: LoginForm): Promise<string | undefined> {
	const user = form.user.text.trim().toLowerCase();
	const password = form.password.text;
	try {
		if (form.mode === 'register') {
			const displayName = form.displayName.text.trim();
			await context.client.register(user, password, displayName === '' ? undefined : displayName);
		}
		const session = await context.client.login(user, password);
		context.dispatch({ type: 'signed-in', user: session.user });
		void refreshLists(context);
		return undefined;
	} catch (error) {
		return describeError(error);
	}
}

/** F5 or /reconnect: try to connect now rather than at the end of the back-off. */
export function reconnectNow(context: ActionContext): void {
	const { client } = context;
	if (client.state === 'online') {
		inform(context, 'Already connected');
		return;
	}
	if (client.state === 'offline') client.reconnectNow();
	// Never connected yet: start an attempt now (the start-up retries go on if it fails).
	else if (client.state === 'idle')
		client.connect().catch((error: unknown) => report(context, error, 'Could not reconnect'));
	context.dispatch({
		type: 'connection-changed',
		connection: { state: 'connecting' },
	});
}

/** /passwd: changes the password (PASSWD, §7.7); resolves with the error to show, if any. */
export async function changePassword(
	context: ActionContext,
	current: string,
	next: string,
): Promise<string | undefined> {
	try {
		await context.client.changePassword(current, next);
		inform(context, 'Password changed: your other devices were logged out');
		return undefined;
	} catch (error) {
		const status = (error as { status?: unknown }).status;
		return status === 401 ? 'The current password is wrong' : describeError(error);
	}
}
