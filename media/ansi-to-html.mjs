#!/usr/bin/env node
// Turns a colour capture of the terminal (`tmux capture-pane -e -p`) into a standalone HTML page
// that looks like the terminal: dark background, monospace font, the same colours, dim and inverse
// included. Usage: ansi-to-html.mjs [title] < capture.ans > capture.html
import { readFileSync } from 'node:fs';

const palette = [
	'#1d1f21',
	'#cc6666',
	'#b5bd68',
	'#f0c674',
	'#81a2be',
	'#b294bb',
	'#8abeb7',
	'#c5c8c6',
	'#666666',
	'#d54e53',
	'#b9ca4a',
	'#e7c547',
	'#7aa6da',
	'#c397d8',
	'#70c0b1',
	'#eaeaea',
];
const background = '#1d1f21';
const foreground = '#c5c8c6';

/** The xterm 256-colour palette: 16 named, a 6×6×6 cube, 24 greys. */
function color256(index) {
	if (index < 16) return palette[index];
	if (index < 232) {
		const cube = index - 16;
		const level = (value) => (value === 0 ? 0 : 55 + value * 40);
		const [r, g, b] = [Math.floor(cube / 36), Math.floor(cube / 6) % 6, cube % 6].map(level);
		return `rgb(${r},${g},${b})`;
	}
	const grey = 8 + (index - 232) * 10;
	return `rgb(${grey},${grey},${grey})`;
}

const fresh = () => ({
	fg: undefined,
	bg: undefined,
	bold: false,
	dim: false,
	italic: false,
	underline: false,
	inverse: false,
});

function applySgr(state, codes) {
	for (let index = 0; index < codes.length; index += 1) {
		const code = codes[index];
		if (code === 0) Object.assign(state, fresh());
		else if (code === 1) state.bold = true;
		else if (code === 2) state.dim = true;
		else if (code === 3) state.italic = true;
		else if (code === 4) state.underline = true;
		else if (code === 7) state.inverse = true;
		else if (code === 22) Object.assign(state, { bold: false, dim: false });
		else if (code === 23) state.italic = false;
		else if (code === 24) state.underline = false;
		else if (code === 27) state.inverse = false;
		else if (code >= 30 && code <= 37) state.fg = palette[code - 30];
		else if (code >= 90 && code <= 97) state.fg = palette[code - 90 + 8];
		else if (code >= 40 && code <= 47) state.bg = palette[code - 40];
		else if (code >= 100 && code <= 107) state.bg = palette[code - 100 + 8];
		else if (code === 39) state.fg = undefined;
		else if (code === 49) state.bg = undefined;
		else if (code === 38 || code === 48) {
			const target = code === 38 ? 'fg' : 'bg';
			if (codes[index + 1] === 5) {
				state[target] = color256(codes[index + 2] ?? 0);
				index += 2;
			} else if (codes[index + 1] === 2) {
				state[target] = `rgb(${codes[index + 2]},${codes[index + 3]},${codes[index + 4]})`;
				index += 4;
			}
		}
	}
}

function style(state) {
	let fg = state.fg ?? foreground;
	let bg = state.bg;
	if (state.inverse) [fg, bg] = [bg ?? background, fg];
	const rules = [`color:${fg}`];
	if (bg) rules.push(`background:${bg}`);
	if (state.bold) rules.push('font-weight:bold');
	if (state.dim) rules.push('opacity:0.55');
	if (state.italic) rules.push('font-style:italic');
	if (state.underline) rules.push('text-decoration:underline');
	return rules.join(';');
}

const escapeHtml = (text) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function ansiToHtml(input) {
	const state = fresh();
	let html = '';
	// eslint-disable-next-line no-control-regex -- escape sequences are what this reads
	for (const part of input.split(/(\u001b\[[\d;]*m)/)) {
		// eslint-disable-next-line no-control-regex -- same
		const sgr = /^\u001b\[([\d;]*)m$/.exec(part);
		if (sgr) {
			applySgr(state, sgr[1] === '' ? [0] : sgr[1].split(';').map(Number));
		} else if (part !== '') {
			html += `<span style="${style(state)}">${escapeHtml(part)}</span>`;
		}
	}
	return html;
}

const title = process.argv[2] ?? 'KoriChat';
const body = ansiToHtml(readFileSync(0, 'utf8').replace(/\n+$/, ''));
process.stdout.write(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
html, body { margin: 0; background: ${background}; }
pre { margin: 0; padding: 14px 16px; color: ${foreground}; background: ${background};
  font: 15px/17px 'DejaVu Sans Mono', 'Liberation Mono', monospace; font-variant-ligatures: none; }
</style></head>
<body><pre>${body}</pre></body></html>
`);
