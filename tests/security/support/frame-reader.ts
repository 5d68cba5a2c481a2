import { connect, type Socket } from 'node:net';
import { FrameDecoder } from '../../../source/protocol/decoder.js';
import { parseServerFrame, type ServerFrame } from '../../../source/protocol/request.js';

/** What a hostile connection got back: every frame the server wrote, and whether it was valid. */
export type ConnectionOutcome = {
	readonly frames: ServerFrame[];
	/** Problems with what the server wrote (undecodable bytes), which must never happen. */
	readonly malformed: string[];
	/** The server closed the connection (or it ended after the client's end). */
	readonly closed: boolean;
};

/**
 * Writes `chunks` on a new connection (then half-closes it), and reads what the server answers
 * until it closes the connection or `timeoutMs` passes.
 */
export function sendChunks(
	port: number,
	chunks: readonly Uint8Array[],
	timeoutMs: number,
	options: { localAddress?: string } = {},
): Promise<ConnectionOutcome> {
	return new Promise((resolve) => {
		const socket: Socket = connect({ port, host: '127.0.0.1', ...options });
		const decoder = new FrameDecoder({ maxHeadBytes: 1 << 20, maxBodyBytes: 1 << 24 });
		const frames: ServerFrame[] = [];
		const malformed: string[] = [];
		let closed = false;
		const timer = setTimeout(() => socket.destroy(), timeoutMs);
		socket.on('connect', () => {
			for (const chunk of chunks) socket.write(chunk);
			socket.end();
		});
		socket.on('data', (data) => {
			for (const event of decoder.push(data)) {
				if (event.type === 'error') {
					malformed.push(event.error.message);
					continue;
				}
				const frame = parseServerFrame(event.frame);
				if (frame instanceof Error) malformed.push(frame.message);
				else frames.push(frame);
			}
		});
		socket.on('end', () => (closed = true));
		socket.on('error', () => undefined);
		socket.on('close', () => {
			clearTimeout(timer);
			if (decoder.hasPartialFrame) malformed.push('the server stopped in the middle of a frame');
			resolve({ frames, malformed, closed });
		});
	});
}
