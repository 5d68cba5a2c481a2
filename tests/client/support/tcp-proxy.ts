import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { FrameDecoder } from '../../../source/protocol/decoder.js';

type Pair = { client: Socket; server: Socket; frozen: boolean };

/**
 * A TCP relay between the client under test and a real server, to break the network on purpose:
 * cut a connection in the middle of a frame, freeze it (a silent dead link), and count requests.
 */
export class TcpProxy {
	readonly #server: Server;
	readonly #pairs = new Set<Pair>();
	#sentByClients = '';
	/** Start lines of the complete frames each side sent (a cut frame is not complete). */
	readonly #clientFrames: string[] = [];
	readonly #serverFrames: string[] = [];
	#cut: { marker: string; done: () => void } | undefined;
	targetPort: number;

	private constructor(server: Server, targetPort: number) {
		this.#server = server;
		this.targetPort = targetPort;
	}

	static async start(targetPort: number): Promise<TcpProxy> {
		const server = createServer();
		const proxy = new TcpProxy(server, targetPort);
		server.on('connection', (socket) => proxy.#relay(socket));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return proxy;
	}

	get port(): number {
		return (this.#server.address() as AddressInfo).port;
	}

	get connections(): number {
		return this.#pairs.size;
	}

	/** Everything clients sent so far, as text (requests are ASCII heads). */
	get sentByClients(): string {
		return this.#sentByClients;
	}

	/** How many requests with this verb went through. */
	count(verb: string): number {
		return this.#clientFrames.filter((line) => line.startsWith(`${verb} `)).length;
	}

	/** How many whole pushes of this kind (MSG, NOTIFY) the server sent through. */
	countPushes(kind: 'MSG' | 'NOTIFY'): number {
		return this.#serverFrames.filter((line) => line.startsWith(`${kind} `)).length;
	}

	/**
	 * When the server next sends `marker` (e.g. "MSG "), forwards only part of that frame, then
	 * destroys both sides; resolves once done.
	 */
	cutInside(marker: string): Promise<void> {
		return new Promise((resolve) => {
			this.#cut = { marker, done: resolve };
		});
	}

	/** Existing connections stop carrying bytes, without closing: a silently dead link. */
	freeze(): void {
		for (const pair of this.#pairs) pair.frozen = true;
	}

	/** Drops every connection now. */
	dropAll(): void {
		for (const pair of this.#pairs) {
			pair.client.destroy();
			pair.server.destroy();
		}
	}

	async close(): Promise<void> {
		this.dropAll();
		await new Promise<void>((resolve) => this.#server.close(() => resolve()));
	}

	#relay(client: Socket): void {
		const server = connect(this.targetPort, '127.0.0.1');
		const pair: Pair = { client, server, frozen: false };
		const fromClient = new FrameDecoder({ maxBodyBytes: 1 << 24 });
		const fromServer = new FrameDecoder({ maxBodyBytes: 1 << 26 });
		const record = (decoder: FrameDecoder, chunk: Buffer, into: string[]) => {
			for (const event of decoder.push(Buffer.from(chunk))) {
				if (event.type === 'frame') into.push(event.frame.startLine);
			}
		};
		this.#pairs.add(pair);
		const end = () => {
			this.#pairs.delete(pair);
			client.destroy();
			server.destroy();
		};
		client.on('data', (chunk: Buffer) => {
			if (pair.frozen) return;
			this.#sentByClients += chunk.toString('latin1');
			record(fromClient, chunk, this.#clientFrames);
			server.write(chunk);
		});
		server.on('data', (chunk: Buffer) => {
			if (pair.frozen) return;
			const cut = this.#cut;
			const at = cut ? chunk.indexOf(cut.marker) : -1;
			if (cut && at >= 0) {
				this.#cut = undefined;
				pair.frozen = true;
				// The start line and a few header bytes: the frame is left unfinished.
				client.write(chunk.subarray(0, at + cut.marker.length + 12), () => {
					end();
					cut.done();
				});
				return;
			}
			record(fromServer, chunk, this.#serverFrames);
			client.write(chunk);
		});
		for (const socket of [client, server]) {
			socket.on('error', () => undefined);
			socket.on('close', end);
		}
	}
}
