/** One key press (or one piece of typed or pasted text), independent of how the terminal sent it. */
export type KeyPress = {
	/** `return`, `up`, `f1`, `tab`… ; a single character for printable keys; `text` for longer text. */
	readonly name: string;
	readonly ctrl: boolean;
	/** Alt (Option), sent by terminals as an ESC prefix. */
	readonly meta: boolean;
	readonly shift: boolean;
	/** What the key types into a text field ('' for keys that type nothing). */
	readonly text: string;
	readonly sequence: string;
	/** Text that came between bracketed-paste marks: never taken for key presses. */
	readonly pasted?: boolean;
};

const csiNames: Record<string, string> = {
	A: 'up',
	B: 'down',
	C: 'right',
	D: 'left',
	H: 'home',
	F: 'end',
	P: 'f1',
	Q: 'f2',
	R: 'f3',
	S: 'f4',
	Z: 'tab',
	I: 'focus-in',
	O: 'focus-out',
};

const tildeNames: Record<string, string> = {
	'1': 'home',
	'2': 'insert',
	'3': 'delete',
	'4': 'end',
	'5': 'pageup',
	'6': 'pagedown',
	'7': 'home',
	'8': 'end',
	'11': 'f1',
	'12': 'f2',
	'13': 'f3',
	'14': 'f4',
	'15': 'f5',
	'17': 'f6',
	'18': 'f7',
	'19': 'f8',
	'20': 'f9',
	'21': 'f10',
	'23': 'f11',
	'24': 'f12',
	'200': 'paste-start',
	'201': 'paste-end',
};

const key = (name: string, sequence: string, extra: Partial<KeyPress> = {}): KeyPress => ({
	name,
	ctrl: false,
	meta: false,
	shift: false,
	text: '',
	sequence,
	...extra,
});

/** xterm modifier parameter (`1;5` → ctrl): 1 + shift·1 + alt·2 + ctrl·4. */
function modifiers(parameter: string | undefined) {
	const bits = Math.max(0, Number(parameter ?? '1') - 1);
	return { shift: (bits & 1) !== 0, meta: (bits & 2) !== 0, ctrl: (bits & 4) !== 0 };
}

/** A key given by its code point (CSI u and xterm's modifyOtherKeys): Enter, Tab, Esc, letters… */
function fromCodePoint(code: number, sequence: string, mods: Partial<KeyPress>): KeyPress {
	const byCode: Record<number, string> = { 13: 'return', 9: 'tab', 27: 'escape', 127: 'backspace' };
	const name = byCode[code] ?? (code === 32 ? 'space' : String.fromCodePoint(code).toLowerCase());
	return key(name, sequence, mods);
}

function parseEscape(sequence: string, body: string, meta: boolean): KeyPress {
	const linux = /^\[\[([A-E])$/.exec(body);
	if (linux) return key(`f${'ABCDE'.indexOf(linux[1]!) + 1}`, sequence, { meta });
	const ss3 = /^O(\d?)([A-Za-z])$/.exec(body);
	if (ss3) {
		const name = csiNames[ss3[2]!];
		const mods = modifiers(ss3[1] || undefined);
		return key(name ?? 'unknown', sequence, { ...mods, meta: meta || mods.meta });
	}
	const csi = /^\[([\d;]*)([A-Za-z~])$/.exec(body);
	if (!csi) return key('unknown', sequence, { meta });
	const [first = '', second, third] = csi[1]!.split(';');
	const final = csi[2]!;
	const mods = modifiers(second);
	const withMeta = { ...mods, meta: meta || mods.meta };
	if (final === 'u') return fromCodePoint(Number(first), sequence, withMeta);
	if (final === '~' && first === '27' && third)
		return fromCodePoint(Number(third), sequence, withMeta);
	if (final === 'Z') return key('tab', sequence, { ...withMeta, shift: true });
	const name = final === '~' ? tildeNames[first] : csiNames[final];
	return key(name ?? 'unknown', sequence, withMeta);
}

function parseControl(sequence: string, code: number, meta: boolean): KeyPress {
	if (sequence === '\r') return key('return', sequence, { meta });
	if (sequence === '\t') return key('tab', sequence, { meta });
	if (sequence === '\u007f' || sequence === '\b') return key('backspace', sequence, { meta });
	if (sequence === '\u001b') return key('escape', sequence, { meta });
	if (code === 0) return key('space', sequence, { ctrl: true, meta });
	if (code <= 26) return key(String.fromCharCode(code + 96), sequence, { ctrl: true, meta });
	return key('unknown', sequence, { meta });
}

// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const control = /[\u0000-\u001f\u007f\u0080-\u009f]/;

/** Reads one key from what Ink hands over as one input event (see `splitInput`). */
export function parseKey(sequence: string): KeyPress {
	if (sequence.startsWith('\u001b') && sequence.length > 1) {
		const rest = sequence.slice(1);
		if (rest.startsWith('\u001b') && rest.length > 1) {
			return { ...parseEscape(sequence, rest.slice(1), true), meta: true };
		}
		if (rest.startsWith('[') || (rest.startsWith('O') && rest.length > 1)) {
			return parseEscape(sequence, rest, false);
		}
		// ESC + one key: Alt+key.
		const inner = parseKey(rest);
		return { ...inner, meta: true, text: '', sequence };
	}
	if (sequence.length === 1 && control.test(sequence)) {
		return parseControl(sequence, sequence.charCodeAt(0), false);
	}
	const text = sequence.replace(new RegExp(control.source, 'gu'), '');
	if ([...text].length === 1) {
		return key(text === ' ' ? 'space' : text, sequence, {
			text,
			shift: text !== text.toLowerCase(),
		});
	}
	return key('text', sequence, { text });
}

/**
 * Splits one input event into keys: text typed quickly (or by tmux send-keys) can arrive as one
 * chunk such as `alice\tsecret\r`, which is three pieces of text and two keys.
 */
export function splitInput(input: string): string[] {
	if (input.startsWith('\u001b')) return [input];
	// eslint-disable-next-line no-control-regex -- control characters are what this looks for
	return input.split(/([\u0000-\u001f\u007f])/u).filter((piece) => piece !== '');
}
