import type { LoginForm } from '../state/login-form.js';
import { describeError, type ActionContext } from './action-context.js';
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
