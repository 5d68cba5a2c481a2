/** What a log line or a message to a person says of a failure: an Error's message, or the value. */
export function reasonOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
