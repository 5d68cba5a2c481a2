// PROTOCOL.md §3; checked here too because names travel in lists (`Invite: a:user,b`), where a
// stray `,` or `:` would change what is asked.
const namePattern = /^[A-Za-z0-9_.-]{1,32}$/;

export function isValidName(name: string): boolean {
	return namePattern.test(name);
}

/** Throws a TypeError naming the problem, for a user or group name no server would accept. */
export function assertName(name: string, what: 'user' | 'group' | 'user or group' = 'user'): void {
	if (!isValidName(name)) {
		throw new TypeError(
			`invalid ${what} name ${JSON.stringify(name.slice(0, 40))}: use 1-32 characters of a-z, 0-9, _, - and .`,
		);
	}
}
