import {execFile} from 'node:child_process';

/**
 * Copying to the clipboard of the terminal the user sits at, with the xterm escape sequence OSC 52
 * (`ESC ] 52 ; c ; <base64> BEL`): the terminal does the copying, so it works over SSH and needs
 * no clipboard tool on this machine. Terminals may refuse it (some ask first, some ignore it).
 */
export function osc52(text: string): string {
	return `\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

/** tmux's passthrough: the sequence inside `ESC P tmux; … ESC \`, every ESC in it doubled. */
export function tmuxPassthrough(sequence: string): string {
	return `\u001BPtmux;${sequence.replaceAll('\u001B', '\u001B\u001B')}\u001B\\`;
}

/** A tmux command's outcome: its stdout, or the first line of what it said when it failed. */
export type TmuxResult = {ok: true; stdout: string} | {ok: false; error: string};
/** Run tmux with `args` (no shell), `input` on its stdin. Tests hand in a fake. */
export type RunTmux = (args: string[], input?: string) => Promise<TmuxResult>;

/** The tmux of TMUX in `env` (the server whose pane we are in), given a second to answer. */
export function tmuxRunner(env: NodeJS.ProcessEnv = process.env): RunTmux {
	return async (args, input) =>
		new Promise(resolve => {
			const child = execFile('tmux', args, {timeout: 1000, env}, (error, stdout, stderr) => {
				if (!error) resolve({ok: true, stdout});
				else resolve({ok: false, error: stderr.trim().split('\n')[0] || error.message});
			});
			// A tmux that exits before reading its stdin (an unknown flag) must not become an EPIPE here.
			child.stdin?.on('error', () => undefined);
			child.stdin?.end(input ?? '');
		});
}

/** What tmux does with an application's OSC 52: its set-clipboard and allow-passthrough options. */
export type TmuxClipboard = {setClipboard: string; passthrough: boolean};

/** Ask the tmux we run in how it treats OSC 52; undefined when it does not answer. */
export async function tmuxClipboard(run: RunTmux, env: NodeJS.ProcessEnv = process.env): Promise<TmuxClipboard | undefined> {
	const target = env['TMUX_PANE'] ? ['-t', env['TMUX_PANE']] : [];
	const answer = await run(['display-message', '-p', ...target, '#{set-clipboard} #{allow-passthrough}']);
	if (!answer.ok) return undefined;
	const [setClipboard = '', passthrough = ''] = answer.stdout.trim().split(' ');
	return {setClipboard, passthrough: passthrough === '1' || passthrough === 'on' || passthrough === 'all'};
}

/** Whether the copy can have arrived, and how (for the status line), or why not. */
export type CopyOutcome = {copied: true; via: string} | {copied: false; why: string};

/**
 * Send `text` to the terminal's clipboard with OSC 52. Inside tmux an application's OSC 52 reaches
 * tmux's buffer and the outer terminal only with `set-clipboard on`; under the default, `external`,
 * tmux drops it. Then tmux itself is given the text (`load-buffer -w -`, on stdin: its buffer, and
 * the terminal's clipboard through tmux's own OSC 52). `-w` needs tmux 3.2; an older one gets it
 * without, plus the passthrough form when allow-passthrough is on. The outcome says which of these
 * happened, so the status line never claims more than was done. The plain sequence is always
 * written: where tmux drops it nothing is lost, and when the tmux named by TMUX does not answer it
 * is all there is.
 */
export async function copyToClipboard(
	text: string,
	write: (data: string) => void,
	options: {env?: NodeJS.ProcessEnv; tmux?: RunTmux} = {},
): Promise<CopyOutcome> {
	const env = options.env ?? process.env;
	const sequence = osc52(text);
	write(sequence);
	if (!env['TMUX']) return {copied: true, via: 'OSC 52'};
	const run = options.tmux ?? tmuxRunner(env);
	const tmux = await tmuxClipboard(run, env);
	if (tmux?.setClipboard === 'on') return {copied: true, via: 'OSC 52 through tmux'};
	const withClipboard = await run(['load-buffer', '-w', '-'], text);
	if (withClipboard.ok) {
		if (tmux?.setClipboard === 'off') return {copied: true, via: "tmux's buffer only: set-clipboard off keeps it from the terminal's clipboard"};
		return {copied: true, via: "tmux load-buffer -w: tmux's buffer and the terminal's clipboard"};
	}
	const bufferOnly = await run(['load-buffer', '-'], text);
	if (tmux?.passthrough) {
		write(tmuxPassthrough(sequence));
		return {copied: true, via: bufferOnly.ok ? "tmux's buffer, and OSC 52 by tmux passthrough" : 'OSC 52, tmux passthrough'};
	}
	if (bufferOnly.ok) return {copied: true, via: `tmux's buffer only: load-buffer -w failed (${withClipboard.error}; it needs tmux 3.2)`};
	return {copied: false, why: `tmux load-buffer failed (${bufferOnly.error}), and tmux drops OSC 52 unless "set -g set-clipboard on"`};
}
