import { connect } from 'node:net';
import type { TestProject } from 'vitest/node';

/** Where the Redis suites find Redis: 127.0.0.1:6379, or the port in KORICHAT_TEST_REDIS_PORT. */
export const redisHost = '127.0.0.1';
export const redisPort = Number(process.env.KORICHAT_TEST_REDIS_PORT ?? 6379);

declare module 'vitest' {
	export interface ProvidedContext {
		/** Whether the Redis the cluster suites use answered a PING before the run. */
		redisReachable: boolean;
	}
}

/** Asks once per run whether Redis is there, so a missing Redis is reported in one line. */
export default async function setup(project: TestProject): Promise<void> {
	const reachable = await ping();
	if (!reachable && process.env.CI !== 'true') {
		process.stdout.write(
			`Redis at ${redisHost}:${redisPort} is unreachable: skipping the Redis suites\n`,
		);
	}
	project.provide('redisReachable', reachable);
}

function ping(): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(redisPort, redisHost);
		const done = (reachable: boolean) => {
			socket.destroy();
			resolve(reachable);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => done(chunk.toString('latin1').startsWith('+PONG')));
	});
}
