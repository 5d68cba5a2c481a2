import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BusEvent, MessageBus } from '../../source/domain/bus.js';

/** Makes buses; within one test, every bus it makes is a node of the same cluster. */
export type BusMaker = {
	readonly make: () => Promise<MessageBus>;
	/** Whether two buses it makes reach each other (a cluster bus), not just themselves. */
	readonly spansNodes: boolean;
};

/** What a started bus handed to its listener. */
export type Heard = { readonly events: BusEvent[]; resyncs: number };

export async function listen(bus: MessageBus): Promise<Heard> {
	const heard: Heard = { events: [], resyncs: 0 };
	await bus.start({
		event: (event) => heard.events.push(event),
		resync: () => {
			heard.resyncs++;
		},
	});
	return heard;
}

export const sampleEvents: readonly BusEvent[] = [
	{
		type: 'message',
		message: {
			id: 17,
			from: 'adrian',
			to: 'chat',
			group: 'chat',
			body: 'Hello everyone — ünïcode, "quotes", \n new lines',
			date: '2026-11-25T11:42:55.123Z',
		},
		recipients: ['josie', 'john'],
	},
	{
		type: 'notify',
		kind: 'presence',
		payload: { user: 'josie', online: true },
		audience: { everyoneBut: 'josie' },
	},
	{
		type: 'notify',
		kind: 'group',
		payload: { group: 'chat', event: 'added', user: 'john', by: 'adrian', role: 'user' },
		audience: { users: ['adrian', 'john'] },
	},
	{ type: 'session-ended', user: 'josie', session: 'f'.repeat(64) },
];

const messageEvent = (id: number): BusEvent => ({
	type: 'message',
	message: { id, from: 'a', to: 'b', group: null, body: `#${id}`, date: new Date(0).toISOString() },
	recipients: ['b'],
});

/** The behaviour every MessageBus must have; the multi-node cases only where buses span nodes. */
export function describeMessageBus(name: string, maker: BusMaker): void {
	describe(`MessageBus contract: ${name}`, () => {
		const opened: MessageBus[] = [];
		const open = async () => {
			const bus = await maker.make();
			opened.push(bus);
			return bus;
		};
		afterEach(async () => {
			await Promise.all(opened.splice(0).map((bus) => bus.close()));
		});

		it('hands every event published after start to the listener, intact', async () => {
			const bus = await open();
			const heard = await listen(bus);
			for (const event of sampleEvents) bus.publish(event);
			await vi.waitFor(() => expect(heard.events).toEqual(sampleEvents));
			expect(heard.resyncs).toBe(0);
		});

		it('keeps the order of one publisher’s events', async () => {
			const bus = await open();
			const heard = await listen(bus);
			const events = Array.from({ length: 300 }, (_, i) => messageEvent(i + 1));
			for (const event of events) bus.publish(event);
			await vi.waitFor(() => expect(heard.events).toHaveLength(300));
			expect(heard.events).toEqual(events);
		});

		it('takes a publish before start or after close without throwing', async () => {
			const bus = await open();
			expect(() => bus.publish(messageEvent(1))).not.toThrow();
			const heard = await listen(bus);
			await bus.close();
			expect(() => bus.publish(messageEvent(2))).not.toThrow();
			await new Promise((resolve) => setTimeout(resolve, 50));
			expect(heard.events).not.toContainEqual(messageEvent(2));
		});

		if (!maker.spansNodes) return;

		it('reaches every node, whichever node publishes', async () => {
			const [a, b] = [await open(), await open()];
			const [heardA, heardB] = [await listen(a), await listen(b)];
			const [fromA, fromB] = [messageEvent(1), messageEvent(2)];
			a.publish(fromA);
			await vi.waitFor(() => expect(heardB.events).toEqual([fromA]));
			b.publish(fromB);
			await vi.waitFor(() => expect(heardA.events).toEqual([fromA, fromB]));
			await vi.waitFor(() => expect(heardB.events).toEqual([fromA, fromB]));
		});

		it('keeps one publisher’s order on the other nodes', async () => {
			const [a, b] = [await open(), await open()];
			const heardB = await listen(b);
			await listen(a);
			const events = Array.from({ length: 300 }, (_, i) => messageEvent(i + 1));
			for (const event of events) a.publish(event);
			await vi.waitFor(() => expect(heardB.events).toHaveLength(300));
			expect(heardB.events).toEqual(events);
		});

		it('reaches a node only once its start resolved, and not after it closed', async () => {
			const [a, b] = [await open(), await open()];
			const heardB = await listen(b);
			a.publish(messageEvent(1));
			await vi.waitFor(() => expect(heardB.events).toHaveLength(1));
			await b.close();
			a.publish(messageEvent(2));
			await new Promise((resolve) => setTimeout(resolve, 100));
			expect(heardB.events).toEqual([messageEvent(1)]);
		});
	});
}
