import type {Variables} from './connection-formats.js';

/**
 * Reading and updating a .env file without disturbing it. Everything here works on the file's
 * bytes as a "binary" string (latin1: one character per byte), so a file in any encoding, with a
 * byte-order mark, CRLF or stray bytes, comes back byte for byte where nothing was changed.
 */

/** Bytes as a binary string, and back: what --write reads and writes. */
export const fromBytes = (bytes: Buffer): string => bytes.toString('latin1');
export const toBytes = (binary: string): Buffer => Buffer.from(binary, 'latin1');
/** Text we add (UTF-8, as every .env reader expects) in the binary form the file is handled in. */
const binaryOf = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

// Characters a shell and every dotenv reader take as they are; anything else is quoted, so that
// `set -a; . ./.env` in a shell reads the same value as the app's dotenv library.
const bare = /^[\w@%+=:,./-]*$/;

/**
 * A value as a .env line holds it: bare when safe, in single quotes (taken literally by shells and
 * dotenv readers) when it has no single quote or newline, else in double quotes with the shell's
 * escapes. A value holding both kinds of quote is read back differently by some dotenv readers,
 * which do not undo \" escapes.
 */
export function dotenvValue(value: string): string {
	if (bare.test(value)) return value;
	if (!/['\n\r]/.test(value)) return `'${value}'`;
	const escaped = value
		.replaceAll(/[\\"$`]/g, match => `\\${match}`)
		.replaceAll('\n', '\\n')
		.replaceAll('\r', '\\r');
	return `"${escaped}"`;
}

/** The variables as .env lines: what `env` prints and what --write adds. */
export function dotenvLines(variables: Variables): string[] {
	return variables.map(([name, value]) => `${name}=${dotenvValue(value)}`);
}

/** One line with its own line ending ('' on a last line without one). */
type Line = {text: string; eol: string};

function splitLines(file: string): Line[] {
	if (file === '') return [];
	return file.split(/(?<=\n)/).map(line => {
		const eol = line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
		return {text: line.slice(0, line.length - eol.length), eol};
	});
}

// An assignment: optional BOM and indentation, optional `export `, the name, `=` with any spaces.
const assignment = /^(\uFEFF?[ \t]*(?:export[ \t]+)?)([A-Za-z_][\w.-]*)([ \t]*=[ \t]*)(.*)$/s;

/**
 * Where the value of an assignment ends: the closing quote of a quoted value (which may be on a
 * later line: dotenv readers allow multi-line quoted values), or before ` #` (an inline comment)
 * or the end of the line for a bare one. `lines[at]` is the assignment's line; `start` the column
 * its value starts at. Returns the last line of the value and the column just after it.
 */
function valueEnd(lines: readonly Line[], at: number, start: number): {line: number; column: number} {
	const first = lines[at]!.text;
	const quote = first[start];
	if (quote === '"' || quote === "'" || quote === '`') {
		for (let line = at, from = start + 1; line < lines.length; line++, from = 0) {
			const text = lines[line]!.text;
			for (let column = from; column < text.length; column++) {
				// Only double quotes know escapes; in single quotes and backticks a backslash is a character.
				if (quote === '"' && text[column] === '\\') column++;
				else if (text[column] === quote) return {line, column: column + 1};
			}
		}
		// Never closed: readers take the rest of the line as the value; so do we.
		return {line: at, column: first.length};
	}
	const comment = /[ \t]#/.exec(first.slice(start));
	return {line: at, column: comment ? start + comment.index : first.trimEnd().length};
}

/**
 * The file with every assignment of one of `variables` given its new value, and the variables it
 * did not have appended in order. Nothing else changes: comments, blank lines, other variables,
 * `export ` prefixes, spacing around `=`, inline comments after a replaced value, each line's own
 * line ending. A variable assigned twice is replaced both times, so no stale copy can win. New
 * lines use the file's line ending (CRLF if its first line has one); a last line without a line
 * ending gets one only when lines are appended after it.
 */
export function updateDotenv(file: string, variables: Variables): {text: string; replaced: string[]; added: string[]} {
	const values = new Map(variables.map(([name, value]) => [name, binaryOf(dotenvValue(value))]));
	const lines = splitLines(file);
	const seen = new Set<string>();
	const out: string[] = [];
	for (let index = 0; index < lines.length; index++) {
		const line = lines[index]!;
		const match = assignment.exec(line.text);
		if (!match) {
			out.push(line.text + line.eol);
			continue;
		}
		const [, lead = '', name = '', equals = ''] = match;
		const start = lead.length + name.length + equals.length;
		const end = valueEnd(lines, index, start);
		const value = values.get(name);
		if (value === undefined) {
			// Someone else's variable, multi-line value and all, exactly as it was.
			for (let copy = index; copy <= end.line; copy++) out.push(lines[copy]!.text + lines[copy]!.eol);
		} else {
			seen.add(name);
			const last = lines[end.line]!;
			out.push(`${line.text.slice(0, start)}${value}${last.text.slice(end.column)}${last.eol}`);
		}
		index = end.line;
	}
	const replaced = variables.filter(([name]) => seen.has(name)).map(([name]) => name);
	const missing = variables.filter(([name]) => !seen.has(name));
	const kept = out.join('');
	if (missing.length === 0) return {text: kept, replaced, added: []};
	const eol = lines[0]?.eol === '\r\n' ? '\r\n' : '\n';
	const separator = kept === '' || kept.endsWith('\n') ? '' : eol;
	const text = kept + separator + missing.map(([name]) => `${name}=${values.get(name)!}${eol}`).join('');
	return {text, replaced, added: missing.map(([name]) => name)};
}
