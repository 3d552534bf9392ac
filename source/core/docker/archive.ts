import {PassThrough, Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {createRequire} from 'node:module';
import type {DockerClient} from './client.js';
import {call} from './containers.js';

// Loaded when a snapshot needs it, not by every command that imports the core (start-up time).
const require = createRequire(import.meta.url);

/**
 * A container's directory as a tar stream, read by the engine itself (GET /containers/{id}/archive):
 * no tool inside the image is needed (the official mysql images have no tar), and it works while
 * the container is paused, as the engine reads the files, not a process in the container. It sees
 * the container's layer, volumes and bind mounts, but not the contents of tmpfs mounts. Entries are
 * named after the directory's basename: "data/", "data/base/1", …
 */
export async function readArchive(docker: DockerClient, id: string, path: string): Promise<Readable> {
	// dockerode types the body as a NodeJS.ReadableStream; it is the HTTP response, a Readable.
	return (await call(async () => docker.getContainer(id).getArchive({path}))) as Readable;
}

/**
 * Re-root a tar stream: the entry "from" becomes "<to>/" and every "from/x" becomes "<to>/x",
 * keeping modes and owners (the data directory must stay owned by the server's user, with its
 * mode). "from" is the archive's top entry: the basename of the path the engine was asked for.
 * Done here, as the engine cannot rename while copying. An entry outside "from" fails the
 * stream: it would land somewhere nobody asked for.
 */
export function reroot(source: Readable, from: string, to: string): Readable {
	const tar = require('tar-stream') as typeof import('tar-stream');
	const extract = tar.extract();
	const pack = tar.pack();
	const top = from.replace(/\/+$/, '');
	const base = to.replace(/^\/+|\/+$/g, '');
	const rename = (name: string): string | undefined => {
		if (name === top || name === `${top}/`) return `${base}/`;
		if (name.startsWith(`${top}/`)) return `${base}/${name.slice(top.length + 1)}`;
		// Podman (4.3) names the entries of a paused container's archive from the directory itself:
		// "/", "/PG_VERSION", … instead of "data/", "data/PG_VERSION", ….
		if (name === '/') return `${base}/`;
		return name.startsWith('/') && !name.startsWith('//') ? `${base}/${name.slice(1)}` : undefined;
	};
	extract.on('entry', (header, stream, next) => {
		const name = rename(header.name);
		const linkname = header.type === 'link' && header.linkname ? rename(header.linkname) : undefined;
		if (name === undefined || (header.type === 'link' && linkname === undefined)) {
			const error = new Error(`Unexpected entry "${header.name}" in an archive of "${from}".`);
			pack.destroy(error);
			source.destroy(error);
			return;
		}
		const renamed = {...header, name, ...(linkname === undefined ? {} : {linkname})};
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

/** One regular file read from a container: its name as the engine's tar has it, its mode and bytes. */
type ReadEntry = {name: string; mode: number; content: Buffer};

/**
 * The regular files at `path` in a container (a file, or a folder and everything in it), read
 * through the engine's archive API: it works on a stopped container too, where nothing can be
 * run inside. Names are as the engine's tar has them (the folder's own name first). A copy larger
 * than `maxBytes` is refused rather than held in memory.
 */
async function readEntries(docker: DockerClient, id: string, path: string, maxBytes: number): Promise<ReadEntry[]> {
	const archive = (await call(async () => docker.getContainer(id).getArchive({path}))) as Readable;
	const tar = require('tar-stream') as typeof import('tar-stream');
	const extract = tar.extract();
	const files: ReadEntry[] = [];
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
			if (header.type === 'file') files.push({name: header.name, mode: (header.mode ?? 0o644) & 0o7777, content: Buffer.concat(chunks)});
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

/** The regular files at `path` (a file, or a folder and everything in it) by their tar names. */
export async function readFiles(docker: DockerClient, id: string, path: string, maxBytes: number): Promise<Map<string, Buffer>> {
	return new Map((await readEntries(docker, id, path, maxBytes)).map(file => [file.name, file.content]));
}

/** A file to write into a container (or read back from one): its name in the folder, mode and bytes. */
export type FileEntry = {name: string; mode: number; content: Buffer};

/**
 * Write files into a folder of a container through the engine's archive API (PUT
 * /containers/{id}/archive). It works on a container that is created but not started, so the files
 * are there before its entrypoint runs; nothing inside the image is needed. The folder is made if
 * the image lacks it, owned by root like the images' own /docker-entrypoint-initdb.d.
 */
export async function writeFiles(docker: DockerClient, id: string, folder: string, files: readonly FileEntry[]): Promise<void> {
	const tar = require('tar-stream') as typeof import('tar-stream');
	const pack = tar.pack();
	const base = folder.replace(/^\/+|\/+$/g, '');
	pack.entry({name: `${base}/`, type: 'directory', mode: 0o755, uid: 0, gid: 0});
	for (const file of files) pack.entry({name: `${base}/${file.name}`, mode: file.mode, uid: 0, gid: 0, size: file.content.length}, file.content);
	pack.finalize();
	// Whole in memory (init files are read whole anyway), so a retried request sends it again.
	const chunks: Buffer[] = [];
	for await (const chunk of pack) chunks.push(chunk as Buffer);
	const body = Buffer.concat(chunks);
	await call(async () => docker.getContainer(id).putArchive(body, {path: '/'}));
}

/**
 * The regular files directly in a container's folder, with their modes, read through the
 * engine's archive API (also from a stopped container). Sub-folders are left out; a copy larger
 * than `maxBytes` is refused rather than held in memory.
 */
export async function readFolderFiles(docker: DockerClient, id: string, folder: string, maxBytes: number): Promise<FileEntry[]> {
	// Entries are "<folder's name>/<file>"; only files right in the folder count.
	return (await readEntries(docker, id, folder, maxBytes)).flatMap(file => {
		const parts = file.name.split('/').filter(Boolean);
		return parts.length === 2 ? [{...file, name: parts[1]!}] : [];
	});
}
