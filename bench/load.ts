// The load process: the orchestrator (run.ts) forks it and sends one task; it answers with the
// result. Keeping load apart from the orchestrator and from the server keeps their CPU apart too.
import { buildFixtureIn, type FixtureSpec, type FixtureTarget } from './lib/fixture.js';
import { buildSearchFixture } from './lib/search-fixture.js';
import { buildPostgresSearchFixture } from './lib/search-fixture-pg.js';
import { failover } from './workloads/failover.js';
import { ircDmThroughput, ircFanout, ircIdleConnections } from './workloads/irc.js';
import { dmThroughput, groupFanout } from './workloads/korichat.js';
import {
	concurrentSenders,
	historyLatency,
	idleConnections,
	stallUnderSnapshots,
} from './workloads/korichat-capacity.js';
import { searchLatency } from './workloads/search.js';
import { tuiKeystrokeToFrame } from './workloads/tui.js';
import { xmppDmThroughput, xmppFanout, xmppIdleConnections } from './workloads/xmpp.js';

export type LoadTask =
	| { kind: 'fixture'; target: FixtureTarget; spec: FixtureSpec }
	| { kind: 'search-fixture'; dir: string; messages: number }
	| { kind: 'search-fixture-pg'; storeUrl: string; messages: number }
	| { kind: 'search'; params: Parameters<typeof searchLatency>[0] }
	| { kind: 'failover'; params: Parameters<typeof failover>[0] }
	| { kind: 'dm'; params: Parameters<typeof dmThroughput>[0] }
	| { kind: 'fanout'; params: Parameters<typeof groupFanout>[0] }
	| { kind: 'connections'; params: Parameters<typeof idleConnections>[0] }
	| { kind: 'durability'; params: Parameters<typeof concurrentSenders>[0] }
	| { kind: 'history'; params: Parameters<typeof historyLatency>[0] }
	| { kind: 'stall'; params: Parameters<typeof stallUnderSnapshots>[0] }
	| { kind: 'irc-dm'; params: Parameters<typeof ircDmThroughput>[0] }
	| { kind: 'irc-fanout'; params: Parameters<typeof ircFanout>[0] }
	| { kind: 'irc-idle'; params: Parameters<typeof ircIdleConnections>[0] }
	| { kind: 'xmpp-dm'; params: Parameters<typeof xmppDmThroughput>[0] }
	| { kind: 'xmpp-fanout'; params: Parameters<typeof xmppFanout>[0] }
	| { kind: 'xmpp-idle'; params: Parameters<typeof xmppIdleConnections>[0] }
	| { kind: 'tui'; params: Parameters<typeof tuiKeystrokeToFrame>[0] };

export type LoadMessage =
	| { type: 'mark'; name: string }
	| { type: 'result'; result: unknown }
	| { type: 'error'; message: string };

const send = (message: LoadMessage) => process.send!(message);
const mark = (name: string) => send({ type: 'mark', name });

async function run(task: LoadTask): Promise<unknown> {
	switch (task.kind) {
		case 'fixture':
			return buildFixtureIn(task.target, task.spec);
		case 'search-fixture':
			return buildSearchFixture(task.dir, task.messages);
		case 'search-fixture-pg':
			return buildPostgresSearchFixture(task.storeUrl, task.messages);
		case 'search':
			return searchLatency(task.params);
		case 'failover':
			return failover(task.params);
		case 'dm':
			return dmThroughput(task.params);
		case 'fanout':
			return groupFanout(task.params);
		case 'connections':
			return idleConnections(task.params);
		case 'durability':
			return concurrentSenders(task.params, mark);
		case 'history':
			return historyLatency(task.params);
		case 'stall':
			return stallUnderSnapshots(task.params, mark);
		case 'irc-dm':
			return ircDmThroughput(task.params);
		case 'irc-fanout':
			return ircFanout(task.params);
		case 'irc-idle':
			return ircIdleConnections(task.params);
		case 'xmpp-dm':
			return xmppDmThroughput(task.params);
		case 'xmpp-fanout':
			return xmppFanout(task.params);
		case 'xmpp-idle':
			return xmppIdleConnections(task.params);
		case 'tui':
			return tuiKeystrokeToFrame(task.params);
	}
}

process.once('message', (task: LoadTask) => {
	run(task).then(
		(result) => {
			send({ type: 'result', result });
			// A fixture with a journal tail must not be closed; exit rather than wait for handles.
			setTimeout(() => process.exit(0), 100);
		},
		(error: unknown) => {
			send({
				type: 'error',
				message: error instanceof Error ? (error.stack ?? error.message) : String(error),
			});
			setTimeout(() => process.exit(1), 100);
		},
	);
});
