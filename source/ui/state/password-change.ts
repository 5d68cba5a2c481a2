/** What is wrong with a password change, and which field (0 current, 1 new, 2 repeat) to fix. */
export type PasswordProblem = { readonly text: string; readonly field: 0 | 1 | 2 };

/** The checks the server makes too (§7.7: 8–256 characters), said before asking it. */
export function passwordProblem(
	current: string,
	next: string,
	repeat: string,
): PasswordProblem | undefined {
	if (current === '') return { text: 'Type your current password', field: 0 };
	const length = [...next].length;
	if (length < 8) return { text: 'The new password is too short: at least 8 characters', field: 1 };
	if (length > 256)
		return { text: 'The new password is too long: at most 256 characters', field: 1 };
	if (next !== repeat) return { text: 'The new passwords do not match', field: 2 };
	if (next === current)
		return { text: 'The new password is the same as the current one', field: 1 };
	return undefined;
}
