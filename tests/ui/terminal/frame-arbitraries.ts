import fc from 'fast-check';
import stringWidth from 'string-width';

/** Text of every width the UI draws: ASCII, accents, CJK, Hangul, single-code-point emoji, box lines. */
const pieces = [
	'a',
	'b',
	'x',
	' ',
	' ',
	'  ',
	'é',
	'e\u0301',
	'中',
	'文',
	'한',
	'😀',
	'🎉',
	'✅',
	'│',
	'─',
	'…',
	'→',
];

const colours = ['', '31', '92', '38;5;208', '38;2;10;20;30'];
const backgrounds = ['', '44', '100', '48;5;17', '48;2;200;0;0'];
const attributes = ['1', '2', '3', '4', '7', '9'];

/** SGR parameters for a random look: colours and any set of attributes. */
export const styleParams = fc
	.record({
		fg: fc.constantFrom(...colours),
		bg: fc.constantFrom(...backgrounds),
		flags: fc.subarray(attributes),
	})
	.map(({ fg, bg, flags }) => [...flags, fg, bg].filter(Boolean).join(';'));

/** How a styled span ends: a full reset, or chalk-like closing codes. */
const closings = ['\u001b[0m', '\u001b[m', '\u001b[22;23;24;27;29;39;49m'];

const span = fc.record({
	style: styleParams,
	text: fc
		.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 })
		.map((parts) => parts.join('')),
	closing: fc.constantFrom(...closings),
});

/** One line of at most `columns` cells, its styles closed at its end as Ink's are. */
export function line(columns: number): fc.Arbitrary<string> {
	return fc.array(span, { maxLength: 6 }).map((spans) => {
		let width = 0;
		let out = '';
		for (const { style, text, closing } of spans) {
			let fitting = '';
			for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(
				text,
			)) {
				const w = stringWidth(segment);
				if (width + w > columns) break;
				width += w;
				fitting += segment;
			}
			if (fitting === '') break;
			out += style ? `\u001b[${style}m${fitting}${closing}` : fitting;
		}
		return out;
	});
}

/** How one frame turns into the next. */
type Change =
	| { kind: 'fresh'; lines: string[] }
	| { kind: 'edit'; row: number; text: string }
	| { kind: 'shift'; top: number; bottom: number; count: number; fill: string[] }
	| { kind: 'cut'; keep: number };

function change(columns: number, rows: number): fc.Arbitrary<Change> {
	const lines = fc.array(line(columns), { maxLength: rows });
	return fc.oneof(
		lines.map((fresh) => ({ kind: 'fresh' as const, lines: fresh })),
		fc
			.record({ row: fc.nat(rows - 1), text: line(columns) })
			.map((edit) => ({ kind: 'edit' as const, ...edit })),
		fc
			.record({
				top: fc.nat(rows - 1),
				span: fc.nat(rows - 1),
				count: fc.integer({ min: -rows, max: rows }),
				fill: fc.array(line(columns), { minLength: rows, maxLength: rows }),
			})
			.map(({ top, span, count, fill }) => ({
				kind: 'shift' as const,
				top,
				bottom: Math.min(rows - 1, top + span),
				count,
				fill,
			})),
		fc.nat(rows).map((keep) => ({ kind: 'cut' as const, keep })),
	);
}

function apply(lines: string[], step: Change, rows: number): string[] {
	switch (step.kind) {
		case 'fresh':
			return step.lines;
		case 'cut':
			return lines.slice(0, step.keep);
		case 'edit': {
			const next = Array.from(
				{ length: Math.max(lines.length, step.row + 1) },
				(_, row) => lines[row] ?? '',
			);
			next[step.row] = step.text;
			return next;
		}
		case 'shift': {
			// A block of lines moves up or down (a pane scrolling), new lines coming in at its edge.
			const next = Array.from({ length: rows }, (_, row) => lines[row] ?? '');
			const band = next.slice(step.top, step.bottom + 1);
			const n = Math.min(Math.abs(step.count), band.length);
			const moved =
				step.count >= 0
					? [...band.slice(n), ...step.fill.slice(0, n)]
					: [...step.fill.slice(0, n), ...band.slice(0, band.length - n)];
			next.splice(step.top, band.length, ...moved);
			return next;
		}
	}
}

/** A screen size and a sequence of frames, each derived from the one before. */
export const frameSequence = fc
	.record({ columns: fc.integer({ min: 4, max: 30 }), rows: fc.integer({ min: 1, max: 10 }) })
	.chain(({ columns, rows }) =>
		fc
			.record({
				first: fc.array(line(columns), { maxLength: rows }),
				steps: fc.array(change(columns, rows), { minLength: 1, maxLength: 8 }),
			})
			.map(({ first, steps }) => {
				const frames = [first];
				for (const step of steps) frames.push(apply(frames.at(-1)!, step, rows));
				return { columns, rows, frames: frames.map((lines) => lines.join('\n')) };
			}),
	);
