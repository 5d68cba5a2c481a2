import { describe, expect, it } from 'vitest';
import {
	initialLoginForm,
	loginFormFor,
	loginFormReducer,
	type LoginForm,
	type LoginFormAction,
} from '../../../source/ui/state/login-form.js';

const run = (...actions: LoginFormAction[]) => actions.reduce(loginFormReducer, initialLoginForm);
const from = (form: LoginForm, ...actions: LoginFormAction[]) =>
	actions.reduce(loginFormReducer, form);
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
			{ type: 'field-moved', step: -1 },
			type('short'),
			{ type: 'submitted' },
		);
		expect(short.error).toMatch(/8 characters/);
	});

	it('moves on with Enter, and sends from the last field only', () => {
		const moved = run(type('adrian'), { type: 'entered' });
		expect(moved).toMatchObject({ field: 'password', busy: false });
		expect(from(moved, type('correct horse'), { type: 'entered' })).toMatchObject({ busy: true });
	});

	it('asks for the password twice when creating an account', () => {
		const form = from(
			loginFormFor('register'),
			type('adrian'),
			{ type: 'entered' },
			{ type: 'entered' },
			type('correct horse'),
			{ type: 'entered' },
		);
		expect(form.field).toBe('confirm');
		expect(from(form, type('correct hors'), { type: 'entered' }).error).toMatch(/differ/);
		expect(from(form, type('correct horse'), { type: 'entered' }).busy).toBe(true);
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
