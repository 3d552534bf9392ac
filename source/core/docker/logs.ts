import type Docker from 'dockerode';
import {engineKind} from './engine-kind.js';
import {consumeStream, createLineSplitter, type DockerStream} from './json-lines.js';

export type StreamName = 'stdout' | 'stderr';

/**
 * Splits the engine's multiplexed log stream (non-TTY containers) into frames: an 8-byte header
 * (stream type, three zero bytes, payload length big-endian) and the payload. Headers and
 * payloads arrive cut at any byte. If a header is not a valid one, the stream was not
 * multiplexed after all (a TTY container we misjudged), and everything from there on is passed
 * through as stdout rather than dropped.
 */
export function createDemuxer(onFrame: (stream: StreamName, payload: Buffer) => void): {push(chunk: Buffer): void} {
	let buffer: Buffer = Buffer.alloc(0);
	let raw = false;

	return {
		push(chunk) {
			if (raw) {
				if (chunk.length > 0) onFrame('stdout', chunk);
				return;
			}

			buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
			while (buffer.length >= 8) {
				const type = buffer[0];
				if ((type !== 0 && type !== 1 && type !== 2) || buffer[1] !== 0 || buffer[2] !== 0 || buffer[3] !== 0) {
					raw = true;
					onFrame('stdout', buffer);
					buffer = Buffer.alloc(0);
					return;
				}

				const length = buffer.readUInt32BE(4);
				if (buffer.length < 8 + length) return;
				// Type 0 (stdin) is only echoed input; show it with stdout like the docker CLI does.
				if (length > 0) onFrame(type === 2 ? 'stderr' : 'stdout', buffer.subarray(8, 8 + length));
				buffer = buffer.subarray(8 + length);
			}
		},
	};
}

/**
 * Turns raw log bytes into lines per stream. Each stream gets its own splitter because frames of
 * stdout and stderr interleave, and a line may be cut across frames of its own stream.
 */
export function createLogDecoder(tty: boolean, onLine: (line: string, stream: StreamName) => void): {push(chunk: Buffer): void; flush(): void} {
	const stdout = createLineSplitter(line => {
		onLine(line, 'stdout');
	});
	const stderr = createLineSplitter(line => {
		onLine(line, 'stderr');
	});
	// A TTY merges both streams into one unframed byte stream.
	const demuxer = tty
		? undefined
		: createDemuxer((stream, payload) => {
				(stream === 'stderr' ? stderr : stdout).push(payload);
			});

	return {
		push(chunk) {
			if (demuxer) demuxer.push(chunk);
			else stdout.push(chunk);
		},
		flush() {
			stdout.flush();
			stderr.flush();
		},
	};
}

export type ReadLogsOptions = {
	/** Only the last this many lines (per the engine's count); all when left out. */
	tail?: number;
};

async function isTty(docker: Docker, id: string): Promise<boolean> {
	const info = await docker.getContainer(id).inspect();
	return info.Config.Tty;
}

const toError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

type LogQuery = {tail?: number; since?: string; timestamps?: boolean};

/**
 * One read of the logs so far. `complete` counts the lines that ended with a newline: a last line
 * still being written is in `lines` too, as the user should see it, but a follow sees it later.
 */
async function collectLogs(docker: Docker, id: string, tty: boolean, query: LogQuery): Promise<{lines: string[]; complete: number}> {
	// Asked for as a stream rather than through container.logs(): for a non-streamed answer
	// docker-modem tries JSON.parse on the whole body, so a TTY container whose output happens to
	// be one JSON value would come back as an object instead of its bytes.
	const stream = await new Promise<DockerStream>((resolve, reject) => {
		docker.modem.dial(
			{
				path: `/containers/${encodeURIComponent(id)}/logs?`,
				method: 'GET',
				isStream: true,
				statusCodes: {200: true, 404: 'no such container', 500: 'server error'},
				options: {
					stdout: true,
					stderr: true,
					follow: false,
					tail: query.tail ?? 'all',
					...(query.since === undefined ? {} : {since: query.since}),
					...(query.timestamps ? {timestamps: true} : {}),
				},
			},
			(error, result) => {
				if (error) reject(error);
				// isStream: true makes the result the response stream.
				else resolve(result as DockerStream);
			},
		);
	});

	const lines: string[] = [];
	const decoder = createLogDecoder(tty, line => {
		lines.push(line);
	});
	return new Promise((resolve, reject) => {
		consumeStream(
			stream,
			chunk => {
				decoder.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
			},
			error => {
				if (error) {
					reject(error);
					return;
				}

				const complete = lines.length;
				decoder.flush();
				resolve({lines, complete});
			},
		);
	});
}

/**
 * Podman (4.3 here, before 4.7) garbles a tail: it reads its log file backwards for one and
 * misplaces the pieces of a line the container wrote in several writes, which it records apart
 * (podman#19545, fixed by podman#19562). Seen with MariaDB's "Aborted connection" warnings: a line
 * joined to the one before it, and another cut in two. Read forwards, the same log is right. So on
 * Podman a tail is read forwards from a second before the first line the garbled tail has (its
 * timestamps are whole seconds), keeping the last lines ourselves. undefined: the log is empty.
 */
async function podmanTailSince(docker: Docker, id: string, tail: number): Promise<string | undefined> {
	const {lines} = await collectLogs(docker, id, false, {tail, timestamps: true});
	if (lines.length === 0) return undefined;
	// Every line starts with its first piece's timestamp; the earliest is where the tail starts.
	const times = lines.map(line => Date.parse(line.slice(0, line.indexOf(' ')))).filter(time => !Number.isNaN(time));
	return times.length === 0 ? '0' : String(Math.floor(Math.min(...times) / 1000) - 1);
}

/** Whether a tail must be read the long way round (podmanTailSince). */
async function tailIsGarbled(docker: Docker, tty: boolean, tail: number | undefined): Promise<boolean> {
	return !tty && tail !== undefined && tail > 0 && (await engineKind(docker)) === 'podman';
}

/** The logs so far, stdout and stderr together in the order the engine recorded them. */
export async function readLogs(docker: Docker, id: string, options: ReadLogsOptions = {}): Promise<string[]> {
	const tty = await isTty(docker, id);
	const {tail} = options;
	if (tail !== undefined && (await tailIsGarbled(docker, tty, tail))) {
		const since = await podmanTailSince(docker, id, tail);
		if (since === undefined) return [];
		return (await collectLogs(docker, id, tty, {since})).lines.slice(-tail);
	}
	return (await collectLogs(docker, id, tty, tail === undefined ? {} : {tail})).lines;
}

export type FollowLogsOptions = ReadLogsOptions & {
	/** Prefix every line with the engine's RFC 3339 timestamp and a space. */
	timestamps?: boolean;
	/** Only lines from this moment on (Unix seconds, with up to 9 decimals), as the engine filters. */
	since?: string;
	onLine: (line: string, stream: StreamName) => void;
	/** Called once when the stream ends by itself (the container stopped) or fails; not after stop(). */
	onEnd?: (error?: Error) => void;
};

/** Follows a container's logs from `tail` lines back, line by line, until stop(). */
export function followLogs(docker: Docker, id: string, options: FollowLogsOptions): {stop(): void} {
	const {tail, onLine, onEnd, timestamps, since} = options;
	const abort = new AbortController();
	let stopped = false;
	let destroy: (() => void) | undefined;

	const end = (error?: Error) => {
		if (stopped) return;
		stopped = true;
		onEnd?.(error);
	};

	const start = async () => {
		const tty = await isTty(docker, id);
		if (stopped) return;
		// On Podman a tail is read forwards from where it starts (podmanTailSince): the follow begins
		// there too, and the lines before the tail are passed over.
		let query: {tail?: number; since?: string} = {...(tail === undefined ? {} : {tail}), ...(since === undefined ? {} : {since})};
		let passOver = 0;
		if (since === undefined && !timestamps && (await tailIsGarbled(docker, tty, tail))) {
			const from = await podmanTailSince(docker, id, tail!);
			// An empty log a moment ago: all there is now is new.
			query = from === undefined ? {} : {since: from};
			if (from !== undefined) passOver = Math.max(0, (await collectLogs(docker, id, tty, {since: from})).complete - tail!);
			if (stopped) return;
		}
		const stream: DockerStream = await docker.getContainer(id).logs({
			follow: true,
			stdout: true,
			stderr: true,
			// Left out rather than sent empty: docker-modem would put `tail=` in the URL.
			...query,
			...(timestamps ? {timestamps: true} : {}),
			// Lets stop() cancel the request while the engine has not answered yet.
			abortSignal: abort.signal,
		});
		if (stopped) {
			stream.destroy?.();
			return;
		}

		const decoder = createLogDecoder(tty, (line, name) => {
			if (passOver > 0) {
				passOver--;
				return;
			}
			if (!stopped) onLine(line, name);
		});
		destroy = consumeStream(
			stream,
			chunk => {
				decoder.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
			},
			error => {
				// A last line without a newline is still a line the user should see.
				if (!error) decoder.flush();
				end(error);
			},
		);
	};

	start().catch((error: unknown) => {
		end(toError(error));
	});

	return {
		stop() {
			if (stopped) return;
			stopped = true;
			abort.abort();
			destroy?.();
		},
	};
}
