import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-process.js';
import { freePort } from './support/haproxy.js';
import { clusterServices } from './support/services.js';

const services = await clusterServices();

/** Runs `korichat --serve --headless` with these flags and waits for it to give up. */
async function refusedStart(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
	const cli = runCli(['--serve', '--headless', '--port', '0', ...args], env);
	const code = await cli.exited;
	return { code, lines: cli.stderr().trim().split('\n') };
}

describe('korichat --serve --store/--bus: what cannot work is said in one line', () => {
	it('refuses --bus without a PostgreSQL store', async () => {
		const { code, lines } = await refusedStart(['--bus', 'redis://127.0.0.1:6379']);
		expect(code).not.toBe(0);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/--bus .*--store postgres:\/\//);
	});

	it('refuses a store that is not a postgres:// URL, and KORICHAT_BUS without a store', async () => {
		const store = await refusedStart(['--store', 'mysql://db/chat']);
		expect(store.code).not.toBe(0);
		expect(store.lines).toEqual([expect.stringMatching(/--store takes a postgres:\/\/ URL/)]);
		const bus = await refusedStart([], { KORICHAT_BUS: 'redis://127.0.0.1:6379' });
		expect(bus.code).not.toBe(0);
		expect(bus.lines).toEqual([expect.stringMatching(/--bus/)]);
	});

	it('exits non-zero in one line when the database is unreachable at start', async () => {
		const port = await freePort();
		const { code, lines } = await refusedStart(['--store', `postgres://root@127.0.0.1:${port}/x`]);
		expect(code).not.toBe(0);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain(`127.0.0.1:${port}`);
	});

	it.skipIf(!services.available)(
		'exits non-zero in one line when Redis is unreachable at start',
		async () => {
			const port = await freePort();
			const { code, lines } = await refusedStart([
				'--store',
				'postgres://root@127.0.0.1:5432/postgres',
				'--bus',
				`redis://127.0.0.1:${port}`,
			]);
			expect(code).not.toBe(0);
			expect(lines.filter((line) => !line.includes('schema'))).toHaveLength(1);
			expect(lines.join('\n')).toContain(`127.0.0.1:${port}`);
		},
		30_000,
	);
});
