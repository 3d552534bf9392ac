import type {ExecIo, TerminalSize} from '../core/database-client.js';

/** The process's own terminal; tests hand in pseudo-terminals of their own. */
export type TerminalStreams = {
	stdin: NodeJS.ReadStream;
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
};

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
	return {columns: stdout.columns, rows: stdout.rows};
}

/**
 * Lend the terminal to a program in a container: raw mode, so every key (Ctrl-C, arrows, Tab)
 * goes to it rather than to us, and its size now and at every SIGWINCH (Node reports that as
 * stdout's 'resize'). The terminal's mode is restored and stdin paused whatever happens, so the
 * caller (the command line, or the dashboard taking the screen back) finds it as it was.
 */
export async function lendTerminal(streams: TerminalStreams, run: (io: ExecIo) => Promise<number>, signal?: AbortSignal): Promise<number> {
	const {stdin, stdout, stderr} = streams;
	const wasRaw = stdin.isRaw;
	stdin.setRawMode(true);
	try {
		return await run({
			tty: true,
			stdin,
			stdout,
			stderr,
			size: sizeOf(stdout),
			onResize(listener) {
				const onResize = () => listener(sizeOf(stdout));
				stdout.on('resize', onResize);
				return () => stdout.off('resize', onResize);
			},
			...(signal ? {signal} : {}),
		});
	} finally {
		stdin.setRawMode(wasRaw);
		stdin.pause();
	}
}
