import { badRequest } from './errors.js';

// Checked before lower-casing: toLowerCase() maps some non-ASCII letters (the Kelvin sign) to ASCII.
const namePattern = /^[A-Za-z0-9_.-]{1,32}$/;

/** Users and groups: 1–32 of `a-z 0-9 _ - .`, case-insensitive, kept lower-cased. */
export function normalizeName(raw: string | undefined, what: 'user' | 'group' | 'name'): string {
	if (raw === undefined || raw === '') throw badRequest(`a ${what} name is required`);
	if (!namePattern.test(raw)) {
		throw badRequest(
			`invalid ${what} name "${raw.slice(0, 40)}": use 1-32 characters of a-z, 0-9, _, - and .`,
		);
	}
	return raw.toLowerCase();
}

// Control characters would let a display name paint over someone's terminal.
const controlCharacters = /\p{Cc}/u;

export function normalizeDisplayName(raw: string | undefined, fallback: string): string {
	if (raw === undefined || raw === '') return fallback;
	if ([...raw].length > 64) throw badRequest('display name is longer than 64 characters');
	if (controlCharacters.test(raw)) throw badRequest('display name contains control characters');
	return raw;
}
