import { describe, expect, it } from 'vitest';
import type { BusEvent } from '../../source/domain/bus.js';
import type { MessageRecord } from '../../source/domain/types.js';
import { messageFrame, notifyFrame } from '../../source/server/push-frames.js';

const message = (id: number, group: string | null = null): MessageRecord => ({
	id,
	from: 'adrian',
	to: 'josie',
	group,
	body: `m${id} ✓`,
	date: '2026-11-25T00:00:00.000Z',
});

describe('push frames', () => {
	it('encodes a message once for all its recipients, and each message right', () => {
		const first = message(1);
		const group = message(2, 'crew');
		const frame = messageFrame(first);
		expect(messageFrame(first)).toBe(frame);
		expect(frame.toString()).toBe(
			'MSG josie CHAT/1.0\r\nFrom: adrian\r\nMessage-Id: 1\r\nDate: 2026-11-25T00:00:00.000Z\r\n' +
				'Content-Length: 6\r\n\r\nm1 ✓',
		);
		expect(messageFrame(group).toString()).toMatch(/^MSG crew CHAT\/1\.0\r\n.*Group: crew\r\n/s);
		// An equal but distinct record (a row read again) is encoded afresh, to the same bytes.
		expect(messageFrame({ ...first })).toEqual(frame);
		expect(messageFrame(first)).toEqual(frame);
	});

	it('encodes a notice once for all its listeners', () => {
		type Notice = Extract<BusEvent, { type: 'notify' }>;
		const online: Notice = {
			type: 'notify',
			kind: 'presence',
			payload: { user: 'josie', online: true },
			audience: { everyoneBut: 'josie' },
		};
		const offline: Notice = { ...online, payload: { user: 'josie', online: false } };
		const frame = notifyFrame(online);
		expect(notifyFrame(online)).toBe(frame);
		expect(notifyFrame(offline).toString()).toContain('"online":false');
		expect(notifyFrame(online).toString()).toContain('"online":true');
	});
});
