import { UsageError } from './exit-codes.js';

export const passwordVariable = 'KORICHAT_PASSWORD';
/** The new password for `korichat passwd`, for scripts. */
export const newPasswordVariable = 'KORICHAT_NEW_PASSWORD';

/** The input side of a terminal, as much of it as the prompt needs (a fake one in tests). */
export type TerminalInput = NodeJS.ReadableStream & {
	readonly isTTY?: boolean;
	setRawMode?(mode: boolean): unknown;
	readonly isRaw?: boolean;
};

export class PromptInterrupted extends Error {
	override readonly name = 'PromptInterrupted';
}

// eslint-disable-next-line no-control-regex -- matching terminal escape sequences is the point
const escapeSequence = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|O.|.)?/g;

/**
 * Reads one line from a terminal in raw mode without echoing it. Backspace edits; Enter ends;
 * Ctrl-C rejects with PromptInterrupted; Ctrl-D on an empty line rejects with a UsageError.
 */
export function readHiddenLine(
	input: TerminalInput,
	output: NodeJS.WritableStream,
	prompt: string,
): Promise<string> {
	output.write(prompt);
	const wasRaw = input.isRaw ?? false;
	input.setRawMode?.(true);
	input.resume();
	let line = '';
	return new Promise((resolve, reject) => {
		const finish = (error?: Error) => {
			input.off('data', onData);
			input.setRawMode?.(wasRaw);
			input.pause();
			output.write('\n');
			if (error) reject(error);
			else resolve(line);
		};
		const onData = (chunk: Buffer | string) => {
			// Arrow keys and the like are not part of a password.
			const text = chunk.toString().replace(escapeSequence, '');
			for (const character of text) {
				if (character === '\r' || character === '\n') return finish();
				if (character === '\u0003') return finish(new PromptInterrupted('interrupted'));
				if (character === '\u0004') {
					if (line === '') return finish(new UsageError('no password given'));
					continue;
				}
				if (character === '\u007f' || character === '\b') line = [...line].slice(0, -1).join('');
				else if (character >= ' ') line += character;
			}
		};
		input.on('data', onData);
	});
}

type PasswordSource = {
	readonly env: NodeJS.ProcessEnv;
	readonly input: TerminalInput;
	readonly output: NodeJS.WritableStream;
};

const defaultSource = (): PasswordSource => ({
	env: process.env,
	input: process.stdin,
	output: process.stderr,
});

export type PasswordQuestion = {
	/** Ask twice, and refuse two different answers. */
	readonly confirm?: boolean;
	/** Named in the prompt (`Password for adrian: `). */
	readonly user?: string;
	/** The environment variable that answers instead of a prompt (default $KORICHAT_PASSWORD). */
	readonly variable?: string;
	/** What is asked for (default `Password`; `New password` for passwd). */
	readonly label?: string;
};

/**
 * $KORICHAT_PASSWORD (or `variable`) when set, else a hidden prompt on a terminal (twice with
 * `confirm`); never from the command line, where other users could read it in the process list.
 */
export async function readPassword(
	options: PasswordQuestion,
	source: PasswordSource = defaultSource(),
): Promise<string> {
	const variable = options.variable ?? passwordVariable;
	const label = options.label ?? 'Password';
	const fromEnv = source.env[variable];
	if (fromEnv) return fromEnv;
	if (!source.input.isTTY) {
		throw new UsageError(
			`no ${label.toLowerCase()}: set ${variable}, or run korichat in a terminal to be asked for it`,
		);
	}
	const prompt = options.user ? `${label} for ${options.user}: ` : `${label}: `;
	const password = await readHiddenLine(source.input, source.output, prompt);
	if (!options.confirm) return password;
	const again = await readHiddenLine(source.input, source.output, `${label} (again): `);
	if (again !== password) throw new UsageError('the two passwords differ; nothing was done');
	return password;
}
