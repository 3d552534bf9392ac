import {DbarenaError} from '../errors.js';
import {originOf, type Seed} from './files.js';

/**
 * Which init script failed, at which line, and what the server said: read from the container's
 * log after a first start that ended (or from the output of running the scripts again). The
 * entrypoints print "running /docker-entrypoint-initdb.d/<file>" before each file (the official
 * ones prefixed with their own path or a timestamp), then the client's own error line:
 *   psql:/docker-entrypoint-initdb.d/002-data.sql:3: ERROR:  relation "nope" does not exist
 *   ERROR 1064 (42000) at line 3: You have an error in your SQL syntax; …
 *   /docker-entrypoint-initdb.d/003-load.sh: line 4: nosuch: command not found
 *   pg_restore: error: could not execute query: ERROR:  …
 */
export type InitFailure = {
	/** The entry in the init folder that was running. */
	file: string;
	/** The line in it (or in the SQL a shell script sent, when the client read stdin). */
	line?: number;
	/** Whether the line counts in what a shell script piped to the client, not in the file itself. */
	lineOfInput?: boolean;
	/** The server's or the shell's message; undefined when the script failed without saying why. */
	message?: string;
};

const running = /running \/docker-entrypoint-initdb\.d\/(\S+)/;
const psql = /^psql:(?:\/docker-entrypoint-initdb\.d\/([^:]+)|(<stdin>)):(\d+): ((?:ERROR|FATAL|error):.*)$/;
const mysql = /^((?:ERROR|error) \d+ \([\dA-Z]+\))(?: at line (\d+))?(?: in file: '[^']*')?: (.*)$/;
const bash = /^\/docker-entrypoint-initdb\.d\/([^:]+): line (\d+): (.*)$/;
const pgRestore = /^pg_restore: error: (.*)$/;

/**
 * The failure of the script named by the last "running" line, if the lines show one: its error
 * after that line or, failing that, before it back to the previous "running" line. The engine
 * copies stdout (the entrypoint's "running") and stderr (the client's error) to the log
 * separately, so under load the error can land first; the scripts before the last one succeeded
 * (the entrypoint stops at the first failure), so an error there is the last one's.
 */
export function findInitFailure(lines: readonly string[]): InitFailure | undefined {
	const starts: number[] = [];
	for (const [index, line] of lines.entries()) if (running.test(line)) starts.push(index);
	const last = starts.at(-1);
	if (last === undefined) return undefined;
	const file = running.exec(lines[last]!)![1]!;
	const previous = starts.at(-2) ?? -1;
	return errorIn(lines.slice(last + 1), file) ?? errorIn(lines.slice(previous + 1, last), file) ?? {file};
}

/** The first line among `lines` in which a client, the shell or pg_restore reports `file` failing. */
function errorIn(lines: readonly string[], file: string): InitFailure | undefined {
	for (const raw of lines) {
		const line = raw.trimEnd();
		const fromPsql = psql.exec(line);
		if (fromPsql) {
			const stdin = fromPsql[2] !== undefined;
			return {file: fromPsql[1] ?? file, line: Number(fromPsql[3]), ...(stdin ? {lineOfInput: true} : {}), message: squeeze(fromPsql[4]!)};
		}
		const fromMysql = mysql.exec(line);
		if (fromMysql) {
			const lineNumber = fromMysql[2] === undefined ? {} : {line: Number(fromMysql[2]), ...(file.endsWith('.sql') ? {} : {lineOfInput: true})};
			return {file, ...lineNumber, message: `${fromMysql[1]!}: ${fromMysql[3]!}`};
		}
		const fromBash = bash.exec(line);
		if (fromBash) return {file: fromBash[1]!, line: Number(fromBash[2]), message: fromBash[3]!};
		const fromRestore = pgRestore.exec(line);
		if (fromRestore) return {file, message: squeeze(fromRestore[1]!)};
	}
	return undefined;
}

/** psql pads "ERROR:  message" with two spaces. */
const squeeze = (text: string) => text.replace(/:\s{2,}/g, ': ').trim();

/** An init script that failed: its file as the user gave it, the line, and the server's words. */
export class InitScriptError extends DbarenaError {
	readonly failure: InitFailure;
	constructor(failure: InitFailure, seed: Pick<Seed, 'origins'>, context: {exitCode?: number; logTail?: string[]; after?: string} = {}) {
		const where = failure.line === undefined ? '' : failure.lineOfInput ? ` at line ${failure.line} of the SQL it sent` : ` at line ${failure.line}`;
		const what = failure.message ?? `it exited with code ${context.exitCode ?? '?'} without an error message`;
		const tail = failure.message === undefined && context.logTail?.length ? `\nLast log lines:\n${context.logTail.map(line => `  ${line}`).join('\n')}` : '';
		super(`${context.after ?? ''}Init script ${originOf(seed, failure.file)} failed${where}: ${what}${tail}`, 'init_failed');
		this.failure = failure;
	}
}
