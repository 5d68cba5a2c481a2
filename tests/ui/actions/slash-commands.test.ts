import { describe, expect, it } from 'vitest';
import { parseSlashCommand } from '../../../source/ui/actions/slash-commands.js';

describe('parseSlashCommand', () => {
	it('reads every command', () => {
		expect(parseSlashCommand('/dm Josie')).toEqual({ name: 'dm', target: 'josie' });
		expect(parseSlashCommand('/group chat')).toEqual({ name: 'group', target: 'chat' });
		expect(parseSlashCommand('/create tea-club')).toEqual({ name: 'create', target: 'tea-club' });
		expect(parseSlashCommand('/kick john')).toEqual({ name: 'kick', target: 'john' });
		for (const name of ['leave', 'delete', 'logout', 'quit', 'help', 'members'] as const) {
			expect(parseSlashCommand(`/${name}`)).toEqual({ name });
		}
		expect(parseSlashCommand('/bell off')).toEqual({ name: 'bell', on: false });
		expect(parseSlashCommand('/bell')).toEqual({ name: 'bell', on: undefined });
	});

	it('reads invitations with roles, separated by spaces or commas', () => {
		expect(parseSlashCommand('/invite josie:admin john,amy:user')).toEqual({
			name: 'invite',
			invitations: [
				{ user: 'josie', role: 'admin' },
				{ user: 'john' },
				{ user: 'amy', role: 'user' },
			],
		});
	});

	it('explains what is wrong', () => {
		expect(parseSlashCommand('/invite josie:owner')).toEqual({
			name: 'error',
			message: 'the role in "josie:owner" must be admin or user',
		});
		expect(parseSlashCommand('/dm')).toMatchObject({ name: 'error', message: 'usage: /dm <name>' });
		expect(parseSlashCommand('/dm bad/name')).toMatchObject({ name: 'error' });
		expect(parseSlashCommand('/frobnicate')).toMatchObject({
			name: 'error',
			message: expect.stringContaining('/help'),
		});
	});
});
