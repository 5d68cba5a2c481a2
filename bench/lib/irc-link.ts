import { connect, type Socket } from 'node:net';
import { sleep } from './stats.js';

/** One IRC message line split into its command and parameters (prefix dropped). */
export type IrcLine = { readonly command: string; readonly params: string[] };

export function parseIrcLine(line: string): IrcLine {
	let rest = line.startsWith(':') ? line.slice(line.indexOf(' ') + 1) : line;
	const params: string[] = [];
	const trailing = rest.indexOf(' :');
	let last: string | undefined;
	if (trailing !== -1) {
		last = rest.slice(trailing + 2);
		rest = rest.slice(0, trailing);
	}
	const [command = '', ...middle] = rest.split(' ').filter((part) => part !== '');
	params.push(...middle);
	if (last !== undefined) params.push(last);
	return { command, params };
}

/** A small IRC client: registration, lines in and out, PING answered. */
export class IrcLink {
	#buffer = '';
	onLine: (line: IrcLine) => void = () => undefined;
	/** PRIVMSG lines received (counted before onLine sees them). */
	onPrivmsg: () => void = () => undefined;

	private constructor(
		readonly socket: Socket,
		readonly nick: string,
	) {
		socket.setNoDelay(true);
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => this.#read(chunk));
		socket.on('error', () => undefined);
	}

	static open(port: number, nick: string): Promise<IrcLink> {
		return new Promise((resolve, reject) => {
			const socket = connect({ port, host: '127.0.0.1' });
			socket.once('connect', () => {
				socket.off('error', reject);
				resolve(new IrcLink(socket, nick));
			});
			socket.once('error', reject);
		});
	}

	write(text: string): void {
		this.socket.write(text);
	}

	/** NICK + USER, resolved at the end of the MOTD (376) or its absence (422). */
	register(): Promise<void> {
		return this.#until(
			`NICK ${this.nick}\r\nUSER ${this.nick} 0 * :bench\r\n`,
			(line) => line.command === '376' || line.command === '422',
			(line) => line.command === '433' || line.command === 'ERROR',
		);
	}

	/** OPER, then user mode +F: ngIRCd's "relaxed flood protection", settable only by operators. */
	async relaxFloodProtection(name: string, password: string): Promise<void> {
		await this.#until(
			`OPER ${name} ${password}\r\n`,
			(line) => line.command === '381',
			(line) => line.command === '464' || line.command === '491',
		);
		await this.#until(
			`MODE ${this.nick} +F\r\n`,
			(line) => line.command === 'MODE' && (line.params[1] ?? '').includes('F'),
			(line) => line.command === '481' || line.command === '501',
		);
	}

	join(channel: string): Promise<void> {
		return this.#until(
			`JOIN ${channel}\r\n`,
			(line) => line.command === '366' && line.params[1] === channel,
			(line) => line.command.startsWith('4'),
		);
	}

	/** A PING round trip: everything sent before it has been handled by the server. */
	sync(token = 'sync'): Promise<void> {
		return this.#until(
			`PING :${token}\r\n`,
			(line) => line.command === 'PONG' && line.params.at(-1) === token,
			() => false,
		);
	}

	close(): void {
		this.socket.destroy();
	}

	#until(
		text: string,
		done: (line: IrcLine) => boolean,
		failed: (line: IrcLine) => boolean,
	): Promise<void> {
		return new Promise((resolve, reject) => {
			const previous = this.onLine;
			this.onLine = (line) => {
				if (done(line)) {
					this.onLine = previous;
					resolve();
				} else if (failed(line)) {
					this.onLine = previous;
					reject(new Error(`${this.nick}: ${line.command} ${line.params.join(' ')}`));
				}
			};
			this.write(text);
		});
	}

	#read(chunk: string): void {
		const text = this.#buffer + chunk;
		let start = 0;
		for (;;) {
			const end = text.indexOf('\r\n', start);
			if (end === -1) break;
			const raw = text.slice(start, end);
			start = end + 2;
			// The hot path: count channel and private messages without a full parse.
			const space = raw.indexOf(' ');
			if (raw.startsWith('PRIVMSG', space + 1)) {
				this.onPrivmsg();
				continue;
			}
			if (raw.startsWith('PING')) {
				this.write(`PONG ${raw.slice(5)}\r\n`);
				continue;
			}
			this.onLine(parseIrcLine(raw));
		}
		this.#buffer = text.slice(start);
	}
}

/**
 * Opens and registers `count` clients named `${prefix}${index}`, `concurrency` at a time. ngIRCd
 * listens with a backlog of 10, so a connect burst overflows it and a few handshakes stall in
 * retransmission: a registration taking over 10 s is abandoned and retried on a new socket.
 */
export async function openIrcLinks(
	port: number,
	prefix: string,
	count: number,
	concurrency = 8,
): Promise<IrcLink[]> {
	const links: IrcLink[] = new Array(count);
	let next = 0;
	const attempt = async (nick: string): Promise<IrcLink> => {
		for (let tries = 0; ; tries++) {
			const link = await IrcLink.open(port, tries === 0 ? nick : `${nick}x${tries}`);
			const registered = await Promise.race([
				link.register().then(() => true),
				sleep(10_000).then(() => false),
			]);
			if (registered) return link;
			link.close();
			if (tries >= 3) throw new Error(`${nick} could not register`);
			await sleep(200);
		}
	};
	const worker = async () => {
		while (next < count) {
			const index = next++;
			links[index] = await attempt(`${prefix}${index}`);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	return links;
}
