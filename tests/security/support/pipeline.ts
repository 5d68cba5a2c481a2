import type { RawClient, RawResponse } from '../../helpers/raw-client.js';

/** One request of a load, and what became of it. */
export type Operation = {
	readonly verb: string;
	readonly target?: string;
	readonly headers?: Record<string, string>;
	readonly body?: string;
	/** Set once its response arrived. */
	response?: RawResponse;
};

export const succeeded = (operation: Operation) =>
	operation.response !== undefined && operation.response.status < 300;

/**
 * Sends `operations` on one connection with up to `depth` in flight (responses come back in order),
 * recording each response, until the operations run out or the connection drops.
 */
export async function drive(
	client: RawClient,
	operations: Iterator<Operation>,
	depth: number,
	sent: Operation[],
): Promise<void> {
	const worker = async () => {
		for (;;) {
			// A request written after the close would wait for ever.
			if (client.socket.destroyed) return;
			const next = operations.next();
			if (next.done) return;
			const operation = next.value;
			sent.push(operation);
			try {
				operation.response = await client.request(
					operation.verb,
					operation.target,
					operation.headers,
					operation.body,
				);
			} catch {
				return; // the connection dropped: this and later operations have no answer
			}
		}
	};
	await Promise.all(Array.from({ length: depth }, worker));
}
