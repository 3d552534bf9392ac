import {once} from 'node:events';
import type {Duplex, Readable} from 'node:stream';
import type {DockerClient} from './client.js';
import {call} from './containers.js';

/** The size of a terminal, as the engine's resize call takes it. */
export type TerminalSize = {columns: number; rows: number};

/**
 * Where an attached exec's bytes come from and go. With `tty` the engine gives the process a
 * pseudo-terminal and sends one raw stream (what a terminal shows); without it stdout and stderr
 * come multiplexed and are split here.
 */
export type ExecIo = {
	tty: boolean;
	/** Copied to the process's stdin; its end closes that stdin (a script piped in ends). Left out: no stdin. */
	stdin?: Readable;
	stdout: NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
	/** The terminal's size at the start (tty only). */
	size?: TerminalSize;
	/** Subscribe to the terminal's size changes (tty only); returns the unsubscribe. */
	onResize?: (listener: (size: TerminalSize) => void) => () => void;
	/** Aborting ends the session: the connection is closed, so the process loses its stdin and output. */
	signal?: AbortSignal;
};

/** Write without outrunning a slow reader: a dump of gigabytes must not pile up in memory. */
async function writeAll(target: NodeJS.WritableStream, chunk: Buffer): Promise<void> {
	if (chunk.length === 0) return;
	if (!target.write(chunk)) await once(target as unknown as NodeJS.EventEmitter, 'drain');
}

/**
 * Split the engine's multiplexed stream (an 8-byte header per frame: the stream, 0 0 0, the
 * length) into stdout and stderr. docker-modem's own demuxStream concatenates every chunk onto
 * what is left and ignores backpressure, which costs memory and time on a large dump.
 */
export async function demultiplex(source: AsyncIterable<Buffer>, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<void> {
	let header = Buffer.alloc(0);
	let remaining = 0;
	let target: NodeJS.WritableStream = stdout;
	for await (const data of source) {
		let chunk = data;
		while (chunk.length > 0) {
			if (remaining > 0) {
				const part = chunk.subarray(0, remaining);
				remaining -= part.length;
				chunk = chunk.subarray(part.length);
				await writeAll(target, part);
				continue;
			}
			const needed = 8 - header.length;
			header = Buffer.concat([header, chunk.subarray(0, needed)]);
			chunk = chunk.subarray(needed);
			if (header.length < 8) break;
			// 0 would be stdin echoed back, which an exec never sends; treat anything but stderr as stdout.
			target = header[0] === 2 ? stderr : stdout;
			remaining = header.readUInt32BE(4);
			header = Buffer.alloc(0);
		}
	}
}

/** Copy `input` into the connection, pausing it while the engine is behind; its end half-closes the connection. */
function feed(input: Readable, connection: Duplex): () => void {
	const onData = (chunk: Buffer | string) => {
		if (!connection.write(chunk)) {
			input.pause();
			connection.once('drain', () => input.resume());
		}
	};
	// Half-close: the engine then closes the process's stdin, as the docker CLI's CloseWrite does,
	// and keeps sending its output until it exits.
	const onEnd = () => connection.end();
	input.on('data', onData);
	input.once('end', onEnd);
	input.resume();
	return () => {
		input.off('data', onData);
		input.off('end', onEnd);
		input.pause();
	};
}

/** The engine records the exit code a moment after the stream ends; ask until it has. */
async function exitCodeOf(inspect: () => Promise<{Running?: boolean; ExitCode?: number | null}>): Promise<number> {
	for (let attempt = 0; ; attempt++) {
		const info = await inspect();
		if (!info.Running || attempt >= 50) return info.ExitCode ?? -1;
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

/**
 * Run a command in a running container attached to the caller's streams, through the engine API
 * (the hijacked connection of POST /exec/{id}/start), and resolve with its exit code. With a TTY
 * the engine is told the terminal's size at the start and at every change. The caller owns its
 * terminal (raw mode); this only moves bytes.
 */
export async function attachExec(docker: DockerClient, id: string, command: string[], env: string[], io: ExecIo): Promise<number> {
	const exec = await call(async () =>
		docker.getContainer(id).exec({
			Cmd: command,
			AttachStdin: io.stdin !== undefined,
			AttachStdout: true,
			AttachStderr: true,
			Tty: io.tty,
			...(env.length > 0 ? {Env: env} : {}),
		}),
	);
	const connection = (await exec.start({hijack: true, stdin: io.stdin !== undefined, Tty: io.tty})) as Duplex;
	const resize = (size: TerminalSize) => {
		// A resize racing the end of the process is refused by the engine; nothing to do about it.
		if (size.columns > 0 && size.rows > 0) exec.resize({h: size.rows, w: size.columns}).catch(() => undefined);
	};
	const stopResizing = io.tty && io.onResize ? io.onResize(resize) : undefined;
	if (io.tty && io.size) resize(io.size);
	const stopFeeding = io.stdin ? feed(io.stdin, connection) : undefined;
	const onAbort = () => connection.destroy();
	io.signal?.addEventListener('abort', onAbort, {once: true});
	try {
		const ended = io.tty ? copyRaw(connection, io.stdout) : demultiplex(connection, io.stdout, io.stderr);
		// A connection destroyed by an abort ends the iteration with an error; that end is the one asked for.
		await ended.catch((error: unknown) => {
			if (!io.signal?.aborted) throw error;
		});
	} finally {
		io.signal?.removeEventListener('abort', onAbort);
		stopFeeding?.();
		stopResizing?.();
		connection.destroy();
	}
	return exitCodeOf(async () => exec.inspect());
}

async function copyRaw(source: AsyncIterable<Buffer>, target: NodeJS.WritableStream): Promise<void> {
	for await (const chunk of source) await writeAll(target, chunk);
}
