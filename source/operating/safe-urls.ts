/**
 * A store or bus URL fit for a log line: the password (in the userinfo or a `password` query
 * parameter) removed. An unparseable URL is reduced to its scheme, since it may hold anything.
 */
export function withoutCredentials(url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
		return scheme ? `${scheme}://(unparseable)` : '(unparseable)';
	}
	parsed.password = '';
	for (const key of [...parsed.searchParams.keys()]) {
		if (/pass|secret|token/i.test(key)) parsed.searchParams.delete(key);
	}
	return parsed.toString();
}
