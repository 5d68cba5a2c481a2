import { isIPv4, isIPv6 } from 'node:net';
import type { Logger } from '../domain/logger.js';

/**
 * The key connections are counted under: an IPv4 address, or the /64 network of an IPv6 address
 * (one host usually holds a whole /64, as ergo assumes). IPv4-mapped IPv6 counts as IPv4.
 */
export function addressKey(address: string): string {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (mapped) return mapped[1]!;
	if (!isIPv6(address)) return address;
	return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

export function isLoopback(address: string): boolean {
	const key = addressKey(address);
	if (isIPv4(key)) return key.startsWith('127.');
	return isIPv6(address) && expandIPv6(address).every((group, i) => group === (i < 7 ? '0' : '1'));
}

/** The eight groups of an IPv6 address, without leading zeros ("::" expanded). */
function expandIPv6(address: string): string[] {
	const withoutZone = address.split('%')[0]!;
	const [head = '', tail] = withoutZone.split('::');
	const parse = (part: string) =>
		part === '' ? [] : part.split(':').map((group) => parseInt(group, 16).toString(16));
	const left = parse(head);
	const right = tail === undefined ? [] : parse(tail);
	return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
}

export type AddressLimitOptions = {
	/** 0 turns the limit off. */
	readonly maxPerAddress: number;
	readonly limitLoopback: boolean;
	readonly log: Logger;
};

/** What admit() returns for a connection that is not counted: there is nothing to release. */
export const notCounted = (): void => undefined;

/** Counts open connections per address and refuses those past the limit. */
export class ConnectionsPerAddress {
	readonly #open = new Map<string, number>();
	/** Addresses already reported as at their limit, so a flood of refusals logs one line. */
	readonly #reported = new Set<string>();

	constructor(readonly options: AddressLimitOptions) {}

	/**
	 * Counts a new connection; returns its release function (`notCounted` for one that is exempt),
	 * or undefined when it is refused.
	 */
	admit(address: string | undefined): (() => void) | undefined {
		const { maxPerAddress, limitLoopback, log } = this.options;
		if (address === undefined) return undefined; // already gone
		if (maxPerAddress <= 0 || (!limitLoopback && isLoopback(address))) return notCounted;
		const key = addressKey(address);
		const open = this.#open.get(key) ?? 0;
		if (open >= maxPerAddress) {
			if (!this.#reported.has(key)) {
				this.#reported.add(key);
				log.warn(
					{ event: 'connection-refused', reason: 'per-address-limit', address: key, open },
					`refusing connections from ${key}: ${open} already open (--max-connections-per-ip)`,
				);
			}
			return undefined;
		}
		this.#open.set(key, open + 1);
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const left = (this.#open.get(key) ?? 1) - 1;
			if (left > 0) this.#open.set(key, left);
			else this.#open.delete(key);
			this.#reported.delete(key);
		};
	}

	/** Open connections counted under the address's key. */
	openFrom(address: string): number {
		return this.#open.get(addressKey(address)) ?? 0;
	}
}
