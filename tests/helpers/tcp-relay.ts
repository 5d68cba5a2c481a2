import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A plain TCP relay to a target port, to break a database link on purpose: `cut()` drops every
 * connection and refuses new ones (ECONNREFUSED); `restore()` listens again on the same port.
 */
export class TcpRelay {
	#server: Server;
	readonly #sockets = new Set<Socket>();
	#port = 0;

	private constructor(readonly targetPort: number) {
		this.#server = this.#makeServer();
	}

	static async start(targetPort: number): Promise<TcpRelay> {
		const relay = new TcpRelay(targetPort);
		await relay.#listen(0);
		return relay;
	}

	get port(): number {
		return this.#port;
	}

	get connections(): number {
		return this.#sockets.size / 2;
	}

	async cut(): Promise<void> {
		const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
		for (const socket of this.#sockets) socket.destroy();
		await closed;
	}

	async restore(): Promise<void> {
		this.#server = this.#makeServer();
		await this.#listen(this.#port);
	}

	async close(): Promise<void> {
		if (this.#server.listening) await this.cut();
		for (const socket of this.#sockets) socket.destroy();
	}

	#makeServer(): Server {
		return createServer((client) => {
			const target = connect(this.targetPort, '127.0.0.1');
			for (const socket of [client, target]) {
				this.#sockets.add(socket);
				socket.on('error', () => undefined);
				socket.on('close', () => {
					this.#sockets.delete(socket);
					client.destroy();
					target.destroy();
				});
			}
			client.pipe(target);
			target.pipe(client);
		});
	}

	async #listen(port: number): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.#server.once('error', reject);
			this.#server.listen(port, '127.0.0.1', () => resolve());
		});
		this.#port = (this.#server.address() as AddressInfo).port;
	}
}
