/**
 * A cell's look as SGR (Select Graphic Rendition) attributes. A style is kept as its canonical
 * parameter string ('' = the terminal's default, '1;31' = bold red): equal looks are equal
 * strings, so a cell grid compares styles with `===`, and `ESC [ key m` sets one from a reset.
 */
export type StyleKey = string;

export const defaultStyle: StyleKey = '';

type Style = {
	bold: boolean;
	dim: boolean;
	italic: boolean;
	underline: boolean;
	blink: boolean;
	inverse: boolean;
	hidden: boolean;
	strike: boolean;
	/** The colour's own parameters ('31', '38;5;208', '38;2;1;2;3'), or '' for the default. */
	fg: string;
	bg: string;
};

const plain = (): Style => ({
	bold: false,
	dim: false,
	italic: false,
	underline: false,
	blink: false,
	inverse: false,
	hidden: false,
	strike: false,
	fg: '',
	bg: '',
});

const flags = [
	['bold', '1'],
	['dim', '2'],
	['italic', '3'],
	['underline', '4'],
	['blink', '5'],
	['inverse', '7'],
	['hidden', '8'],
	['strike', '9'],
] as const;

/** What turns each flag off; bold and dim share 22. */
const flagOff = {
	bold: '22',
	dim: '22',
	italic: '23',
	underline: '24',
	blink: '25',
	inverse: '27',
	hidden: '28',
	strike: '29',
} as const;

function keyOf(style: Style): StyleKey {
	const parts: string[] = [];
	for (const [flag, code] of flags) if (style[flag]) parts.push(code);
	if (style.fg) parts.push(style.fg);
	if (style.bg) parts.push(style.bg);
	return parts.join(';');
}

const parsed = new Map<StyleKey, Style>([[defaultStyle, plain()]]);
const applied = new Map<string, StyleKey>();

function styleOf(key: StyleKey): Style {
	let style = parsed.get(key);
	if (!style) {
		style = applyParams(plain(), key);
		parsed.set(key, style);
	}
	return style;
}

/** Reads an extended colour (`38;5;n` or `38;2;r;g;b`) starting at `codes[index]`; its length. */
function extendedColour(codes: readonly number[], index: number): [string, number] | undefined {
	const mode = codes[index + 1];
	if (mode === 5 && codes.length > index + 2) return [codes.slice(index, index + 3).join(';'), 3];
	if (mode === 2 && codes.length > index + 4) return [codes.slice(index, index + 5).join(';'), 5];
	return undefined;
}

function applyParams(style: Style, params: string): Style {
	const next = { ...style };
	const codes = params === '' ? [0] : params.split(';').map((part) => Number(part) || 0);
	for (let index = 0; index < codes.length; index++) {
		const code = codes[index]!;
		if (code === 0) Object.assign(next, plain());
		else if (code === 1) next.bold = true;
		else if (code === 2) next.dim = true;
		else if (code === 3) next.italic = true;
		else if (code === 4) next.underline = true;
		else if (code === 5) next.blink = true;
		else if (code === 7) next.inverse = true;
		else if (code === 8) next.hidden = true;
		else if (code === 9) next.strike = true;
		else if (code === 22) next.bold = next.dim = false;
		else if (code === 23) next.italic = false;
		else if (code === 24) next.underline = false;
		else if (code === 25) next.blink = false;
		else if (code === 27) next.inverse = false;
		else if (code === 28) next.hidden = false;
		else if (code === 29) next.strike = false;
		else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) next.fg = String(code);
		else if (code === 39) next.fg = '';
		else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) next.bg = String(code);
		else if (code === 49) next.bg = '';
		else if (code === 38 || code === 48) {
			const colour = extendedColour(codes, index);
			if (!colour) break;
			if (code === 38) next.fg = colour[0];
			else next.bg = colour[0];
			index += colour[1] - 1;
		}
		// Anything else (overline, fonts, colon sub-parameters) is not drawn by the UI: ignored.
	}
	return next;
}

/** The style after an `ESC [ params m` on top of `key`. */
export function applySgr(key: StyleKey, params: string): StyleKey {
	const memo = `${key}|${params}`;
	let result = applied.get(memo);
	if (result === undefined) {
		result = keyOf(applyParams(styleOf(key), params));
		if (applied.size > 10_000) applied.clear();
		applied.set(memo, result);
	}
	return result;
}

/** True when a blank cell of this style looks like what an erase (EL, ED, SU) leaves. */
export function isErasable(key: StyleKey): boolean {
	return key === defaultStyle;
}

const transitions = new Map<string, string>();

/** The shortest SGR sequence that turns the pen from style `from` into style `to`. */
export function sgrTransition(from: StyleKey, to: StyleKey): string {
	if (from === to) return '';
	const memo = `${from}|${to}`;
	let sequence = transitions.get(memo);
	if (sequence === undefined) {
		sequence = shortestTransition(from, to);
		if (transitions.size > 10_000) transitions.clear();
		transitions.set(memo, sequence);
	}
	return sequence;
}

function shortestTransition(from: StyleKey, to: StyleKey): string {
	const reset = to === defaultStyle ? '\u001b[m' : `\u001b[0;${to}m`;
	const a = styleOf(from);
	const b = styleOf(to);
	const parts: string[] = [];
	// 22 clears bold and dim together: after it, set again whichever `to` keeps.
	const boldOrDimOff = (a.bold && !b.bold) || (a.dim && !b.dim);
	if (boldOrDimOff) parts.push('22');
	for (const [flag, code] of flags) {
		if (flag === 'bold' || flag === 'dim') {
			if (b[flag] && (!a[flag] || boldOrDimOff)) parts.push(code);
		} else if (a[flag] !== b[flag]) parts.push(b[flag] ? code : flagOff[flag]);
	}
	if (a.fg !== b.fg) parts.push(b.fg || '39');
	if (a.bg !== b.bg) parts.push(b.bg || '49');
	const delta = `\u001b[${parts.join(';')}m`;
	return delta.length < reset.length ? delta : reset;
}
