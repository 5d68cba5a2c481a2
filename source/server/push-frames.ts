import type { BusEvent } from '../domain/bus.js';
import type { MessageRecord } from '../domain/types.js';
import { encodePush, jsonBody } from '../protocol/encoder.js';

// A group message reaches every member as the same object, handed out in one synchronous loop
// over the members (a pump that cannot send at once reads fresh rows later): remembering the last
// one encoded is enough to encode it once, not once per member, and costs less than a WeakMap.
let lastMessage: MessageRecord | undefined;
let lastMessageFrame: Buffer = Buffer.alloc(0);

export function messageFrame(message: MessageRecord): Buffer {
	if (message !== lastMessage) {
		const headers: [string, string][] = [
			['From', message.from],
			['Message-Id', String(message.id)],
			['Date', message.date],
		];
		if (message.group) headers.push(['Group', message.group]);
		if (message.replyTo != null) headers.push(['Reply-To', String(message.replyTo)]);
		lastMessageFrame = encodePush('MSG', message.group ?? message.to, headers, message.body);
		lastMessage = message;
	}
	return lastMessageFrame;
}

// A presence or group notice is broadcast as one event object, the same way.
let lastNotice: BusEvent | undefined;
let lastNoticeFrame: Buffer = Buffer.alloc(0);

export function notifyFrame(event: Extract<BusEvent, { type: 'notify' }>): Buffer {
	if (event !== lastNotice) {
		const headers: [string, string][] = [['Content-Type', 'application/json']];
		lastNoticeFrame = encodePush('NOTIFY', event.kind, headers, jsonBody(event.payload));
		lastNotice = event;
	}
	return lastNoticeFrame;
}
