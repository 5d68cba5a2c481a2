import { TextDecoder } from 'node:util';

// The server refuses a body that is not UTF-8 (400); so does this, instead of sending U+FFFD.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Standard input is not valid UTF-8: nothing is sent (exit 1, as for the server's 400). */
export class InvalidTextError extends Error {
	override readonly name = 'InvalidTextError';
}

/** All of standard input as UTF-8 (for `korichat send <target> -`). */
export async function readStdin(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of input) {
		chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
	}
	try {
		return strictUtf8.decode(Buffer.concat(chunks));
	} catch {
		throw new InvalidTextError(
			'standard input is not valid UTF-8, so nothing was sent (the server refuses such a message with 400)',
		);
	}
}
