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

/** What tmux does with an application's OSC 52: its set-clipboard and allow-passthrough options. */
export type TmuxClipboard = {setClipboard: string; passthrough: boolean};

/** Ask the tmux we run in (TMUX is set) how it treats OSC 52; undefined when it does not answer. */
export async function tmuxClipboard(env: NodeJS.ProcessEnv = process.env): Promise<TmuxClipboard | undefined> {
	const target = env['TMUX_PANE'] ? ['-t', env['TMUX_PANE']] : [];
	return new Promise(resolve => {
		execFile('tmux', ['display-message', '-p', ...target, '#{set-clipboard} #{allow-passthrough}'], {timeout: 1000, env}, (error, stdout) => {
			if (error) {
				resolve(undefined);
				return;
			}
			const [setClipboard = '', passthrough = ''] = stdout.trim().split(' ');
			resolve({setClipboard, passthrough: passthrough === '1' || passthrough === 'on' || passthrough === 'all'});
		});
	});
}

/** Whether the copy can have arrived, and how (for the status line), or why not. */
export type CopyOutcome = {copied: true; via: string} | {copied: false; why: string};

/**
 * Send `text` to the terminal's clipboard. Inside tmux an application's OSC 52 reaches the outer
 * terminal only with `set-clipboard on` (the default, `external`, drops it) or, wrapped for
 * passthrough, with `allow-passthrough on`: the form tmux lets through is sent, and when neither
 * is on the user is told what to set rather than told it was copied.
 */
export async function copyToClipboard(
	text: string,
	write: (data: string) => void,
	options: {env?: NodeJS.ProcessEnv; askTmux?: typeof tmuxClipboard} = {},
): Promise<CopyOutcome> {
	const env = options.env ?? process.env;
	const sequence = osc52(text);
	if (!env['TMUX']) {
		write(sequence);
		return {copied: true, via: 'OSC 52'};
	}
	const tmux = await (options.askTmux ?? tmuxClipboard)(env);
	if (tmux?.setClipboard === 'on') {
		write(sequence);
		return {copied: true, via: 'OSC 52 through tmux'};
	}
	if (tmux?.passthrough) {
		write(tmuxPassthrough(sequence));
		return {copied: true, via: 'OSC 52, tmux passthrough'};
	}
	return {copied: false, why: 'tmux drops OSC 52 unless "set -g set-clipboard on" (or allow-passthrough on)'};
}
