#!/usr/bin/env node
// Render a terminal capture (`tmux capture-pane -e -p`) as an SVG picture for the README, so
// the screenshot is the real screen's text and colours, not a mock-up.
//   node scripts/ansi-to-svg.mjs capture.ansi media/dashboard.svg
import {readFileSync, writeFileSync} from 'node:fs';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
	console.error('usage: node scripts/ansi-to-svg.mjs CAPTURE.ansi OUT.svg');
	process.exit(2);
}
const palette = ['#1e1e1e', '#e06c75', '#98c379', '#e5c07b', '#61afef', '#c678dd', '#56b6c2', '#dcdfe4'];
const bright = ['#5c6370', '#ff7b86', '#b5e890', '#ffd68a', '#82c4ff', '#de9bf0', '#7fd6e0', '#ffffff'];
const background = '#282c34';
const foreground = '#dcdfe4';
const cell = {width: 8.4, height: 17};

const lines = readFileSync(input, 'utf8').replace(/\n$/, '').split('\n');
const escape = text => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const rows = [];
let columns = 0;
for (const line of lines) {
	const state = {fg: foreground, bg: undefined, bold: false, dim: false, inverse: false};
	const spans = [];
	let column = 0;
	for (const part of line.split(/(\u001B\[[\d;]*m)/)) {
		const sgr = /^\u001B\[([\d;]*)m$/.exec(part);
		if (sgr) {
			for (const code of (sgr[1] || '0').split(';').map(Number)) {
				if (code === 0) Object.assign(state, {fg: foreground, bg: undefined, bold: false, dim: false, inverse: false});
				else if (code === 1) state.bold = true;
				else if (code === 2) state.dim = true;
				else if (code === 7) state.inverse = true;
				else if (code === 22) Object.assign(state, {bold: false, dim: false});
				else if (code === 27) state.inverse = false;
				else if (code >= 30 && code <= 37) state.fg = palette[code - 30];
				else if (code >= 90 && code <= 97) state.fg = bright[code - 90];
				else if (code === 39) state.fg = foreground;
				else if (code >= 40 && code <= 47) state.bg = palette[code - 40];
				else if (code === 49) state.bg = undefined;
			}
			continue;
		}
		if (part === '') continue;
		const text = [...part];
		const fg = state.inverse ? (state.bg ?? background) : state.fg;
		const bg = state.inverse ? state.fg : state.bg;
		spans.push({column, text: text.join(''), length: text.length, fg, bg, bold: state.bold, dim: state.dim});
		column += text.length;
	}
	columns = Math.max(columns, column);
	rows.push(spans);
}
const width = Math.ceil(columns * cell.width) + 24;
const height = rows.length * cell.height + 24;
const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
	'font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14">',
	`<rect width="100%" height="100%" rx="6" fill="${background}"/>`];
for (const [index, spans] of rows.entries()) {
	const y = 12 + index * cell.height;
	for (const span of spans) {
		const x = 12 + span.column * cell.width;
		const spanWidth = (span.length * cell.width).toFixed(1);
		if (span.bg) out.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${spanWidth}" height="${cell.height}" fill="${span.bg}"/>`);
		if (span.text.trim() === '') continue;
		const weight = span.bold ? ' font-weight="bold"' : '';
		const opacity = span.dim ? ' opacity="0.6"' : '';
		out.push(`<text x="${x.toFixed(1)}" y="${y + 13}" fill="${span.fg}"${weight}${opacity} textLength="${spanWidth}" ` +
			`lengthAdjust="spacingAndGlyphs" xml:space="preserve">${escape(span.text)}</text>`);
	}
}
out.push('</svg>');
writeFileSync(output, `${out.join('\n')}\n`);
