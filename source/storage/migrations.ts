import type { Migration } from './sql-types.js';

/** The migrations newer than `currentVersion`, in order; throws on a malformed list or a newer database. */
export function pendingMigrations(
	migrations: readonly Migration[],
	currentVersion: number,
): Migration[] {
	let previous = 0;
	for (const { version } of migrations) {
		if (!Number.isInteger(version) || version <= previous) {
			throw new TypeError(
				`migration versions must be positive integers in increasing order; got ${version} after ${previous}`,
			);
		}
		previous = version;
	}
	if (currentVersion > previous) {
		throw new Error(
			`the database has schema version ${currentVersion} but this program knows only up to ${previous}; ` +
				'it was written by a newer KoriChat',
		);
	}
	return migrations.filter((migration) => migration.version > currentVersion);
}
