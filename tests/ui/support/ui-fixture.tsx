import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { render } from 'ink-testing-library';
import { ChatClient } from '../../../source/client/chat-client.js';
import { CookieStore } from '../../../source/client/cookie-store.js';
import { App, type AppProps } from '../../../source/ui/components/App.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer } from '../../helpers/test-server.js';

export const password = 'correct horse';

/** Key sequences as a terminal sends them. */
export const keys = {
	up: '\u001b[A',
	down: '\u001b[B',
	left: '\u001b[D',
	right: '\u001b[C',
	pageUp: '\u001b[5~',
	pageDown: '\u001b[6~',
	enter: '\r',
	altEnter: '\u001b\r',
	tab: '\t',
	shiftTab: '\u001b[Z',
	escape: '\u001b',
	backspace: '\u007f',
	f1: '\u001bOP',
	f2: '\u001bOQ',
	f5: '\u001b[15~',
	ctrlU: '\u0015',
	ctrlC: '\u0003',
	ctrlK: '\u000b',
	ctrlN: '\u000e',
	ctrlP: '\u0010',
	ctrlR: '\u0012',
	alt: (key: string) => `\u001b${key}`,
} as const;

export type MountedApp = ReturnType<typeof render> & {
	readonly rings: () => number;
	readonly quits: () => number;
	/** Writes keys, then lets the UI settle. */
	readonly press: (...sequence: string[]) => Promise<void>;
	/** Polls the last frame until it satisfies `check` (a string must appear in it). */
	readonly waitFor: (
		check: string | RegExp | ((frame: string) => boolean),
		timeoutMs?: number,
	) => Promise<string>;
	readonly frame: () => string;
};

/** A real server, temp config folders, ChatClients and mounted UIs; `close` ends them all. */
export async function uiFixture() {
	const data = await makeTempDir('korichat-ui-data-');
	let server = await startTestServer({}, data.dir);
	let down = false;
	const temp = await makeTempDir('korichat-ui-');
	const clients: ChatClient[] = [];
	const apps: MountedApp[] = [];
	const fixture = {
		get server() {
			return server;
		},
		/** Stops the server (its data stays), as a crash or a restart would. */
		async stopServer() {
			await server.close();
			down = true;
		},
		/** Starts it again on the same port and data. */
		async startServer() {
			server = await startTestServer({ port: server.port }, server.dataDir);
			down = false;
		},
		/** A client with its own cookie store (`config` names its folder). */
		client(config = 'ui'): ChatClient {
			const client = new ChatClient({
				server: `127.0.0.1:${server.port}`,
				sessions: new CookieStore(join(temp.dir, config)),
				backoff: { initialDelayMs: 20, maxDelayMs: 200 },
			});
			clients.push(client);
			return client;
		},
		/** A registered, logged-in client for someone else in the conversation (a "script"). */
		async peer(name: string, displayName?: string): Promise<ChatClient> {
			const client = fixture.client(`peer-${name}`);
			await client.connect();
			await client.register(name, password, displayName);
			await client.login(name, password);
			client.on('message', () => undefined);
			return client;
		},
		/** Registers `name` and stores a session for it in config folder `config`. */
		async loggedIn(name: string, config = name): Promise<ChatClient> {
			const setup = fixture.client(config);
			await setup.connect();
			await setup.register(name, password);
			await setup.login(name, password);
			await setup.close();
			return fixture.client(config);
		},
		mount(client: ChatClient, props: Partial<AppProps> = {}): MountedApp {
			let rings = 0;
			let quits = 0;
			const app = render(
				<App
					client={client}
					ring={() => {
						rings += 1;
					}}
					onQuit={() => {
						quits += 1;
					}}
					{...props}
				/>,
			);
			const frame = () => app.lastFrame() ?? '';
			const mounted: MountedApp = {
				...app,
				rings: () => rings,
				quits: () => quits,
				frame,
				async press(...sequence) {
					for (const key of sequence) {
						app.stdin.write(key);
						await sleep(15);
					}
				},
				async waitFor(check, timeoutMs = 5000) {
					const test =
						typeof check === 'function'
							? check
							: (text: string) =>
									typeof check === 'string' ? text.includes(check) : check.test(text);
					const started = Date.now();
					while (!test(frame())) {
						if (Date.now() - started > timeoutMs) {
							throw new Error(
								`timed out waiting for ${String(check)}; the screen was:\n${frame()}`,
							);
						}
						await sleep(10);
					}
					return frame();
				},
			};
			apps.push(mounted);
			return mounted;
		},
		async close() {
			for (const app of apps) app.unmount();
			await Promise.all(clients.map((client) => client.close()));
			if (!down) await server.close();
			await data.remove();
			await temp.remove();
		},
	};
	return fixture;
}

export type UiFixture = Awaited<ReturnType<typeof uiFixture>>;

/** Mounts the app on `client` (logged in as `name`) and waits for the main screen with its lists. */
export async function mountMain(
	fixture: UiFixture,
	client: ChatClient,
	name: string,
	props: Partial<AppProps> = {},
) {
	const app = fixture.mount(client, props);
	await app.waitFor((frame) => frame.includes('Users') && frame.includes(`${name} (you)`));
	return app;
}

/** The app for `name` (registered now, session stored), on the main screen. */
export async function loggedInApp(fixture: UiFixture, name: string, props: Partial<AppProps> = {}) {
	return mountMain(fixture, await fixture.loggedIn(name), name, props);
}
