/**
 * Where a command's words go. Results go to stdout (text, or exactly one JSON document with
 * --json); errors and prompts go to stderr, so `$(dbarena url x)` and `| jq` see only results.
 */
export type Output = {
	/** --json: print one JSON document on stdout and nothing else there. */
	json: boolean;
	/** stdout is a terminal: spinners, and tables cut to its width. */
	tty: boolean;
	/** stdin and stdout are both terminals: a person can answer a y/N question. */
	interactive: boolean;
	/** Terminal width, when stdout is a terminal. */
	columns: number | undefined;
	color: boolean;
	line(text?: string): void;
	error(text: string): void;
	printJson(value: unknown): void;
};

export type Streams = {
	stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number};
	stderr: NodeJS.WritableStream & {isTTY?: boolean};
	stdin: {isTTY?: boolean};
	env: NodeJS.ProcessEnv;
};

/** https://no-color.org: a non-empty NO_COLOR turns colour off; FORCE_COLOR turns it on. */
export function colorEnabled(env: NodeJS.ProcessEnv, tty: boolean): boolean {
	if (env['NO_COLOR']) return false;
	const force = env['FORCE_COLOR'];
	if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
	return tty && env['TERM'] !== 'dumb';
}

export function createOutput(json: boolean, streams: Streams = process): Output {
	const tty = streams.stdout.isTTY === true;
	return {
		json,
		tty,
		interactive: tty && streams.stdin.isTTY === true,
		// A pseudo-terminal without a size reports 0 columns: treat that as unknown, not as 0 wide.
		columns: tty && streams.stdout.columns ? streams.stdout.columns : undefined,
		color: colorEnabled(streams.env, tty),
		line(text = '') {
			streams.stdout.write(`${text}\n`);
		},
		error(text) {
			streams.stderr.write(`${text}\n`);
		},
		printJson(value) {
			streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
		},
	};
}

const codes = {green: 32, yellow: 33, red: 31, dim: 2, bold: 1, cyan: 36} as const;
export type Paint = Record<keyof typeof codes, (text: string) => string>;

export function painter(enabled: boolean): Paint {
	const entries = Object.entries(codes).map(([name, code]) => [
		name,
		(text: string) => (enabled ? `\u001B[${code}m${text}\u001B[${code === 1 || code === 2 ? 22 : 39}m` : text),
	]);
	return Object.fromEntries(entries) as Paint;
}

/** The step markers (✓ done, ⚠ warning, ✗ failed), coloured when colour is on. */
export function marks(paint: Paint): {ok: string; warn: string; fail: string} {
	return {ok: paint.green('✓'), warn: paint.yellow('⚠'), fail: paint.red('✗')};
}
