import { InvalidArgumentError } from 'commander';

/** commander argument parser for a whole number within bounds. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
	return (value: string): number => {
		if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
			throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
		}
		return Number(value);
	};
}
