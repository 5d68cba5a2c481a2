import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Presence } from '../../source/domain/presence.js';

/** One node's presence, and a way to make that node die without closing anything. */
export type PresenceNode = {
	readonly presence: Presence;
	/** The node stops renewing and answering, as a crashed process does. */
	kill(): Promise<void>;
};

/** Makes nodes; within one test, every node it makes is part of the same cluster. */
export type PresenceMaker =
	| { readonly spansNodes: false; make(): Promise<PresenceNode> }
	| {
			readonly spansNodes: true;
			make(): Promise<PresenceNode>;
			/** How long a killed node's users may stay online. */
			readonly lapseWithinMs: number;
	  };

/** Collects what a node's onLapsed listeners are told. */
function lapses(presence: Presence): string[] {
	const users: string[] = [];
	presence.onLapsed((lapsed) => users.push(...lapsed));
	return users;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The behaviour every Presence must have; the multi-node cases only where presence spans nodes. */
export function describePresence(name: string, maker: PresenceMaker): void {
	describe(`Presence contract: ${name}`, () => {
		const opened: Presence[] = [];
		const open = async () => {
			const node = await maker.make();
			opened.push(node.presence);
			return node;
		};
		afterEach(async () => {
			await Promise.all(opened.splice(0).map((presence) => presence.close()));
		});

		it('says when a user becomes online and offline, once each', async () => {
			const { presence } = await open();
			expect(await presence.arrive('josie')).toBe(true);
			expect(await presence.arrive('josie')).toBe(false);
			expect(await presence.online(['josie'])).toEqual([true]);
			expect(await presence.depart('josie')).toBe(true);
			expect(await presence.depart('josie')).toBe(false);
			expect(await presence.online(['josie'])).toEqual([false]);
		});

		it('answers for many users in their order', async () => {
			const { presence } = await open();
			await presence.arrive('b');
			await presence.arrive('d');
			expect(await presence.online(['a', 'b', 'c', 'd', 'b'])).toEqual([
				false,
				true,
				false,
				true,
				true,
			]);
			expect(await presence.online([])).toEqual([]);
		});

		if (!maker.spansNodes) return;
		const { lapseWithinMs } = maker;

		it('counts a user on two nodes as online once, until both left', async () => {
			const [a, b] = [(await open()).presence, (await open()).presence];
			const changes = [await a.arrive('josie'), await b.arrive('josie')];
			expect(changes).toEqual([true, false]);
			expect(await a.online(['josie'])).toEqual([true]);
			expect(await a.depart('josie')).toBe(false);
			expect(await a.online(['josie'])).toEqual([true]);
			expect(await b.online(['josie'])).toEqual([true]);
			expect(await b.depart('josie')).toBe(true);
			expect(await a.online(['josie'])).toEqual([false]);
		});

		it('announces a user arriving on two nodes at once online exactly once', async () => {
			const nodes = [(await open()).presence, (await open()).presence, (await open()).presence];
			const arrived = await Promise.all(nodes.map((node) => node.arrive('josie')));
			expect(arrived.filter(Boolean)).toHaveLength(1);
			const departed = await Promise.all(nodes.map((node) => node.depart('josie')));
			expect(departed.filter(Boolean)).toHaveLength(1);
		});

		it('takes a closed node’s users with it, without reporting a lapse', async () => {
			const [a, b] = [await open(), await open()];
			const heard = lapses(b.presence);
			await a.presence.arrive('josie');
			await a.presence.arrive('john');
			await b.presence.arrive('john');
			await a.presence.close();
			expect(await b.presence.online(['josie', 'john'])).toEqual([false, true]);
			await pause(lapseWithinMs);
			expect(heard).toEqual([]);
		});

		it('lets a dead node’s users lapse, reported by exactly one node', async () => {
			const [a, b, dead] = [await open(), await open(), await open()];
			const heard = [lapses(a.presence), lapses(b.presence)];
			await dead.presence.arrive('josie');
			await dead.presence.arrive('john');
			await a.presence.arrive('john');
			await dead.kill();
			const started = Date.now();
			await vi.waitFor(() => expect(heard.flat()).toEqual(['josie']), {
				timeout: lapseWithinMs,
				interval: 20,
			});
			expect(Date.now() - started).toBeLessThan(lapseWithinMs);
			expect(await a.presence.online(['josie', 'john'])).toEqual([false, true]);
			await pause(lapseWithinMs / 2);
			expect(heard.flat()).toEqual(['josie']);
		});

		it('keeps a live node’s users online past its lease', async () => {
			const [a, b] = [await open(), await open()];
			const heard = [lapses(a.presence), lapses(b.presence)];
			await a.presence.arrive('josie');
			await pause(lapseWithinMs * 1.5);
			expect(await b.presence.online(['josie'])).toEqual([true]);
			expect(heard.flat()).toEqual([]);
		});
	});
}
