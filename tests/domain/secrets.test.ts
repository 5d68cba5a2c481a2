import { describe, expect, it } from 'vitest';
import { sameSecret } from '../../source/domain/secrets.js';

describe('sameSecret', () => {
	it('tells equal secrets from different ones, whatever their lengths', () => {
		const id = '5f0c2c8e-6a55-4d7e-9d53-0b7f4b1d2a10';
		expect(sameSecret(id, id)).toBe(true);
		expect(sameSecret(id, id.toUpperCase())).toBe(false);
		expect(sameSecret(id, id.slice(0, -1))).toBe(false);
		expect(sameSecret(id, `${id}0`)).toBe(false);
		expect(sameSecret('', '')).toBe(true);
		expect(sameSecret('', id)).toBe(false);
	});
});
