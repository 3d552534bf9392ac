import {PassThrough} from 'node:stream';
import {describe, expect, it, vi} from 'vitest';
import {consumeStream, createJsonLineSplitter, createLineSplitter} from '../../source/core/docker/json-lines.js';

describe('createJsonLineSplitter', () => {
	it('emits every object when one chunk holds several', () => {
		const objects: unknown[] = [];
		const splitter = createJsonLineSplitter(value => objects.push(value));
		splitter.push('{"a":1}\n{"b":2}\n{"c":3}\n');
		expect(objects).toEqual([{a: 1}, {b: 2}, {c: 3}]);
	});

	it('reassembles one object split across three chunks', () => {
		const objects: unknown[] = [];
		const splitter = createJsonLineSplitter(value => objects.push(value));
		splitter.push(Buffer.from('{"status":"st'));
		splitter.push(Buffer.from('art","id":"ab'));
		expect(objects).toEqual([]);
		splitter.push(Buffer.from('c"}\n{"next"'));
		expect(objects).toEqual([{status: 'start', id: 'abc'}]);
		splitter.push(':true}\n');
		expect(objects).toEqual([{status: 'start', id: 'abc'}, {next: true}]);
	});

	it('skips malformed and blank lines, reports the malformed ones, and keeps going', () => {
		const objects: unknown[] = [];
		const malformed: string[] = [];
		const splitter = createJsonLineSplitter(
			value => objects.push(value),
			line => malformed.push(line),
		);
		splitter.push('{"a":1}\nnot json\n\n  \n{"b":\n{"c":3}\r\n');
		expect(objects).toEqual([{a: 1}, {c: 3}]);
		expect(malformed).toEqual(['not json', '{"b":']);
	});

	it('parses a last line without a newline only on flush', () => {
		const objects: unknown[] = [];
		const splitter = createJsonLineSplitter(value => objects.push(value));
		splitter.push('{"a":1}');
		expect(objects).toEqual([]);
		splitter.flush();
		expect(objects).toEqual([{a: 1}]);
	});
});

describe('createLineSplitter', () => {
	it('keeps a multi-byte character that is cut between chunks intact', () => {
		const lines: string[] = [];
		const splitter = createLineSplitter(line => lines.push(line));
		const bytes = Buffer.from('grüße\nok\n');
		// Cut inside the two-byte ü.
		splitter.push(bytes.subarray(0, 3));
		splitter.push(bytes.subarray(3));
		expect(lines).toEqual(['grüße', 'ok']);
	});

	it('keeps empty lines', () => {
		const lines: string[] = [];
		const splitter = createLineSplitter(line => lines.push(line));
		splitter.push('a\n\nb\n');
		expect(lines).toEqual(['a', '', 'b']);
	});
});

describe('consumeStream', () => {
	it('calls onDone once on end, with no error', async () => {
		const stream = new PassThrough();
		const chunks: string[] = [];
		const done = new Promise<Error | undefined>(resolve => {
			consumeStream(stream, chunk => chunks.push(chunk.toString()), resolve);
		});
		stream.write('x');
		stream.end('y');
		await expect(done).resolves.toBeUndefined();
		expect(chunks.join('')).toBe('xy');
	});

	it('reports an error that ends the stream', async () => {
		const stream = new PassThrough();
		const done = new Promise<Error | undefined>(resolve => {
			consumeStream(stream, () => undefined, resolve);
		});
		stream.destroy(new Error('socket hang up'));
		await expect(done).resolves.toMatchObject({message: 'socket hang up'});
	});

	it('destroys the stream without calling onDone when the caller stops it', async () => {
		const stream = new PassThrough();
		const onDone = vi.fn();
		const destroy = consumeStream(stream, () => undefined, onDone);
		destroy();
		await new Promise(resolve => {
			stream.once('close', resolve);
		});
		// finished() reports on the tick after 'close'; give it that chance to misbehave.
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		expect(stream.destroyed).toBe(true);
		expect(onDone).not.toHaveBeenCalled();
	});
});
