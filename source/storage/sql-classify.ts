// Cheap checks on the leading keyword of a statement. They err on the side of "may change data":
// such a statement is journaled, or refused outside write().

const READ_ONLY = /^\s*(?:select|values|explain)\b/i;
const PRAGMA_READ = /^\s*pragma\s+[\w.]+\s*;?\s*$/i;
const WITH_CLAUSE = /^\s*with\b/i;
const CHANGING_KEYWORD = /\b(?:insert|update|delete|replace)\b/i;
const ROW_CHANGING = /^\s*(?:insert|update|delete|replace)\b/i;

/** True when the statement certainly changes nothing (a query, or a pragma that only reads). */
export function isReadOnlySql(sql: string): boolean {
	if (READ_ONLY.test(sql) || PRAGMA_READ.test(sql)) return true;
	return WITH_CLAUSE.test(sql) && !CHANGING_KEYWORD.test(sql);
}

/** INSERT / UPDATE / DELETE / REPLACE, whose changes() count tells whether they did anything. */
export function isRowChangingSql(sql: string): boolean {
	return ROW_CHANGING.test(sql);
}
