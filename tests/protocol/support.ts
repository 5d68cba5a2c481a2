import {
	type DecodeEvent,
	type DecoderLimits,
	FrameDecoder,
} from '../../source/protocol/decoder.js';

/** A decoded event as plain data, so two decodings compare with toEqual. */
export type PlainEvent =
	| { type: 'frame'; startLine: string; headers: Array<[string, string]>; body: string }
	| { type: 'error'; status: number; fatal: boolean; message: string };

export function plain(event: DecodeEvent): PlainEvent {
	if (event.type === 'error') {
		const { status, fatal, message } = event.error;
		return { type: 'error', status, fatal, message };
	}
	const { startLine, headers, body } = event.frame;
	return { type: 'frame', startLine, headers: [...headers], body: body.toString('hex') };
}

/** Cuts `bytes` at the given offsets (any order, out-of-range and repeats allowed). */
export function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
	const cuts = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort(
		(a, b) => a - b,
	);
	const chunks: Uint8Array[] = [];
	let start = 0;
	for (const cut of [...cuts, bytes.length]) {
		chunks.push(bytes.subarray(start, cut));
		start = cut;
	}
	return chunks;
}

/** Feeds the chunks to one fresh decoder and returns every event in order. */
export function decodeChunks(
	chunks: readonly Uint8Array[],
	limits?: Partial<DecoderLimits>,
): DecodeEvent[] {
	const decoder = new FrameDecoder(limits);
	return chunks.flatMap((chunk) => decoder.push(chunk));
}

export function decodeText(text: string | Buffer, limits?: Partial<DecoderLimits>): PlainEvent[] {
	return decodeChunks([Buffer.from(text)], limits).map(plain);
}

export function bytewise(bytes: Uint8Array): Uint8Array[] {
	return Array.from(bytes, (_, index) => bytes.subarray(index, index + 1));
}
