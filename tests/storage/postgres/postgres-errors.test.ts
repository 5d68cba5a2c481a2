import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../source/domain/errors.js';
import { StorageUnavailableError } from '../../../source/domain/storage-errors.js';
import { toStorageError } from '../../../source/storage/postgres/postgres-errors.js';

const coded = (code: string, message = `failed with ${code}`) =>
	Object.assign(new Error(message), { code });

describe('toStorageError', () => {
	it.each([
		'ECONNREFUSED',
		'ECONNRESET',
		'CONNECTION_CLOSED',
		'CONNECTION_ENDED',
		'CONNECTION_DESTROYED',
		'CONNECT_TIMEOUT',
		'57P01',
		'57P02',
		'57P03',
		'08006',
	])('maps %s to StorageUnavailableError, keeping the cause', (code) => {
		const cause = coded(code);
		const mapped = toStorageError(cause) as StorageUnavailableError;
		expect(mapped).toBeInstanceOf(StorageUnavailableError);
		expect(mapped.message).toContain(code);
		expect(mapped.cause).toBe(cause);
	});

	it('leaves statement errors and refusals as they are', () => {
		for (const error of [coded('23505'), coded('42P01'), new DomainError('forbidden', 'no')]) {
			expect(toStorageError(error)).toBe(error);
		}
	});
});
