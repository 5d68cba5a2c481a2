import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDisplayName, normalizeName } from '../../source/domain/names.js';

describe('names', () => {
	it('lower-cases valid names', () => {
		expect(normalizeName('Adrian.V-d_H', 'user')).toBe('adrian.v-d_h');
	});

	it('never accepts a name holding a character outside a-z 0-9 _ - .', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 1, maxLength: 40 }), (raw) => {
				let name: string;
				try {
					name = normalizeName(raw, 'user');
				} catch {
					return;
				}
				expect(name).toMatch(/^[a-z0-9_.-]{1,32}$/);
			}),
		);
	});

	it('refuses control characters in display names', () => {
		expect(() => normalizeDisplayName('evil\u001b]0;title\u0007', 'x')).toThrow(/control/);
		expect(normalizeDisplayName(undefined, 'adrian')).toBe('adrian');
		expect(normalizeDisplayName('Zoë 🦊', 'x')).toBe('Zoë 🦊');
	});
});
