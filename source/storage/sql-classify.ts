// Cheap checks on the leading keyword of a statement. They err on the side of "may change data":
// such a statement is journaled, or refused outside write().

const READ_ONLY = /^\s*(?:select|values|explain)\b/i;
const PRAGMA_READ = /^\s*pragma\s+[\w.]+\s*;?\s*$/i;
const WITH_CLAUSE = /^\s*with\b/i;
const CHANGING_KEYWORD = /\b(?:insert|update|delete|replace)\b/i;
const ROW_CHANGING = /^\s*(?:insert|update|delete|replace)\b/i;

/** True when the statement certainly changes nothing (a query, or a pragma that only reads). */
export const isReadOnlySql = memoized((sql) => {
	if (READ_ONLY.test(sql) || PRAGMA_READ.test(sql)) return true;
	return WITH_CLAUSE.test(sql) && !CHANGING_KEYWORD.test(sql);
});

/** INSERT / UPDATE / DELETE / REPLACE, whose changes() count tells whether they did anything. */
export const isRowChangingSql = memoized((sql) => ROW_CHANGING.test(sql));

// The same few statement texts run for every request: remember the answers (bounded, since a
// statement text may also be built at run time).
const memoLimit = 1024;

function memoized(classify: (sql: string) => boolean): (sql: string) => boolean {
	const answers = new Map<string, boolean>();
	return (sql) => {
		let answer = answers.get(sql);
		if (answer === undefined) {
			answer = classify(sql);
			if (answers.size >= memoLimit) answers.clear();
			answers.set(sql, answer);
		}
		return answer;
	};
}
