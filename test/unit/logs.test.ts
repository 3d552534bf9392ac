import {PassThrough} from 'node:stream';
import type Docker from 'dockerode';
import {describe, expect, it, vi} from 'vitest';
import {createDemuxer, createLogDecoder, followLogs, type StreamName} from '../../source/core/docker/logs.js';
import {sinceOf, splitLogStamp} from '../../source/core/log-stream.js';

/** One frame as the engine writes it: type, three zero bytes, big-endian length, payload. */
function frame(type: 1 | 2, text: string): Buffer {
	const payload = Buffer.from(text, 'utf8');
	const header = Buffer.alloc(8);
	header.writeUInt8(type, 0);
	header.writeUInt32BE(payload.length, 4);
	return Buffer.concat([header, payload]);
}

/** Cuts a buffer at the given offsets. */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
	const pieces: Buffer[] = [];
	let start = 0;
	for (const offset of [...offsets, bytes.length]) {
		pieces.push(bytes.subarray(start, offset));
		start = offset;
	}

	return pieces;
}

describe('createDemuxer', () => {
	const bytes = Buffer.concat([frame(1, 'hello\n'), frame(2, 'oops\n'), frame(1, 'wörld\n')]);
	const expected = [
		['stdout', 'hello\n'],
		['stderr', 'oops\n'],
		['stdout', 'wörld\n'],
	];

	it.each([
		['whole', []],
		['inside the first header', [3]],
		['right after a header', [8]],
		['inside a payload and the next header', [10, 17]],
		['a byte at a time', Array.from({length: bytes.length - 1}, (_, index) => index + 1)],
	])('splits frames cut %s', (_, offsets) => {
		const frames: Array<[StreamName, string]> = [];
		const demuxer = createDemuxer((stream, payload) => frames.push([stream, payload.toString('utf8')]));
		for (const piece of cut(bytes, offsets)) demuxer.push(piece);
		// Exactly three entries: a payload must come out whole, however the bytes were cut.
		expect(frames).toEqual(expected);
	});

	it('passes everything through as stdout when the bytes are not multiplexed', () => {
		const chunks: Array<[StreamName, string]> = [];
		const demuxer = createDemuxer((stream, payload) => chunks.push([stream, payload.toString()]));
		demuxer.push(Buffer.from('plain tty output\n'));
		demuxer.push(Buffer.from('more\n'));
		expect(chunks).toEqual([
			['stdout', 'plain tty output\n'],
			['stdout', 'more\n'],
		]);
	});
});

describe('createLogDecoder', () => {
	it('joins a line cut across frames of its own stream while the other stream interleaves', () => {
		const lines: Array<[string, StreamName]> = [];
		const decoder = createLogDecoder(false, (line, stream) => lines.push([line, stream]));
		const bytes = Buffer.concat([frame(1, 'line 1\nline '), frame(2, 'err 1\n'), frame(1, '2\nline 3'), frame(2, 'err 2\r\n')]);
		for (const piece of cut(bytes, [5, 13, 30, 31])) decoder.push(piece);
		expect(lines).toEqual([
			['line 1', 'stdout'],
			['err 1', 'stderr'],
			['line 2', 'stdout'],
			['err 2', 'stderr'],
		]);
		decoder.flush();
		expect(lines.at(-1)).toEqual(['line 3', 'stdout']);
	});

	it("reads a TTY container's bytes as one raw stream", () => {
		const lines: Array<[string, StreamName]> = [];
		const decoder = createLogDecoder(true, (line, stream) => lines.push([line, stream]));
		// \x01 first: would look like a stdout header to a demuxer.
		decoder.push(Buffer.from('\x01\x00\x00\x00ab'));
		decoder.push(Buffer.from('c\r\nnext\n'));
		expect(lines).toEqual([
			['\x01\x00\x00\x00abc', 'stdout'],
			['next', 'stdout'],
		]);
	});
});

describe('followLogs', () => {
	function fakeDocker(stream: PassThrough, tty: boolean) {
		const logs = vi.fn(async (_options: Docker.ContainerLogsOptions) => stream);
		// Only inspect() and logs() of getContainer() are used.
		const docker = {getContainer: () => ({inspect: async () => ({Config: {Tty: tty}}), logs})} as unknown as Docker;
		return {docker, logs};
	}

	it('follows with the requested tail, emits lines across chunks and the last partial line at the end', async () => {
		const stream = new PassThrough();
		const {docker, logs} = fakeDocker(stream, false);
		const lines: Array<[string, StreamName]> = [];
		const onEnd = vi.fn();
		followLogs(docker, 'abc', {tail: 5, onLine: (line, name) => lines.push([line, name]), onEnd});
		await vi.waitFor(() => {
			expect(logs).toHaveBeenCalled();
		});
		expect(logs.mock.calls[0]).toMatchObject([{follow: true, stdout: true, stderr: true, tail: 5}]);

		const bytes = Buffer.concat([frame(1, 'a\nb'), frame(2, 'x\n'), frame(1, 'c\nd')]);
		stream.write(bytes.subarray(0, 11));
		stream.write(bytes.subarray(11));
		await vi.waitFor(() => {
			expect(lines).toEqual([
				['a', 'stdout'],
				['x', 'stderr'],
				['bc', 'stdout'],
			]);
		});
		stream.end();
		await vi.waitFor(() => {
			expect(onEnd).toHaveBeenCalledWith(undefined);
		});
		expect(lines.at(-1)).toEqual(['d', 'stdout']);
	});

	it('leaves tail out of the request when not given, and stop() destroys the stream quietly', async () => {
		const stream = new PassThrough();
		const {docker, logs} = fakeDocker(stream, true);
		const onLine = vi.fn();
		const onEnd = vi.fn();
		const follower = followLogs(docker, 'abc', {onLine, onEnd});
		await vi.waitFor(() => {
			expect(stream.listenerCount('data')).toBe(1);
		});
		expect(logs.mock.calls[0]?.[0]).not.toHaveProperty('tail');
		follower.stop();
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		expect(stream.destroyed).toBe(true);
		expect(stream.listenerCount('data')).toBe(0);
		expect(onLine).not.toHaveBeenCalled();
		expect(onEnd).not.toHaveBeenCalled();
	});
});

describe('log timestamps, for resuming a follow where it stopped', () => {
	it('reads the engine prefix into a time that sorts in time order, whatever its precision', () => {
		const a = splitLogStamp('2026-11-28T03:59:00.5Z first');
		const b = splitLogStamp('2026-11-28T03:59:00.123456789Z second');
		const c = splitLogStamp('2026-11-28T03:59:01Z third');
		expect(a.line).toBe('first');
		expect(b.time! < a.time!).toBe(true);
		expect(a.time! < c.time!).toBe(true);
		expect(sinceOf(b.time!)).toBe(`${Date.parse('2026-11-28T03:59:00Z') / 1000}.123456789`);
		expect(splitLogStamp('no stamp here')).toEqual({line: 'no stamp here'});
	});
});
