import { describe, expect, it } from 'vitest';
import { isReadOnlySql, isRowChangingSql } from '../../source/storage/sql-classify.js';

describe('isReadOnlySql', () => {
	it.each([
		'SELECT * FROM items',
		'  select 1',
		'VALUES (1)',
		'EXPLAIN QUERY PLAN SELECT 1',
		'PRAGMA user_version',
		'PRAGMA main.page_count;',
		'WITH recent AS (SELECT * FROM items) SELECT * FROM recent',
	])('accepts %s', (sql) => {
		expect(isReadOnlySql(sql)).toBe(true);
	});

	it.each([
		'INSERT INTO items (label) VALUES (1) RETURNING id',
		'UPDATE items SET label = 1',
		'PRAGMA user_version = 3',
		'PRAGMA user_version(3)',
		'WITH doomed AS (SELECT id FROM items) DELETE FROM items WHERE id IN doomed',
		'CREATE TABLE x (y)',
		'-- a comment first\nSELECT 1',
	])('refuses %s', (sql) => {
		expect(isReadOnlySql(sql)).toBe(false);
	});
});

describe('isRowChangingSql', () => {
	it('recognizes the statements whose changes() count is meaningful', () => {
		expect(
			['INSERT', 'update', ' DELETE', 'REPLACE'].map((verb) => isRowChangingSql(`${verb} x`)),
		).toEqual([true, true, true, true]);
		expect(isRowChangingSql('CREATE TABLE t (x)')).toBe(false);
	});
});
