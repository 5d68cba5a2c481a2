import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { badRequest } from './errors.js';

export type ScryptParameters = { readonly N: number; readonly r: number; readonly p: number };

/** OWASP's scrypt baseline; tests lower N to keep suites fast. */
export const defaultScryptParameters: ScryptParameters = { N: 2 ** 15, r: 8, p: 1 };

const keyLength = 32;
const saltLength = 16;

function derive(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
	const options: ScryptOptions = {
		...parameters,
		maxmem: 256 * parameters.N * parameters.r * parameters.p,
	};
	// The async form runs on libuv's thread pool, off the event loop.
	return new Promise((resolve, reject) => {
		scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) => {
			if (error) reject(error);
			else resolve(key);
		});
	});
}

export function checkPasswordRules(password: string | undefined): string {
	if (password === undefined) throw badRequest('a Password header is required');
	const length = [...password].length;
	if (length < 8 || length > 256) throw badRequest('a password must have 8 to 256 characters');
	return password;
}

/** `scrypt$N$r$p$salt$key`: the parameters travel with the hash so they can be raised later. */
export async function hashPassword(
	password: string,
	parameters: ScryptParameters = defaultScryptParameters,
): Promise<string> {
	const salt = randomBytes(saltLength);
	const key = await derive(password, salt, parameters);
	const { N, r, p } = parameters;
	return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
	const [scheme, N, r, p, salt, key] = encoded.split('$');
	if (scheme !== 'scrypt' || !N || !r || !p || !salt || !key) return false;
	const expected = Buffer.from(key, 'base64');
	const actual = await derive(password, Buffer.from(salt, 'base64'), {
		N: Number(N),
		r: Number(r),
		p: Number(p),
	});
	return actual.length === expected.length && timingSafeEqual(actual, expected);
}
