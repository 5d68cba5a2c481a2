import { ChatNetworkError, ChatRequestError } from '../../client/index.js';
import { safeLine } from './safe-text.js';

/** What to say when the server gave no words of its own. */
const statusWords: Record<number, string> = {
	400: 'the server could not take that',
	401: 'you are not logged in',
	403: 'you are not allowed to do that',
	404: 'there is no such user or group',
	409: 'that name is already taken',
	413: 'that is too long for the server',
	429: 'the server asks you to slow down',
};

/** Protocol verbs people never type, said as the slash commands they would use. */
const verbWords: Record<string, string> = {
	RM_GROUP: '/delete',
	ADD_USER: '/invite',
	RM_USER: '/kick',
	MK_GROUP: '/create',
	LIST_USER: 'the user list',
	LIST_GROUP: 'the group list',
};

/** Server text without protocol words: "(RM_GROUP)" goes, a bare verb becomes its command. */
function plain(text: string): string {
	return text
		.replace(/\s*\((?:[A-Z]+_)*[A-Z]{2,}\)/g, '')
		.replace(
			/\b(?:RM_GROUP|ADD_USER|RM_USER|MK_GROUP|LIST_USER|LIST_GROUP)\b/g,
			(verb) => verbWords[verb]!,
		)
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * A failure in words a person can act on, in their language: the server's own words (made safe
 * to print), never a status code or a verb name ("you own g2: delete it instead of leaving").
 */
export function describeError(error: unknown): string {
	if (error instanceof ChatRequestError) {
		const words = plain(safeLine(error.message));
		const base =
			words === '' || /^status \d+$/.test(words)
				? (statusWords[error.status] ?? 'the server failed; try again')
				: words;
		const retry = error.retryAfter ? ` (try again in ${error.retryAfter} s)` : '';
		return `${base}${retry}`;
	}
	if (error instanceof ChatNetworkError) return `Connection problem: ${safeLine(error.message)}`;
	if (error instanceof Error) return safeLine(error.message);
	return safeLine(String(error));
}
