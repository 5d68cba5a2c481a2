import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../source/cli/exit-codes.js';
import {
	PromptInterrupted,
	readHiddenLine,
	readPassword,
	type TerminalInput,
} from '../../source/cli/password-prompt.js';

/** A stand-in terminal: records raw-mode switches and everything written to the screen. */
function terminal() {
	const input = new PassThrough() as PassThrough & TerminalInput & { modes: boolean[] };
	Object.assign(input, { isTTY: true, isRaw: false, modes: [] as boolean[] });
	input.setRawMode = (mode: boolean) => {
		input.modes.push(mode);
		return input;
	};
	const output = new PassThrough();
	let screen = '';
	output.on('data', (chunk) => (screen += chunk));
	return { input, output, screen: () => screen };
}

describe('readHiddenLine', () => {
	it('reads a line in raw mode without echoing it, then restores the terminal', async () => {
		const { input, output, screen } = terminal();
		const line = readHiddenLine(input, output, 'Password: ');
		input.write('correct ');
		input.write('horse\r');
		expect(await line).toBe('correct horse');
		expect(screen()).toBe('Password: \n');
		expect(input.modes).toEqual([true, false]);
	});

	it('edits with backspace and ignores arrow keys', async () => {
		const { input, output } = terminal();
		const line = readHiddenLine(input, output, '> ');
		input.write('secrex\u007ft\u001b[D\u001b[A!\n');
		expect(await line).toBe('secret!');
	});

	it('rejects on Ctrl-C, and on Ctrl-D before anything was typed', async () => {
		const first = terminal();
		const interrupted = readHiddenLine(first.input, first.output, '> ');
		first.input.write('abc\u0003');
		await expect(interrupted).rejects.toBeInstanceOf(PromptInterrupted);
		expect(first.input.modes).toEqual([true, false]);
		const second = terminal();
		const ended = readHiddenLine(second.input, second.output, '> ');
		second.input.write('\u0004');
		await expect(ended).rejects.toBeInstanceOf(UsageError);
	});
});

describe('readPassword', () => {
	it('takes KORICHAT_PASSWORD when set, without prompting', async () => {
		const { input, output, screen } = terminal();
		const env = { KORICHAT_PASSWORD: 'from the env' };
		expect(await readPassword({}, { env, input, output })).toBe('from the env');
		expect(screen()).toBe('');
	});

	it('prompts twice to confirm a new password, and refuses two different ones', async () => {
		const { input, output, screen } = terminal();
		const confirmed = readPassword({ confirm: true, user: 'adrian' }, { env: {}, input, output });
		input.write('correct horse\r');
		await new Promise((resolve) => setImmediate(resolve));
		input.write('correct horse\r');
		expect(await confirmed).toBe('correct horse');
		expect(screen()).toBe('Password for adrian: \nPassword (again): \n');

		const other = terminal();
		const differ = readPassword(
			{ confirm: true },
			{ env: {}, input: other.input, output: other.output },
		);
		other.input.write('one password\r');
		await new Promise((resolve) => setImmediate(resolve));
		other.input.write('another one\r');
		await expect(differ).rejects.toThrow('the two passwords differ; nothing was done');
	});

	it('asks for a new password under its own label and variable (korichat passwd)', async () => {
		const question = { label: 'New password', variable: 'KORICHAT_NEW_PASSWORD', confirm: true };
		const fromEnv = { KORICHAT_PASSWORD: 'the current one', KORICHAT_NEW_PASSWORD: 'the new one' };
		const quiet = terminal();
		expect(await readPassword(question, { env: fromEnv, ...quiet })).toBe('the new one');
		expect(quiet.screen()).toBe('');

		// KORICHAT_PASSWORD answers the current password only: the new one is asked for, twice.
		const { input, output, screen } = terminal();
		const asked = readPassword(question, { env: { KORICHAT_PASSWORD: 'x' }, input, output });
		input.write('staple battery\r');
		await new Promise((resolve) => setImmediate(resolve));
		input.write('staple battery\r');
		expect(await asked).toBe('staple battery');
		expect(screen()).toBe('New password: \nNew password (again): \n');
		const none = readPassword(question, {
			env: {},
			input: new PassThrough() as PassThrough & TerminalInput,
			output: new PassThrough(),
		});
		await expect(none).rejects.toThrow(
			'no new password: set KORICHAT_NEW_PASSWORD, or run korichat in a terminal to be asked for it',
		);
	});

	it('is a usage error with neither the variable nor a terminal', async () => {
		const input = new PassThrough() as PassThrough & TerminalInput;
		await expect(readPassword({}, { env: {}, input, output: new PassThrough() })).rejects.toThrow(
			UsageError,
		);
	});
});
