import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Figure } from './stats.js';

export type Target = { readonly text: string; readonly met: boolean | undefined };

/** The peers a row may have a figure for, beside KoriChat's, in the order of the table. */
export const peerColumns = [
	{ key: 'ngircd', title: 'ngIRCd', short: 'n' },
	{ key: 'prosody', title: 'Prosody', short: 'P' },
	{ key: 'ejabberd', title: 'ejabberd', short: 'e' },
] as const;
export type PeerKey = (typeof peerColumns)[number]['key'];

/** One line of the results table: a figure for KoriChat, and for each peer that has one. */
export type Row = {
	readonly id: string;
	readonly label: string;
	readonly unit: string;
	readonly higherIsBetter: boolean;
	readonly korichat?: Figure;
	readonly ngircd?: Figure;
	readonly prosody?: Figure;
	readonly ejabberd?: Figure;
	readonly target?: Target;
	readonly note?: string;
};

export function formatNumber(value: number | undefined): string {
	if (value === undefined || Number.isNaN(value)) return '–';
	const magnitude = Math.abs(value);
	const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
	return value.toLocaleString('en-US', {
		maximumFractionDigits: digits,
		minimumFractionDigits: digits,
	});
}

/** KoriChat's median over a peer's (ngIRCd's unless told). */
export function ratio(row: Row, peer: PeerKey = 'ngircd'): number | undefined {
	const other = row[peer];
	if (!row.korichat || !other || other.median === 0) return undefined;
	return row.korichat.median / other.median;
}

const tailName = (row: Row) => (row.higherIsBetter ? 'p1' : 'p99');

/** A plain-text table for the terminal; a peer's columns appear only if some row has its figure. */
export function renderTable(rows: readonly Row[]): string {
	const peers = peerColumns.filter(({ key }) => rows.some((row) => row[key]));
	const header = [
		'figure',
		'unit',
		'KoriChat p50',
		'tail',
		...peers.flatMap(({ title, short }) => [`${title} p50`, 'tail', `K/${short}`]),
		'target',
		'met',
	];
	const lines = rows.map((row) => [
		row.label,
		row.unit,
		formatNumber(row.korichat?.median),
		row.korichat ? `${formatNumber(row.korichat.tail)} (${tailName(row)})` : '–',
		...peers.flatMap(({ key }) => {
			const figure = row[key];
			const times = ratio(row, key);
			return [
				formatNumber(figure?.median),
				figure ? `${formatNumber(figure.tail)} (${tailName(row)})` : '–',
				times === undefined ? '–' : `${formatNumber(times)}×`,
			];
		}),
		row.target?.text ?? '',
		row.target?.met === undefined ? '' : row.target.met ? 'met' : 'MISSED',
	]);
	const widths = header.map((title, column) =>
		Math.max(title.length, ...lines.map((line) => line[column]!.length)),
	);
	const format = (cells: string[]) =>
		cells
			.map((cell, column) =>
				column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
			)
			.join('  ');
	return [
		format(header),
		widths.map((width) => '-'.repeat(width)).join('  '),
		...lines.map(format),
	].join('\n');
}

/** Writes bench/results/<timestamp>.json and bench/results/latest.json (git-ignored). */
export async function writeResults(folder: string, report: object): Promise<string> {
	await mkdir(folder, { recursive: true });
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	const text = `${JSON.stringify(report, null, '\t')}\n`;
	const path = join(folder, `${stamp}.json`);
	await writeFile(path, text);
	await writeFile(join(folder, 'latest.json'), text);
	return path;
}
