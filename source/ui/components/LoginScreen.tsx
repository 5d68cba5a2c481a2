import { Box, Text } from 'ink';
import { signIn } from '../actions/session-actions.js';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { commandFor } from '../keys/match-key.js';
import {
	loginFields,
	loginFormFor,
	loginFormReducer,
	type LoginField,
	type LoginFormAction,
} from '../state/login-form.js';
import { isEditCommand } from '../state/text-input.js';
import { ConnectionBadge, serverLabel } from './ConnectionBadge.js';
import { keyPriority } from './KeypressProvider.js';
import { TextField } from './TextField.js';

const labels: Record<LoginField, string> = {
	user: 'User name',
	displayName: 'Display name',
	password: 'Password',
	confirm: 'Again',
};

/** Log in (or register), with the server's refusals shown in place. */
export function LoginScreen() {
	const actions = useChatActions();
	const notice = useChatState((state) => state.notice);
	// A server never logged into from here most likely needs an account first (no verb tells
	// whether it has any): the first screen is "Create an account", Ctrl+R to log in instead.
	const [form, setForm, readForm] = useSyncState(() =>
		loginFormFor(
			actions.views && !actions.views.knows(actions.client.address.key) ? 'register' : 'login',
		),
	);
	const dispatch = (action: LoginFormAction) =>
		setForm((current) => loginFormReducer(current, action));
	const { columns, rows } = useTerminalSize();
	const width = Math.min(64, columns - 2);
	const fieldWidth = width - 20;

	useKeypress(
		(key) => {
			if (readForm().busy) return true;
			const command = commandFor(key, ['login', 'text']);
			if (command === 'field-next' || command === 'field-previous') {
				dispatch({ type: 'field-moved', step: command === 'field-next' ? 1 : -1 });
			} else if (command === 'login-mode') {
				dispatch({ type: 'mode-toggled' });
			} else if (command === 'login-submit') {
				dispatch({ type: 'entered' });
				const submitted = readForm();
				if (submitted.busy) {
					void signIn(actions, submitted).then((error) =>
						dispatch(error ? { type: 'failed', error } : { type: 'finished' }),
					);
				}
			} else if (command && isEditCommand(command)) {
				dispatch({ type: 'field-edited', edit: { type: command } });
			} else if (key.text && !key.ctrl && !key.meta) {
				dispatch({
					type: 'field-edited',
					edit: { type: 'insert', text: key.text.replace(/\n/g, '') },
				});
			}
			return true;
		},
		{ priority: keyPriority.screen },
	);

	const register = form.mode === 'register';
	return (
		<Box
			width={columns}
			height={rows - 1}
			flexDirection="column"
			alignItems="center"
			justifyContent="center"
		>
			<Box
				width={width}
				flexDirection="column"
				borderStyle="round"
				borderColor="cyan"
				paddingX={2}
				paddingY={1}
			>
				<Text bold color="cyan">
					KoriChat
				</Text>
				<Text>
					{register ? 'Create an account on ' : 'Log in to '}
					<Text bold>{serverLabel(actions.client.address)}</Text> <ConnectionBadge />
				</Text>
				<Box flexDirection="column" marginY={1}>
					{loginFields(form.mode).map((field) => (
						<Box key={field}>
							<Box width={16}>
								<Text bold={form.field === field} color={form.field === field ? 'cyan' : undefined}>
									{form.field === field ? '› ' : '  '}
									{labels[field]}
								</Text>
							</Box>
							<TextField
								input={form[field]}
								focused={form.field === field}
								width={fieldWidth}
								mask={field === 'password' ? '•' : undefined}
								placeholder={
									field === 'displayName'
										? 'optional'
										: field === 'confirm'
											? 'the password once more'
											: undefined
								}
							/>
						</Box>
					))}
				</Box>
				{form.error ? <Text color="red">✗ {form.error}</Text> : null}
				{!form.error && notice?.kind === 'error' ? <Text color="red">✗ {notice.text}</Text> : null}
				{form.busy ? <Text color="yellow">{register ? 'Registering…' : 'Logging in…'}</Text> : null}
				<Box marginTop={1} flexDirection="column">
					<Text dimColor>
						Enter next / {register ? 'create' : 'log in'} · Tab next · Ctrl+R{' '}
						{register ? 'I have an account' : 'new account'} · Ctrl+C quit
					</Text>
				</Box>
			</Box>
		</Box>
	);
}
