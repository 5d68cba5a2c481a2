import type { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutputWatch, type StallListener } from '../../source/server/output-watch.js';

/** The three figures the watch reads from a socket. */
type FakeSocket = { writableLength: number; bytesWritten: number; destroyed: boolean };

function peer() {
	const socket: FakeSocket = { writableLength: 0, bytesWritten: 0, destroyed: false };
	const listener: StallListener & { stalls: number } = {
		stalls: 0,
		outputStalled() {
			this.stalls++;
		},
	};
	/** Queues `bytes` that the kernel has not taken. */
	const write = (bytes: number) => {
		socket.writableLength += bytes;
		socket.bytesWritten += bytes;
	};
	/** The kernel takes `bytes` of what waits. */
	const flush = (bytes: number) => {
		socket.writableLength -= bytes;
	};
	return { socket: socket as unknown as Socket, listener, write, flush };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let watch: OutputWatch | undefined;
afterEach(() => {
	watch?.stop();
	watch = undefined;
});

describe('OutputWatch', () => {
	it('watches only a socket with output waiting, and forgets it once drained', () => {
		watch = new OutputWatch(1000);
		const idle = peer();
		watch.wrote(idle.socket, idle.listener);
		expect(watch.watching).toBe(0);
		const busy = peer();
		busy.write(10);
		watch.wrote(busy.socket, busy.listener);
		watch.wrote(busy.socket, busy.listener);
		expect(watch.watching).toBe(1);
		watch.drained(busy.listener);
		expect(watch.watching).toBe(0);
	});

	it('reports a socket whose output makes no progress for the whole stall time', async () => {
		watch = new OutputWatch(60);
		const stuck = peer();
		stuck.write(100);
		watch.wrote(stuck.socket, stuck.listener);
		await sleep(30);
		expect(stuck.listener.stalls).toBe(0);
		await vi.waitFor(() => expect(stuck.listener.stalls).toBe(1), { timeout: 1000, interval: 5 });
		expect(watch.watching).toBe(0);
	});

	it('keeps a slow reader that makes progress, and drops it once it stops', async () => {
		watch = new OutputWatch(50);
		const slow = peer();
		slow.write(100);
		watch.wrote(slow.socket, slow.listener);
		for (let step = 0; step < 6; step++) {
			await sleep(30);
			slow.flush(10);
		}
		expect(slow.listener.stalls).toBe(0);
		expect(watch.watching).toBe(1);
		await vi.waitFor(() => expect(slow.listener.stalls).toBe(1), { timeout: 1000, interval: 5 });
	});

	it('serves many sockets with one timer, each on its own deadline', async () => {
		const timeouts = vi.spyOn(globalThis, 'setTimeout');
		try {
			watch = new OutputWatch(80);
			const first = peer();
			first.write(1);
			watch.wrote(first.socket, first.listener);
			await sleep(40);
			const later = Array.from({ length: 50 }, () => peer());
			for (const each of later) {
				each.write(1);
				watch.wrote(each.socket, each.listener);
			}
			const drained = peer();
			drained.write(1);
			watch.wrote(drained.socket, drained.listener);
			drained.flush(1);
			// Set so far: the sleep above and the watch's one timer.
			expect(timeouts).toHaveBeenCalledTimes(2);
			await vi.waitFor(() => expect(first.listener.stalls).toBe(1), { timeout: 1000, interval: 5 });
			expect(later.every((each) => each.listener.stalls === 0)).toBe(true);
			await vi.waitFor(() => expect(later.every((each) => each.listener.stalls === 1)).toBe(true), {
				timeout: 1000,
				interval: 5,
			});
			expect(drained.listener.stalls).toBe(0);
			expect(watch.watching).toBe(0);
		} finally {
			timeouts.mockRestore();
		}
	});

	it('ignores a destroyed socket, and does nothing when the stall time is 0', async () => {
		watch = new OutputWatch(20);
		const gone = peer();
		gone.write(5);
		watch.wrote(gone.socket, gone.listener);
		(gone.socket as unknown as FakeSocket).destroyed = true;
		await sleep(60);
		expect(gone.listener.stalls).toBe(0);
		expect(watch.watching).toBe(0);
		const off = new OutputWatch(0);
		const stuck = peer();
		stuck.write(5);
		off.wrote(stuck.socket, stuck.listener);
		expect(off.watching).toBe(0);
	});
});
