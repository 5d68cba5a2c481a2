import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfViewStore } from '../../../source/ui/storage/view-store.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
	temp = await makeTempDir('korichat-view-store-');
});
afterEach(async () => {
	await temp.remove();
});

describe('ConfViewStore', () => {
	it('keeps a view per server and user, and the servers logged into', () => {
		const store = new ConfViewStore(temp.dir);
		expect(store.knows('127.0.0.1:5674')).toBe(false);
		store.remember('127.0.0.1:5674');
		store.save('127.0.0.1:5674', 'adrian', {
			open: 'user:josie',
			order: ['group:chat', 'user:josie'],
			drafts: { 'user:josie': 'hi' },
		});
		const again = new ConfViewStore(temp.dir);
		expect(again.knows('127.0.0.1:5674')).toBe(true);
		expect(again.load('127.0.0.1:5674', 'adrian')).toEqual({
			open: 'user:josie',
			order: ['group:chat', 'user:josie'],
			drafts: { 'user:josie': 'hi' },
		});
		expect(again.load('127.0.0.1:5674', 'josie')).toBeUndefined();
	});

	it('drops what is damaged instead of trusting it', async () => {
		const store = new ConfViewStore(temp.dir);
		store.save('s', 'adrian', { order: [], drafts: {} });
		const path = join(temp.dir, 'ui.json');
		const file = JSON.parse(await readFile(path, 'utf8')) as { views: Record<string, unknown> };
		file.views['s adrian'] = {
			open: 'user:\u001b]0;x',
			order: ['group:ok', 42, 'nonsense', 'group:ok'],
			drafts: { 'user:josie': 'kept', 'bad key': 'dropped', 'user:amy': 7 },
		};
		await writeFile(path, JSON.stringify(file));
		expect(new ConfViewStore(temp.dir).load('s', 'adrian')).toEqual({
			open: undefined,
			order: ['group:ok'],
			drafts: { 'user:josie': 'kept' },
		});
		await writeFile(path, '{ not json');
		expect(new ConfViewStore(temp.dir).load('s', 'adrian')).toBeUndefined();
	});
});
