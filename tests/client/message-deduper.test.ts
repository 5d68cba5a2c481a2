import { describe, expect, it } from 'vitest';
import { MessageDeduper } from '../../source/client/message-deduper.js';

describe('MessageDeduper', () => {
	it('reports an id as seen only once remembered', () => {
		const deduper = new MessageDeduper();
		expect(deduper.hasSeen(5)).toBe(false);
		deduper.remember(5);
		expect(deduper.hasSeen(5)).toBe(true);
		expect(deduper.hasSeen(6)).toBe(false);
		expect(deduper.hasSeen(4)).toBe(false);
	});

	it('tolerates ids arriving out of order within its window', () => {
		const deduper = new MessageDeduper(8);
		for (const id of [10, 12, 11, 14]) deduper.remember(id);
		expect(deduper.hasSeen(13)).toBe(false);
		expect([10, 11, 12, 14].every((id) => deduper.hasSeen(id))).toBe(true);
	});

	it('stays bounded: forgetting old ids raises the floor below which all count as seen', () => {
		const deduper = new MessageDeduper(10);
		for (let id = 1; id <= 1000; id++) deduper.remember(id);
		expect(deduper.floor).toBeGreaterThan(980);
		expect(deduper.floor).toBeLessThan(1000);
		for (let id = 1; id <= 1000; id++) expect(deduper.hasSeen(id)).toBe(true);
		expect(deduper.hasSeen(1001)).toBe(false);
	});

	it('forgets everything on reset (another user)', () => {
		const deduper = new MessageDeduper(4);
		for (let id = 1; id <= 20; id++) deduper.remember(id);
		deduper.reset();
		expect(deduper.floor).toBe(0);
		expect(deduper.hasSeen(3)).toBe(false);
		expect(deduper.hasSeen(20)).toBe(false);
	});
});
