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

/** commander argument parser for one of a few words, said in the error when it is something else. */
export function oneOf<T extends string>(values: readonly T[]) {
	return (value: string): T => {
		const found = values.find((candidate) => candidate === value);
		if (found === undefined) {
			const list = `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
			throw new InvalidArgumentError(`expected ${list}`);
		}
		return found;
	};
}
