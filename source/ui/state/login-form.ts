import { isValidName } from '../../client/names.js';
import { editText, emptyInput, type TextEdit, type TextInput } from './text-input.js';

export type LoginField = 'user' | 'displayName' | 'password';
export type LoginMode = 'login' | 'register';

export type LoginForm = {
	readonly mode: LoginMode;
	readonly field: LoginField;
	readonly user: TextInput;
	readonly displayName: TextInput;
	readonly password: TextInput;
	readonly busy: boolean;
	readonly error: string | undefined;
};

export type LoginFormAction =
	| { readonly type: 'field-edited'; readonly edit: TextEdit }
	| { readonly type: 'field-moved'; readonly step: 1 | -1 }
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
	busy: false,
	error: undefined,
};

export const loginFields = (mode: LoginMode): readonly LoginField[] =>
	mode === 'login' ? ['user', 'password'] : ['user', 'displayName', 'password'];

/** What stops the form from being sent, checked before the server is asked. */
export function loginProblem(form: LoginForm): string | undefined {
	const user = form.user.text.trim();
	if (user === '') return 'Type your user name';
	if (!isValidName(user)) return 'User names are 1-32 characters of a-z, 0-9, _, - and .';
	if (form.password.text === '') return 'Type your password';
	if (form.mode === 'register' && form.password.text.length < 8)
		return 'Passwords need at least 8 characters';
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
