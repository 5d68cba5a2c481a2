import { describe, expect, it } from 'vitest';
import {
	initialLoginForm,
	loginFormReducer,
	type LoginFormAction,
} from '../../../source/ui/state/login-form.js';

const run = (...actions: LoginFormAction[]) => actions.reduce(loginFormReducer, initialLoginForm);
const type = (text: string): LoginFormAction => ({
	type: 'field-edited',
	edit: { type: 'insert', text },
});

describe('loginFormReducer', () => {
	it('moves between user name and password, round', () => {
		expect(run({ type: 'field-moved', step: 1 }).field).toBe('password');
		expect(run({ type: 'field-moved', step: 1 }, { type: 'field-moved', step: 1 }).field).toBe(
			'user',
		);
	});

	it('adds the display name field in register mode', () => {
		const form = run({ type: 'mode-toggled' }, { type: 'field-moved', step: 1 });
		expect(form.mode).toBe('register');
		expect(form.field).toBe('displayName');
	});

	it('refuses to send an incomplete or invalid form, saying why', () => {
		expect(run({ type: 'submitted' })).toMatchObject({ busy: false, error: 'Type your user name' });
		expect(run(type('bad name'), { type: 'submitted' }).error).toMatch(/1-32 characters/);
		expect(run(type('adrian'), { type: 'submitted' }).error).toBe('Type your password');
		const short = run(
			{ type: 'mode-toggled' },
			type('adrian'),
			{ type: 'field-moved', step: -1 },
			type('short'),
			{ type: 'submitted' },
		);
		expect(short.error).toMatch(/8 characters/);
	});

	it('goes busy when sent, and shows the failure', () => {
		const sent = run(type('adrian'), { type: 'field-moved', step: 1 }, type('correct horse'), {
			type: 'submitted',
		});
		expect(sent).toMatchObject({ busy: true, error: undefined });
		expect(
			loginFormReducer(sent, {
				type: 'failed',
				error: 'Not logged in (401): wrong user or password',
			}),
		).toMatchObject({
			busy: false,
			error: 'Not logged in (401): wrong user or password',
		});
	});
});
