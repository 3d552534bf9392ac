import {PassThrough, Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {createRequire} from 'node:module';
import type {DockerClient} from './client.js';
import {call} from './containers.js';

// Loaded when a snapshot needs it, not by every command that imports the core (start-up time).
const require = createRequire(import.meta.url);

/** Run a command in a container and expose its stdout as a stream (for tar output). */
export async function execStream(
	docker: DockerClient,
	id: string,
	command: string[],
): Promise<{stdout: Readable; stderr: () => string; exitCode: () => Promise<number>}> {
	const exec = await call(async () => docker.getContainer(id).exec({Cmd: command, AttachStdout: true, AttachStderr: true}));
	const stream = await exec.start({hijack: true, stdin: false});
	const stdout = new PassThrough();
	const stderrStream = new PassThrough();
	const stderrChunks: Buffer[] = [];
	stderrStream.on('data', (chunk: Buffer) => stderrChunks.push(chunk));
	docker.modem.demuxStream(stream, stdout, stderrStream);
	const ended = new Promise<void>((resolve, reject) => {
		stream.on('end', resolve);
		stream.on('close', resolve);
		stream.on('error', reject);
	});
	void ended.then(
		() => stdout.end(),
		(error: unknown) => stdout.destroy(error as Error),
	);
	return {
		stdout,
		stderr: () => Buffer.concat(stderrChunks).toString('utf8'),
		exitCode: async () => {
			await ended;
			return (await exec.inspect()).ExitCode ?? -1;
		},
	};
}

/**
 * Re-root a tar stream: every entry "x" becomes "<prefix>/x", keeping modes and owners (the data
 * directory must stay owned by the server's user). Done here rather than with the image's tar, as
 * busybox tar (alpine images) has no --transform.
 */
export function reroot(source: Readable, prefix: string): Readable {
	const tar = require('tar-stream') as typeof import('tar-stream');
	const extract = tar.extract();
	const pack = tar.pack();
	const base = prefix.replace(/^\/+|\/+$/g, '');
	extract.on('entry', (header, stream, next) => {
		const name = header.name.replace(/^\.\/?/, '');
		const renamed = {...header, name: name === '' ? `${base}/` : `${base}/${name}`};
		if (header.type === 'link' && header.linkname) renamed.linkname = `${base}/${header.linkname.replace(/^\.\//, '')}`;
		const sink = pack.entry(renamed, error => {
			next(error ?? undefined);
		});
		stream.pipe(sink);
	});
	extract.on('finish', () => {
		pack.finalize();
	});
	extract.on('error', (error: Error) => pack.destroy(error));
	source.on('error', (error: Error) => extract.destroy(error));
	source.pipe(extract);
	// tar-stream's streams are streamx ones; hand back a Node stream.
	return Readable.from(pack);
}

export async function putArchive(docker: DockerClient, id: string, archive: Readable, path: string): Promise<void> {
	// putArchive consumes the stream itself; pipeline through a PassThrough so errors surface.
	const body = new PassThrough();
	const upload = docker.getContainer(id).putArchive(body, {path});
	await Promise.all([pipeline(archive, body), upload]);
}

/**
 * The regular files at `path` in a container (a file, or a folder and everything in it), read
 * through the engine's archive API: it works on a stopped container too, where nothing can be
 * run inside. Names are as the engine's tar has them (the folder's own name first). A copy larger
 * than `maxBytes` is refused rather than held in memory.
 */
export async function readFiles(docker: DockerClient, id: string, path: string, maxBytes: number): Promise<Map<string, Buffer>> {
	const archive = (await call(async () => docker.getContainer(id).getArchive({path}))) as Readable;
	const tar = require('tar-stream') as typeof import('tar-stream');
	const extract = tar.extract();
	const files = new Map<string, Buffer>();
	let total = 0;
	extract.on('entry', (header, stream, next) => {
		const chunks: Buffer[] = [];
		// An entry's stream carries Buffers; tar-stream types its data as unknown.
		stream.on('data', (data: unknown) => {
			const chunk = data as Buffer;
			total += chunk.length;
			if (total > maxBytes) {
				extract.destroy(new Error(`${path} holds more than ${maxBytes} bytes`));
				return;
			}
			chunks.push(chunk);
		});
		stream.on('end', () => {
			if (header.type === 'file') files.set(header.name, Buffer.concat(chunks));
			next();
		});
	});
	// tar-stream's extract is a streamx stream: piped, and its own events awaited.
	await new Promise<void>((resolve, reject) => {
		extract.on('finish', resolve);
		extract.on('error', reject);
		archive.on('error', (error: Error) => extract.destroy(error));
		archive.pipe(extract);
	});
	return files;
}
