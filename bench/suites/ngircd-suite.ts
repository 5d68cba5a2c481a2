import type { IrcFanoutResult } from '../workloads/irc.js';
import { startNgircd, type NgircdProcess } from '../lib/ngircd-process.js';
import type { BenchContext } from './context.js';

export type NgircdResults = {
	version?: string;
	dm?: number[];
	fanout100?: IrcFanoutResult;
	fanout1000?: IrcFanoutResult;
	idle?: { perConnectionKiB: number; registrationsPerSecond: number }[];
};

async function withNgircd<T>(
	context: BenchContext,
	binary: string,
	body: (server: NgircdProcess) => Promise<T>,
): Promise<T> {
	const dir = await context.tempDir('ngircd');
	const server = await startNgircd(binary, dir, context.files);
	try {
		return await body(server);
	} finally {
		await server.stop();
		await context.removeDir(dir);
	}
}

export function ngircdDm(context: BenchContext, binary: string): Promise<number[]> {
	const { sizes } = context;
	return withNgircd(context, binary, (server) =>
		context.load<number[]>({
			kind: 'irc-dm',
			params: {
				port: server.port,
				pairs: sizes.dmPairs,
				messages: sizes.dmMessages,
				runs: sizes.runs,
			},
		}),
	);
}

export function ngircdFanout(
	context: BenchContext,
	binary: string,
	members: number,
): Promise<IrcFanoutResult> {
	const { sizes } = context;
	return withNgircd(context, binary, (server) =>
		context.load<IrcFanoutResult>({
			kind: 'irc-fanout',
			params: {
				port: server.port,
				members,
				latencyMessages: sizes.fanoutLatencyMessages,
				sustainedMessages: members >= 1000 ? sizes.fanout1000Sustained : sizes.fanout100Sustained,
				runs: Math.min(3, sizes.runs),
			},
		}),
	);
}

export async function ngircdIdle(
	context: BenchContext,
	binary: string,
): Promise<NonNullable<NgircdResults['idle']>> {
	const results: NonNullable<NgircdResults['idle']> = [];
	for (let run = 0; run < Math.min(3, context.sizes.runs); run++) {
		results.push(
			await withNgircd(context, binary, (server) =>
				context.load({
					kind: 'irc-idle',
					params: {
						port: server.port,
						serverPid: server.pid,
						connections: context.sizes.connections,
					},
				}),
			),
		);
	}
	return results;
}
