import { describe, expect, it } from 'vitest';
import {
	checkPasswordRules,
	defaultScryptParameters,
	hashPassword,
	verifyPassword,
} from '../../source/domain/passwords.js';

describe('password hashing', () => {
	it('records the scrypt parameters and a per-user salt with each hash', async () => {
		const first = await hashPassword('correct horse');
		const second = await hashPassword('correct horse');
		const { N, r, p } = defaultScryptParameters;
		expect(first.startsWith(`scrypt$${N}$${r}$${p}$`)).toBe(true);
		expect(first).not.toBe(second);
		expect(first).not.toContain('correct horse');
	});

	it('verifies with the parameters stored in the hash, so they can be raised later', async () => {
		const weak = await hashPassword('correct horse', { N: 1024, r: 8, p: 1 });
		expect(await verifyPassword('correct horse', weak)).toBe(true);
		expect(await verifyPassword('correct horsE', weak)).toBe(false);
		expect(await verifyPassword('correct horse', 'garbage')).toBe(false);
	});

	it('treats composed and decomposed accents as the same password', async () => {
		const hash = await hashPassword('caf\u00e9 au lait', { N: 1024, r: 8, p: 1 });
		expect(await verifyPassword('cafe\u0301 au lait', hash)).toBe(true);
	});

	it('wants 8 to 256 characters', () => {
		expect(() => checkPasswordRules('short')).toThrow(/8 to 256/);
		expect(() => checkPasswordRules('x'.repeat(257))).toThrow(/8 to 256/);
		expect(() => checkPasswordRules(undefined)).toThrow(/Password header/);
		expect(checkPasswordRules('🦊'.repeat(8))).toBe('🦊'.repeat(8));
	});
});
