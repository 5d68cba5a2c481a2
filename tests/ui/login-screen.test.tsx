import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatClient } from '../../source/client/chat-client.js';
import { CookieStore } from '../../source/client/cookie-store.js';
import { MemoryViewStore } from '../../source/ui/storage/view-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { keys, loggedInApp, password, uiFixture, type UiFixture } from './support/ui-fixture.js';

let fixture: UiFixture;
beforeEach(async () => {
	fixture = await uiFixture();
});
afterEach(async () => {
	await fixture.close();
});

describe('login screen', () => {
	it('logs in by typing the user name, Tab, the password and Enter, with the password masked', async () => {
		await fixture.peer('adrian');
		const app = fixture.mount(fixture.client());
		await app.waitFor('User name');
		expect(app.frame()).toContain('Password');
		await app.press('adrian', keys.tab, password);
		const typed = app.frame();
		expect(typed).toContain('adrian');
		expect(typed).not.toContain(password);
		expect(typed).toContain('•'.repeat(password.length));
		await app.press(keys.enter);
		const main = await app.waitFor('adrian (you)');
		expect(main).toContain('Users');
		expect(main).toContain('Groups');
	});

	it('logs in when the keys arrive in one burst, as a paste or tmux would send them', async () => {
		await fixture.peer('adrian');
		const app = fixture.mount(fixture.client());
		await app.waitFor('User name');
		await app.press(`adrian\t${password}\r`);
		await app.waitFor('adrian (you)');
	});

	it('registers with a display name (Ctrl+R), then logs straight in', async () => {
		const josie = await fixture.peer('josie');
		const app = fixture.mount(fixture.client());
		await app.waitFor('User name');
		await app.press(keys.ctrlR);
		expect(await app.waitFor('Display name')).toContain('Create an account');
		// Enter moves to the next field; the password is asked twice, and must match.
		await app.press('adrian', keys.enter, 'Adrian Smith', keys.enter, password, keys.enter);
		await app.press('not the same', keys.enter);
		await app.waitFor('The two passwords differ');
		await app.press(keys.ctrlU, password, keys.enter);
		await app.waitFor('adrian (you)');
		const users = await josie.listUsers();
		expect(users.find((user) => user.name === 'adrian')?.displayName).toBe('Adrian Smith');
	});

	it('moves from the name to the password on Enter', async () => {
		await fixture.peer('adrian');
		const app = fixture.mount(fixture.client());
		await app.waitFor('User name');
		await app.press('adrian', keys.enter, password, keys.enter);
		await app.waitFor('adrian (you)');
	});

	it('opens on "Create an account" for a server never logged into from here, then on "Log in"', async () => {
		const views = new MemoryViewStore();
		const app = fixture.mount(fixture.client(), { views });
		await app.waitFor('Create an account on');
		await app.press('adrian', keys.enter, keys.enter, password, keys.enter, password, keys.enter);
		await app.waitFor('adrian (you)');
		app.unmount();
		const again = fixture.mount(fixture.client('other-config'), { views });
		await again.waitFor('Log in to');
	});

	it("shows the server's refusal in place and lets you try again", async () => {
		await fixture.peer('adrian');
		const app = fixture.mount(fixture.client());
		await app.waitFor('User name');
		await app.press('adrian', keys.tab, 'wrong password', keys.enter);
		const refused = await app.waitFor('wrong user name or password');
		expect(refused).toContain('User name');
		await app.press(...Array.from({ length: 14 }, () => keys.backspace), password, keys.enter);
		await app.waitFor('adrian (you)');
	});

	it('counts messages that waited for you as unread once you log in', async () => {
		const josie = await fixture.peer('josie');
		const setup = fixture.client('setup');
		await setup.connect();
		await setup.register('adrian', password);
		await josie.send('adrian', 'while you were away');
		await josie.send('adrian', 'and this too');
		const app = fixture.mount(fixture.client('adrian'));
		await app.waitFor('User name');
		await app.press('adrian', keys.tab, password, keys.enter);
		await app.waitFor(/josie\s+2/);
		await app.press('/dm josie', keys.enter);
		await app.waitFor('and this too');
		expect(app.frame()).toContain('while you were away');
	});

	it('checks the form before asking the server', async () => {
		const app = fixture.mount(fixture.client());
		await app.waitFor('User name');
		await app.press(keys.enter);
		expect(await app.waitFor('Type your user name')).toContain('User name');
		await app.press('bad name', keys.enter);
		await app.waitFor('1-32 characters');
	});

	it('skips straight in with a stored session for that server', async () => {
		const app = await loggedInApp(fixture, 'adrian');
		expect(app.frames.some((frame) => frame.includes('User name'))).toBe(false);
		expect(app.frame()).toContain('online');
	});

	it('comes back to the login screen, saying why, when the stored session has expired', async () => {
		const temp = await makeTempDir();
		try {
			new CookieStore(join(temp.dir, 'cfg')).save(`127.0.0.1:${fixture.server.port}`, {
				user: 'adrian',
				sessionId: '00000000-0000-4000-8000-000000000000',
			});
			const client = new ChatClient({
				server: `127.0.0.1:${fixture.server.port}`,
				sessions: new CookieStore(join(temp.dir, 'cfg')),
			});
			const app = fixture.mount(client);
			const frame = await app.waitFor('User name');
			expect(frame).toContain('session has ended');
			await client.close();
		} finally {
			await temp.remove();
		}
	});

	it('says when the server cannot be reached, and keeps trying', async () => {
		const client = new ChatClient({ server: '127.0.0.1:1', reconnect: false });
		const app = fixture.mount(client);
		expect(await app.waitFor('retry in')).toContain('offline');
		await client.close();
	});
});
