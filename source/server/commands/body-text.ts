import { TextDecoder } from 'node:util';
import { badRequest } from '../../domain/errors.js';

// ignoreBOM keeps a leading U+FEFF: the body is stored byte for byte.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A message body (SEND, EDIT) as text: 400 when it is not valid UTF-8. */
export function decodeText(body: Buffer): string {
	try {
		return strictUtf8.decode(body);
	} catch {
		throw badRequest('the message body is not valid UTF-8');
	}
}
