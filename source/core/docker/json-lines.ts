import {finished} from 'node:stream';

/**
 * The engine's streaming endpoints (events, stats, logs) deliver newline-terminated records, but
 * the transport cuts them anywhere: one chunk can hold several records or a third of one. These
 * helpers reassemble them, and are pure so they can be tested with hand-cut chunks.
 */
export type LineSplitter = {
	push(chunk: Buffer | string): void;
	/** Emits a last line that had no newline, e.g. when the stream ends. */
	flush(): void;
};

const newline = 0x0a;

export function createLineSplitter(onLine: (line: string) => void): LineSplitter {
	// Pieces of the current unfinished line, kept as bytes: decoding a chunk on its own would
	// garble a multi-byte character cut in two, and concatenating on every push would make a
	// long line arriving in many chunks quadratic.
	let pending: Buffer[] = [];

	const emit = (bytes: Buffer) => {
		const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
		onLine(bytes.toString('utf8', 0, end));
	};

	return {
		push(chunk) {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
			let start = 0;
			for (;;) {
				const index = bytes.indexOf(newline, start);
				if (index === -1) {
					if (start < bytes.length) pending.push(bytes.subarray(start));
					return;
				}

				const piece = bytes.subarray(start, index);
				if (pending.length > 0) {
					pending.push(piece);
					const line = Buffer.concat(pending);
					pending = [];
					emit(line);
				} else {
					emit(piece);
				}

				start = index + 1;
			}
		},
		flush() {
			if (pending.length === 0) return;
			const line = Buffer.concat(pending);
			pending = [];
			emit(line);
		},
	};
}

/**
 * Splits a stream of newline-delimited JSON into parsed values. Blank lines are skipped; a line
 * that is not JSON is reported to `onMalformed` (if given) and skipped, so one bad record cannot
 * end a feed that will run for hours.
 */
export function createJsonLineSplitter(onObject: (value: unknown) => void, onMalformed?: (line: string, error: unknown) => void): LineSplitter {
	return createLineSplitter(line => {
		if (line.trim() === '') return;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch (error) {
			onMalformed?.(line, error);
			return;
		}

		onObject(value);
	});
}

/** A response stream as dockerode hands it over: an http.IncomingMessage, typed loosely. */
export type DockerStream = NodeJS.ReadableStream & {destroy?: (error?: Error) => void};

/**
 * Feeds a stream's chunks to `onChunk` and calls `onDone` exactly once when it ends, errors or is
 * cut off (the engine going away surfaces as a premature close, not always as an error).
 * Returns a function that destroys the stream without calling `onDone`: whoever stops a feed
 * already knows it has stopped.
 */
export function consumeStream(stream: DockerStream, onChunk: (chunk: Buffer | string) => void, onDone: (error?: Error) => void): () => void {
	let done = false;
	const finish = (error?: Error | null) => {
		if (done) return;
		done = true;
		onDone(error ?? undefined);
	};

	stream.on('data', onChunk);
	// writable: false so a duplex stream (as in tests) counts as finished when its reading side
	// ends. finished() also keeps an 'error' listener attached, so a late error cannot crash us.
	finished(stream, {writable: false}, finish);

	return () => {
		done = true;
		stream.removeListener('data', onChunk);
		stream.destroy?.();
	};
}
