import { describe, expect, it } from 'vitest';
import { parseBenchArgs, usage, workloads } from '../../bench/lib/command-line.js';

describe('the bench command line', () => {
	it('runs every workload but the cluster one with every peer when given nothing', () => {
		const args = parseBenchArgs([]);
		expect(args?.quick).toBe(false);
		expect(args?.peer).toBe(true);
		expect(args?.xmpp).toEqual(['prosody', 'ejabberd']);
		expect([...(args?.only ?? [])]).toEqual(workloads.filter((name) => name !== 'cluster'));
	});

	it('takes the workloads and peers it is given', () => {
		const args = parseBenchArgs(['--quick', '--only', 'dm,tui', '--peers', 'ejabberd']);
		expect(args).toEqual({
			quick: true,
			peer: false,
			xmpp: ['ejabberd'],
			only: new Set(['dm', 'tui']),
		});
		expect(parseBenchArgs(['--no-peer'])).toMatchObject({ peer: false, xmpp: [] });
	});

	it('answers --help with nothing to run, and the usage names every workload', () => {
		expect(parseBenchArgs(['--help'])).toBeUndefined();
		expect(parseBenchArgs(['-h'])).toBeUndefined();
		for (const name of workloads) expect(usage).toContain(name);
	});

	it('refuses an unknown option, workload or peer instead of running the whole bench', () => {
		expect(() => parseBenchArgs(['--fast'])).toThrow(/--fast/);
		expect(() => parseBenchArgs(['dm'])).toThrow(/dm/);
		expect(() => parseBenchArgs(['--only', 'dm,chat'])).toThrow(/unknown workload "chat"/);
		expect(() => parseBenchArgs(['--peers', 'irssi'])).toThrow(/unknown peer "irssi"/);
	});
});
