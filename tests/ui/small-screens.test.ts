import { afterEach, describe, expect, it } from 'vitest';
import { longConversationState, mountHarness, type Harness } from '../../bench/lib/tui-harness.js';
import type { ChatState } from '../../source/ui/state/chat-state.js';
import { textWidth } from '../../source/ui/text/text-width.js';

let harness: Harness | undefined;
afterEach(() => {
	harness?.unmount();
	harness = undefined;
});

// eslint-disable-next-line no-control-regex -- the frame's colours are taken off to read it
const plain = (frame: string) => frame.replace(/\u001b\[[0-9;]*m/g, '');

/** A conversation with wide characters, unread elsewhere, and a 12-line draft. */
function busyState(): ChatState {
	const base = longConversationState(30);
	const id = base.open!;
	const conversation = base.conversations[id]!;
	const wide = [
		'😀😀😀 wide emoji 😀 everywhere 😀😀',
		'漢字かな交じり文の長い行が折り返されても枠は動かない 漢字漢字漢字漢字漢字漢字',
	];
	const messages = [
		...conversation.messages,
		...wide.map((body, index) => ({
			id: 100 + index,
			from: 'josie',
			to: 'adrian',
			group: null,
			body,
			date: '2026-01-03T10:00:00.000Z',
		})),
	];
	const draft = Array.from({ length: 12 }, (_, index) => `line ${index + 1} 😀 漢字`).join('\n');
	return {
		...base,
		groups: [{ name: 'chat', owner: 'josie', role: 'user', members: 3 }],
		order: ['group:chat', id],
		conversations: {
			...base.conversations,
			[id]: { ...conversation, messages },
			'group:chat': {
				...conversation,
				id: 'group:chat',
				kind: 'group',
				name: 'chat',
				messages: [],
				unread: 4,
				mentioned: true,
			},
		},
		drafts: { [id]: { text: draft, cursor: draft.length } },
	};
}

describe.each([
	[80, 24],
	[200, 50],
])('at %i×%i', (columns, rows) => {
	it('keeps every line within the width, "F1 help" in view, and says how much of the draft is hidden', async () => {
		harness = await mountHarness({ state: busyState(), columns, rows });
		const frame = plain(harness.frame());
		const lines = frame.split('\n');
		expect(lines).toHaveLength(rows - 1);
		for (const line of lines) expect(textWidth(line), line).toBeLessThanOrEqual(columns);
		// Box borders line up: the conversation box's right edge sits in one column on every row.
		const edges = new Set(
			lines
				.filter((line) => line.includes('│ ') && line.trimEnd().endsWith('│'))
				.map((line) => textWidth(line.trimEnd())),
		);
		expect(edges.size).toBeLessThanOrEqual(2);
		expect(lines.at(-1)).toContain('F1 help');
		expect(lines.at(-1)).toContain('[Act: 1]');
		expect(frame).toContain('↑ 7 more lines');
		expect(frame).toContain('wide emoji');
	});
});
