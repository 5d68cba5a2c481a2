import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A byte-for-byte TCP relay to a real server, to break the link on purpose: `cut()` drops every
 * connection and stops listening, so new ones are refused (ECONNREFUSED) until `restore()` listens
 * on the same port again; `blackHole()` accepts and never answers; `freeze()` also silences the
 * open links.
 */
export class TcpRelay {
	readonly #server: Server;
	#port = 0;
	readonly #sockets = new Set<Socket>();
	/** Links that stay silent for good (bytes were dropped: they can never resume). */
	readonly #frozen = new Set<Socket>();
	#mode: 'open' | 'cut' | 'black-hole' | 'frozen' = 'open';

	private constructor(
		server: Server,
		readonly targetPort: number,
	) {
		this.#server = server;
	}

	static async start(targetPort: number): Promise<TcpRelay> {
		const server = createServer();
		const relay = new TcpRelay(server, targetPort);
		server.on('connection', (socket) => relay.#accept(socket));
		await relay.#listen(0);
		return relay;
	}

	get port(): number {
		return this.#port;
	}

	/** Resolves once nothing listens; callers that need not wait may ignore it. */
	cut(): Promise<void> {
		this.#mode = 'cut';
		this.#dropAll();
		if (!this.#server.listening) return Promise.resolve();
		return new Promise((resolve) => this.#server.close(() => resolve()));
	}

	/** Resolves once the relay listens on its port again. */
	restore(): Promise<void> {
		this.#mode = 'open';
		if (this.#server.listening) return Promise.resolve();
		return this.#listen(this.#port);
	}

	#listen(port: number): Promise<void> {
		return new Promise((resolve, reject) => {
			this.#server.once('error', reject);
			this.#server.listen(port, '127.0.0.1', () => {
				this.#server.off('error', reject);
				this.#port = (this.#server.address() as AddressInfo).port;
				resolve();
			});
		});
	}

	blackHole(): void {
		this.#mode = 'black-hole';
	}

	/** Open links carry nothing more, without closing (a silently dead link); new ones too. */
	freeze(): void {
		this.#mode = 'frozen';
		for (const socket of this.#sockets) this.#frozen.add(socket);
	}

	async close(): Promise<void> {
		this.#dropAll();
		if (this.#server.listening) {
			await new Promise<void>((resolve) => this.#server.close(() => resolve()));
		}
	}

	#dropAll(): void {
		for (const socket of this.#sockets) socket.destroy();
		this.#sockets.clear();
	}

	#accept(client: Socket): void {
		client.on('error', () => undefined);
		if (this.#mode === 'cut') {
			client.destroy();
			return;
		}
		if (this.#mode === 'black-hole' || this.#mode === 'frozen') {
			this.#sockets.add(client);
			client.resume();
			client.on('close', () => this.#sockets.delete(client));
			return;
		}
		const server = connect(this.targetPort, '127.0.0.1');
		server.on('error', () => undefined);
		this.#sockets.add(client).add(server);
		client.on('data', (chunk: Buffer) => {
			if (!this.#frozen.has(client)) server.write(chunk);
		});
		server.on('data', (chunk: Buffer) => {
			if (!this.#frozen.has(client)) client.write(chunk);
		});
		const end = () => {
			this.#sockets.delete(client);
			this.#sockets.delete(server);
			this.#frozen.delete(client);
			client.destroy();
			server.destroy();
		};
		client.on('close', end);
		server.on('close', end);
	}
}
