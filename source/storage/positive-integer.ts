/** `value` if it is a positive integer; else a RangeError naming the option. */
export function positiveInteger(value: number, name: string): number {
	if (!Number.isInteger(value) || value < 1) {
		throw new RangeError(`${name} must be a positive integer; got ${value}`);
	}
	return value;
}
