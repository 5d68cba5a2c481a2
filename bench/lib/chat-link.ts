import { connect, type Socket } from 'node:net';
import { FrameDecoder } from '../../source/protocol/decoder.js';
import { encodeRequest } from '../../source/protocol/encoder.js';
import type { OutgoingHeaders, RawFrame } from '../../source/protocol/frame.js';

export type Reply = { readonly status: number; readonly frame: RawFrame };
type ReplyHandler = (reply: Reply) => void;

/**
 * A lean CHAT/1.0 client for load generation: pipelined requests answered through a FIFO of
 * callbacks (responses come back in request order), pushes handed to `onPush`.
 */
export class ChatLink {
	readonly #decoder = new FrameDecoder({ maxHeadBytes: 64 * 1024, maxBodyBytes: 64 << 20 });
	#handlers: ReplyHandler[] = [];
	#head = 0;
	onPush: (frame: RawFrame) => void = () => undefined;
	onClose: () => void = () => undefined;

	private constructor(readonly socket: Socket) {
		socket.setNoDelay(true);
		socket.on('data', (chunk: Buffer) => this.#read(chunk));
		socket.on('error', () => undefined);
		socket.on('close', () => {
			this.onClose();
			this.#failAll();
		});
	}

	static open(port: number, host = '127.0.0.1'): Promise<ChatLink> {
		return new Promise((resolve, reject) => {
			const socket = connect({ port, host });
			socket.once('connect', () => {
				socket.off('error', reject);
				resolve(new ChatLink(socket));
			});
			socket.once('error', reject);
		});
	}

	get outstanding(): number {
		return this.#handlers.length - this.#head;
	}

	/** Writes pre-encoded request bytes; `onReply` runs when its response arrives. */
	sendRaw(bytes: Buffer, onReply: ReplyHandler): void {
		this.#handlers.push(onReply);
		this.socket.write(bytes);
	}

	send(
		verb: string,
		target: string | undefined,
		headers: OutgoingHeaders,
		body: string | Buffer | undefined,
		onReply: ReplyHandler,
	): void {
		this.sendRaw(encodeRequest(verb, target, headers, body), onReply);
	}

	request(
		verb: string,
		target?: string,
		headers: OutgoingHeaders = [],
		body?: string | Buffer,
	): Promise<Reply> {
		return new Promise((resolve) => this.send(verb, target, headers, body, resolve));
	}

	/** A PING carrying the cookie binds the session to this connection. */
	async bind(cookie: string): Promise<void> {
		const reply = await this.request('PING', undefined, [['Cookie', `SESSIONID=${cookie}`]]);
		if (reply.status !== 200) {
			const reason = reply.frame.body.toString('utf8').trim();
			throw new Error(`binding a session failed with ${reply.status}: ${reason}`);
		}
	}

	close(): void {
		this.socket.destroy();
	}

	#read(chunk: Buffer): void {
		for (const event of this.#decoder.push(chunk)) {
			if (event.type === 'error') throw new Error(`bad frame from server: ${event.error.message}`);
			const { frame } = event;
			if (frame.startLine.startsWith('CHAT/')) {
				const handler = this.#handlers[this.#head++];
				if (this.#head > 4096 && this.#head * 2 > this.#handlers.length) {
					this.#handlers = this.#handlers.slice(this.#head);
					this.#head = 0;
				}
				handler?.({ status: Number(frame.startLine.slice(9, 12)), frame });
			} else {
				this.onPush(frame);
			}
		}
	}

	#failAll(): void {
		const handlers = this.#handlers.slice(this.#head);
		this.#handlers = [];
		this.#head = 0;
		for (const handler of handlers) {
			handler({
				status: 0,
				frame: { startLine: 'closed', headers: new Map(), body: Buffer.alloc(0) },
			});
		}
	}
}

/** `MSG` pushes carry their id in `Message-Id`. */
export function messageId(frame: RawFrame): number {
	return Number(frame.headers.get('message-id'));
}

/**
 * Opens `count` links, `concurrency` at a time. Given several ports (the nodes of a cluster),
 * link i goes to `ports[i % ports.length]`.
 */
export async function openLinks(
	ports: number | readonly number[],
	count: number,
	concurrency = 64,
): Promise<ChatLink[]> {
	const list = typeof ports === 'number' ? [ports] : ports;
	if (list.length === 0) throw new Error('openLinks needs a port');
	return openLinksTo(
		Array.from({ length: count }, (_, index) => list[index % list.length]!),
		concurrency,
	);
}

/** Opens one link to each of `ports` (in that order), `concurrency` at a time. */
export async function openLinksTo(ports: readonly number[], concurrency = 64): Promise<ChatLink[]> {
	const links: ChatLink[] = new Array(ports.length);
	let next = 0;
	const worker = async () => {
		while (next < ports.length) {
			const index = next++;
			links[index] = await ChatLink.open(ports[index]!);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, ports.length) }, worker));
	return links;
}
