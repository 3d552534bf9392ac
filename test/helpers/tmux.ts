import {execFile} from 'node:child_process';
import {promisify} from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * A terminal a test can drive as a person would: a tmux server of its own (its own socket, so it
 * never touches anyone's sessions), one window of a fixed size, keys in, screen text out.
 */
export type TmuxTerminal = {
	/** The visible screen, one string per row, trailing spaces removed. */
	screen(): Promise<string[]>;
	/** Keys in tmux's names (Enter, Down, C-c) or, with literal, text typed as is. */
	send(keys: string[], options?: {literal?: boolean}): Promise<void>;
	/** Polls the screen until `match` returns something; fails with the last screen after timeoutMs. */
	waitFor<T>(what: string, match: (screen: string[]) => T | undefined | false, timeoutMs?: number): Promise<T>;
	/** Any other tmux command on this server (set-option, pipe-pane, show-buffer, display-message); its stdout. */
	command(...args: string[]): Promise<string>;
	close(): Promise<void>;
};

export async function startTerminal(options: {
	name: string;
	command: string;
	cwd: string;
	columns: number;
	rows: number;
	env?: Record<string, string>;
}): Promise<TmuxTerminal> {
	const socket = options.name;
	const tmux = async (...args: string[]) => (await execFileAsync('tmux', ['-L', socket, ...args], {cwd: options.cwd})).stdout;
	const env = Object.entries(options.env ?? {}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
	await tmux(
		'-f',
		'/dev/null',
		'new-session',
		'-d',
		'-s',
		'main',
		'-x',
		String(options.columns),
		'-y',
		String(options.rows),
		'-c',
		options.cwd,
		...env,
		options.command,
	);

	const terminal: TmuxTerminal = {
		async screen() {
			// capture-pane ends every row with a newline, the last one included.
			return (await tmux('capture-pane', '-p', '-t', 'main'))
				.replace(/\n$/, '')
				.split('\n')
				.map(line => line.trimEnd());
		},
		async send(keys, sendOptions = {}) {
			await tmux('send-keys', '-t', 'main', ...(sendOptions.literal ? ['-l'] : []), ...keys);
		},
		async waitFor(what, match, timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			let last: string[] = [];
			for (;;) {
				last = await terminal.screen();
				const value = match(last);
				if (value !== undefined && value !== false) return value;
				if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Screen:\n${last.join('\n')}`);
				await new Promise(resolve => setTimeout(resolve, 100));
			}
		},
		async command(...args) {
			return tmux(...args);
		},
		async close() {
			await tmux('kill-server').catch(() => undefined);
		},
	};
	return terminal;
}
