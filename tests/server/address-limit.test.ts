import { describe, expect, it } from 'vitest';
import {
	addressKey,
	ConnectionsPerAddress,
	isLoopback,
} from '../../source/server/address-limit.js';
import { silentLogger } from '../../source/domain/logger.js';

describe('addressKey', () => {
	it.each([
		['203.0.113.9', '203.0.113.9'],
		['::ffff:203.0.113.9', '203.0.113.9'],
		['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
		['2001:db8:1:2::9', '2001:db8:1:2::/64'],
		['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
		['::1', '0:0:0:0::/64'],
		['fe80::1%eth0', 'fe80:0:0:0::/64'],
	])('%s counts as %s', (address, key) => {
		expect(addressKey(address)).toBe(key);
	});
});

describe('isLoopback', () => {
	it.each([
		['127.0.0.1', true],
		['127.8.9.10', true],
		['::ffff:127.0.0.1', true],
		['::1', true],
		['10.0.0.1', false],
		['::2', false],
		['2001:db8::1', false],
	])('%s → %s', (address, loopback) => {
		expect(isLoopback(address)).toBe(loopback);
	});
});

describe('ConnectionsPerAddress', () => {
	const limit = (maxPerAddress: number, limitLoopback = false) =>
		new ConnectionsPerAddress({ maxPerAddress, limitLoopback, log: silentLogger });

	it('counts per address and per IPv6 /64, and releases once', () => {
		const limiter = limit(2);
		const first = limiter.admit('2001:db8:1:2::1')!;
		expect(limiter.admit('2001:db8:1:2::ffff')).toBeDefined();
		expect(limiter.admit('2001:db8:1:2:aaaa::1')).toBeUndefined();
		expect(limiter.admit('2001:db8:1:3::1')).toBeDefined();
		first();
		first();
		expect(limiter.openFrom('2001:db8:1:2::1')).toBe(1);
		expect(limiter.admit('2001:db8:1:2::7')).toBeDefined();
		expect(limiter.admit('2001:db8:1:2::8')).toBeUndefined();
	});

	it('exempts loopback unless told otherwise, and refuses a socket with no address', () => {
		expect(limit(1).admit('127.0.0.1') && limit(1).admit('127.0.0.1')).toBeDefined();
		const strict = limit(1, true);
		expect(strict.admit('127.0.0.1')).toBeDefined();
		expect(strict.admit('127.0.0.1')).toBeUndefined();
		expect(limit(1).admit(undefined)).toBeUndefined();
	});
});
