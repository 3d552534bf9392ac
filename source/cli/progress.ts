import type {Output} from './output.js';

/**
 * How a long operation shows its progress. On a terminal `active` lines are spinners that
 * update in place (Ink, loaded only then); elsewhere only finished lines and occasional `note`s
 * are printed, one per line, so CI logs stay readable.
 */
export type Reporter = {
	/** True when active lines are drawn as spinners (a terminal). */
	readonly live: boolean;
	/** A finished step, printed once and kept. */
	done(line: string): void;
	/** The current state of one activity (a spinner line); replaced by the next call with the key. */
	active(key: string, text: string): void;
	clear(key: string): void;
	/** A line only worth printing when there is no spinner to show the same thing. */
	note(line: string): void;
	/** Stop drawing; every finished line is on the screen afterwards. */
	close(): Promise<void>;
};

const silent: Reporter = {
	live: false,
	done() {},
	active() {},
	clear() {},
	note() {},
	async close() {},
};

function plainReporter(out: Output): Reporter {
	return {
		live: false,
		done: line => {
			out.line(line);
		},
		active() {},
		clear() {},
		note: line => {
			out.line(line);
		},
		async close() {},
	};
}

/** JSON mode prints no progress; a terminal gets spinners; anything else plain lines. */
export async function createReporter(out: Output): Promise<Reporter> {
	if (out.json) return silent;
	if (!out.tty) return plainReporter(out);
	const {createInkReporter} = await import('./progress-view.js');
	return createInkReporter();
}
