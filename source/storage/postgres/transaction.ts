import type { Sql, TransactionSql } from 'postgres';

type Db = Sql<Record<string, unknown>>;
export type Tx = TransactionSql<Record<string, unknown>>;

const closedError = () =>
	Object.assign(new Error('the transaction lost its connection'), { code: 'CONNECTION_CLOSED' });
const settledNever = new Promise<never>(() => undefined);

/**
 * sql.begin, safe against its connection closing midway. postgres.js 3.4 rejects the begin at
 * once, but a later query on that connection, or the COMMIT or ROLLBACK it sends when `work`
 * settles, throws an uncaught TypeError from a timer (the socket is gone) and kills the process.
 * So once the begin has failed, queries refuse to start and `work` is never settled.
 */
export function transaction<T>(sql: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
	let over = false;
	const run = sql.begin(async (tx) => {
		const guarded = new Proxy(tx, {
			apply(target, self, args) {
				if (over) throw closedError();
				return Reflect.apply(target, self, args) as unknown;
			},
		});
		try {
			const result = await work(guarded);
			return over ? settledNever : result;
		} catch (error) {
			// A failed query may settle before the begin learns of the close: let that run first.
			await new Promise((resolve) => setImmediate(resolve));
			if (over) return settledNever;
			throw error;
		}
	});
	const done = () => {
		over = true;
	};
	run.then(done, done);
	return run as Promise<T>;
}
