import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfViewStore } from '../../source/ui/storage/view-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { keys, mountMain, uiFixture, type UiFixture } from './support/ui-fixture.js';

let fixture: UiFixture;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
	fixture = await uiFixture();
	temp = await makeTempDir('korichat-views-');
});
afterEach(async () => {
	await fixture.close();
	await temp.remove();
});

describe('what a restart keeps', () => {
	it('the open conversation, the drafts and each conversation’s number', async () => {
		const josie = await fixture.peer('josie');
		await fixture.peer('john');
		await fixture.peer('amy');
		const adrian = await fixture.loggedIn('adrian');
		await josie.createGroup('chat');
		await josie.addUsers('chat', [{ user: 'adrian' }]);
		const views = () => new ConfViewStore(join(temp.dir, 'config'));
		const first = await mountMain(fixture, adrian, 'adrian', { views: views() });
		await first.waitFor('# chat');
		await first.press('/dm amy', keys.enter);
		await first.waitFor('[2] @amy');
		await first.press('/dm josie', keys.enter);
		await first.waitFor('[3] @josie');
		await first.press('half a thought for josie');
		await first.press(keys.alt('2'));
		await first.waitFor('[2] @amy');
		await first.press('/close', keys.enter);
		await first.waitFor((frame) => !frame.includes('@amy'));
		await first.press('/dm john', keys.enter);
		await first.waitFor('[3] @john');
		await first.press('and one for john');
		await first.waitFor('› and one for john');
		first.unmount();

		const second = await mountMain(fixture, fixture.client('adrian'), 'adrian', {
			views: views(),
		});
		// john is open again with his draft; josie moved up to 2 when amy was closed, and stays 2.
		const frame = await second.waitFor('[3] @john');
		expect(frame).toContain('› and one for john');
		await second.press(keys.alt('2'));
		await second.waitFor('[2] @josie');
		await second.waitFor('› half a thought for josie');
		await second.press(keys.alt('1'));
		await second.waitFor('[1] #chat');
	});
});
