import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Figure } from './stats.js';

export type Target = { readonly text: string; readonly met: boolean | undefined };

/** One line of the results table: a figure for KoriChat, and for ngIRCd where it has one. */
export type Row = {
	readonly id: string;
	readonly label: string;
	readonly unit: string;
	readonly higherIsBetter: boolean;
	readonly korichat?: Figure;
	readonly ngircd?: Figure;
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

export function ratio(row: Row): number | undefined {
	if (!row.korichat || !row.ngircd || row.ngircd.median === 0) return undefined;
	return row.korichat.median / row.ngircd.median;
}

const tailName = (row: Row) => (row.higherIsBetter ? 'p1' : 'p99');

/** A plain-text table for the terminal. */
export function renderTable(rows: readonly Row[]): string {
	const header = [
		'figure',
		'unit',
		'KoriChat p50',
		'tail',
		'ngIRCd p50',
		'tail',
		'K/n',
		'target',
		'met',
	];
	const lines = rows.map((row) => [
		row.label,
		row.unit,
		formatNumber(row.korichat?.median),
		row.korichat ? `${formatNumber(row.korichat.tail)} (${tailName(row)})` : '–',
		formatNumber(row.ngircd?.median),
		row.ngircd ? `${formatNumber(row.ngircd.tail)} (${tailName(row)})` : '–',
		ratio(row) === undefined ? '–' : `${formatNumber(ratio(row))}×`,
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
