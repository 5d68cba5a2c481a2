import { isValidName } from '../../client/names.js';
import { editText, emptyInput, type TextEdit, type TextInput } from './text-input.js';

export type LoginField = 'user' | 'displayName' | 'password' | 'confirm';
export type LoginMode = 'login' | 'register';

export type LoginForm = {
	readonly mode: LoginMode;
	readonly field: LoginField;
	readonly user: TextInput;
	readonly displayName: TextInput;
	readonly password: TextInput;
	/** The password again, when creating an account. */
	readonly confirm: TextInput;
	readonly busy: boolean;
	readonly error: string | undefined;
};

export type LoginFormAction =
	| { readonly type: 'field-edited'; readonly edit: TextEdit }
	| { readonly type: 'field-moved'; readonly step: 1 | -1 }
	/** Enter: the next field, or (on the last one) send the form. */
	| { readonly type: 'entered' }
	| { readonly type: 'mode-toggled' }
	| { readonly type: 'submitted' }
	| { readonly type: 'failed'; readonly error: string }
	| { readonly type: 'finished' };

export const initialLoginForm: LoginForm = {
	mode: 'login',
	field: 'user',
	user: emptyInput,
	displayName: emptyInput,
	password: emptyInput,
	confirm: emptyInput,
	busy: false,
	error: undefined,
};

/** The form to start with: creating an account on a server never used from here. */
export const loginFormFor = (mode: LoginMode): LoginForm => ({ ...initialLoginForm, mode });

export const loginFields = (mode: LoginMode): readonly LoginField[] =>
	mode === 'login' ? ['user', 'password'] : ['user', 'displayName', 'password', 'confirm'];

/** What stops the form from being sent, checked before the server is asked. */
export function loginProblem(form: LoginForm): string | undefined {
	const user = form.user.text.trim();
	if (user === '') return 'Type your user name';
	if (!isValidName(user)) return 'User names are 1-32 characters of a-z, 0-9, _, - and .';
	if (form.password.text === '') return 'Type your password';
	if (form.mode === 'register' && form.password.text.length < 8)
		return 'Passwords need at least 8 characters';
	if (form.mode === 'register' && form.confirm.text !== form.password.text)
		return 'The two passwords differ: type the same one twice';
	return undefined;
}

/** The login screen's form: pure, one widget's state in the manner of ink-ui. */
export function loginFormReducer(form: LoginForm, action: LoginFormAction): LoginForm {
	switch (action.type) {
		case 'field-edited':
			return { ...form, [form.field]: editText(form[form.field], action.edit), error: undefined };
		case 'field-moved': {
			const fields = loginFields(form.mode);
			const index = fields.indexOf(form.field);
			return { ...form, field: fields[(index + action.step + fields.length) % fields.length]! };
		}
		case 'entered': {
			const fields = loginFields(form.mode);
			const index = fields.indexOf(form.field);
			// A missing or impossible name is said at once, before the password is asked.
			const nameProblem = form.field === 'user' ? loginProblem(form) : undefined;
			if (nameProblem && nameProblem !== 'Type your password')
				return { ...form, error: nameProblem };
			if (index < fields.length - 1) return { ...form, field: fields[index + 1]! };
			return loginFormReducer(form, { type: 'submitted' });
		}
		case 'mode-toggled': {
			const mode = form.mode === 'login' ? 'register' : 'login';
			const field = loginFields(mode).includes(form.field) ? form.field : 'user';
			return { ...form, mode, field, error: undefined };
		}
		case 'submitted': {
			const error = loginProblem(form);
			return error ? { ...form, error } : { ...form, busy: true, error: undefined };
		}
		case 'failed':
			return { ...form, busy: false, error: action.error };
		case 'finished':
			return { ...form, busy: false };
	}
}
