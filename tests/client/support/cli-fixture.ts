import { afterEach, beforeEach, expect } from 'vitest';
import { runCli } from '../../helpers/cli-process.js';
import { makeTempDir, type TempDir } from '../../helpers/temp-dir.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

export const password = 'correct horse battery';
// Each command is a fresh Node process; a busy machine makes a dozen of them slow.
export const manyCommands = 60_000;

export type Run = { code: number | null; stdout: string; stderr: string };

/**
 * A real server and a temp config folder per test, and `korichat(args)` running the built CLI
 * against them. Also checks, after each test, that no output ever showed the password.
 */
export function useCliFixture() {
	let outputs: string[] = [];
	const fixture = {
		server: undefined as unknown as TestServer,
		config: undefined as unknown as TempDir,

		/** `korichat <args> --server <test server>` with its own config folder and password. */
		async korichat(
			args: readonly string[],
			options: { env?: NodeJS.ProcessEnv; input?: string | Buffer; server?: boolean } = {},
		): Promise<Run> {
			const serverFlag =
				options.server === false ? [] : ['--server', `127.0.0.1:${fixture.server.port}`];
			const env = {
				KORICHAT_CONFIG_DIR: fixture.config.dir,
				KORICHAT_PASSWORD: password,
				TZ: 'UTC',
				...options.env,
			};
			const cli = runCli([...args, ...serverFlag], env, { input: options.input });
			const closed = new Promise((resolve) => cli.child.once('close', resolve));
			const code = await cli.exited;
			await closed;
			outputs.push(cli.stdout(), cli.stderr());
			return { code, stdout: cli.stdout(), stderr: cli.stderr() };
		},

		/** Registers `user` (with a display name) and logs in as them. */
		async loggedIn(user: string, name?: string): Promise<void> {
			const register = ['register', user, ...(name ? ['--name', name] : [])];
			expect((await fixture.korichat(register)).code).toBe(0);
			expect((await fixture.korichat(['login', user])).code).toBe(0);
		},
	};
	beforeEach(async () => {
		fixture.server = await startTestServer();
		fixture.config = await makeTempDir();
		outputs = [];
	});
	afterEach(async () => {
		await fixture.server.stop();
		await fixture.config.remove();
		for (const output of outputs) expect(output).not.toContain(password);
	});
	return fixture;
}
