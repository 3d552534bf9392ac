import {createHash} from 'node:crypto';
import {readdirSync, readFileSync, statSync, type Stats} from 'node:fs';
import path from 'node:path';
import {UsageError} from '../errors.js';
import {zlib} from '../lazy-builtins.js';
import type {Preset} from '../presets/preset.js';

/**
 * Seed data: the init files a create runs at the database's first start. They go where the
 * official images run them (`/docker-entrypoint-initdb.d`, by the superuser, before the server
 * takes TCP connections), so they behave as they do under compose, and dbarena's host login
 * succeeds only after the last one.
 *
 * The files are read here, on the host, once; what goes into the container is fixed then:
 * numbered names that keep the order the user gave, `.sql.gz` already decompressed (psql then
 * names the file in its errors, and images without gzip support work), and a small shell
 * wrapper beside each PostgreSQL custom-format dump (the entrypoints run only .sql and .sh).
 */
export const initFolder = '/docker-entrypoint-initdb.d';

/** One file in the container's init folder. */
export type SeedEntry = {name: string; mode: number; content: Buffer};

export type Seed = {
	/** sha256 of the entries (names, modes, bytes): the same seed always gives the same hash. */
	hash: string;
	entries: SeedEntry[];
	/** Entry name -> the path the user gave for it, for messages; absent when read back from a container. */
	origins: Record<string, string>;
};

/** A seed as JSON (the background template build gets it on its stdin; a reset reads it back). */
export type SeedPayload = {entries: Array<{name: string; mode: number; base64: string}>; origins?: Record<string, string>};

/** Above this the files would sit in memory (and in the template build's pipe) for no good reason. */
export const maxSeedBytes = 256 * 1024 * 1024;

const dumpMagic = Buffer.from('PGDMP');

type Kind = 'sql' | 'sql.gz' | 'sh' | 'pg-dump';
/** A file in a folder that nothing runs (a CSV a script loads, a README): copied as it is, under its own name. */
type Listed = {shown: string; full: string; kind: Kind | 'data'; content: Buffer};

const usage = (message: string) => new UsageError(message, 'invalid_init');

/** What a file is, by its first bytes (a custom-format dump) and then by its name, as the entrypoints decide. */
export function fileKind(name: string, head: Buffer): Kind | undefined {
	if (head.subarray(0, dumpMagic.length).equals(dumpMagic)) return 'pg-dump';
	if (name.endsWith('.sql.gz')) return 'sql.gz';
	if (name.endsWith('.sql')) return 'sql';
	if (name.endsWith('.sh')) return 'sh';
	return undefined;
}

/** Byte order, as the entrypoints' shell glob sorts in the C locale the images run in. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** A name the shell glob, a tar entry and a label can all carry as is. */
const safeName = (name: string) => name.replace(/[^\w.-]/g, '_');

/** The user's paths as the files to run, in order: each path in turn, a folder's files in lexical order. */
function listFiles(paths: readonly string[], cwd: string): Listed[] {
	const files: Listed[] = [];
	let total = 0;
	const read = (shown: string, full: string): Buffer => {
		// The official images also run these, in the glob's order, not in ours; Node reads only gzip.
		if (/\.sql\.(xz|zst|bz2)$/.test(full)) throw usage(`Init file "${shown}" is compressed in a way dbarena does not read; use .sql or .sql.gz.`);
		try {
			const content = readFileSync(full);
			total += content.length;
			if (total > maxSeedBytes) throw usage(`The init files add up to more than ${maxSeedBytes / 1024 / 1024} MiB; seed that much from a snapshot instead.`);
			return content;
		} catch (error) {
			if (error instanceof UsageError) throw error;
			throw usage(`Cannot read init file "${shown}": ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
		}
	};
	for (const given of paths) {
		if (given.trim() === '') throw usage('An init path is empty.');
		const full = path.resolve(cwd, given);
		const stat = statPath(given, full);
		if (!stat) throw usage(`Init path "${given}" does not exist.`);
		if (stat.isDirectory()) {
			let names: string[];
			try {
				names = readdirSync(full).sort(byteOrder);
			} catch (error) {
				throw usage(`Cannot read init folder "${given}": ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
			}
			let runnable = 0;
			// As with a folder mounted there under compose: the entrypoint's glob skips hidden files
			// and sub-folders, runs what it knows, and leaves the rest (a CSV a script loads) in place.
			for (const name of names) {
				const file = path.join(full, name);
				const shown = path.join(given, name);
				if (name.startsWith('.') || !statPath(shown, file)?.isFile()) continue;
				const content = read(shown, file);
				const kind = fileKind(name, content);
				if (kind) runnable += 1;
				files.push({shown, full: file, kind: kind ?? 'data', content});
			}
			if (runnable === 0) throw usage(`Init folder "${given}" holds no .sql, .sql.gz or .sh file and no PostgreSQL dump.`);
			continue;
		}
		if (!stat.isFile()) throw usage(`Init path "${given}" is neither a file nor a folder.`);
		const content = read(given, full);
		const kind = fileKind(path.basename(full), content);
		if (!kind) {
			const hint = full.endsWith('.dump') ? ' It does not start like a PostgreSQL custom-format dump (pg_dump -Fc); name a plain SQL dump .sql.' : '';
			throw usage(`Init file "${given}" is not .sql, .sql.gz, .sh or a PostgreSQL custom-format dump.${hint}`);
		}
		files.push({shown: given, full, kind, content});
	}
	return files;
}

/** A path's kind; a name too long or a folder that may not be entered is the user's to fix, like a missing one. */
function statPath(given: string, full: string): Stats | undefined {
	try {
		return statSync(full, {throwIfNoEntry: false});
	} catch (error) {
		throw usage(`Cannot read init path "${given}": ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
	}
}

/** The hash of what goes into the container: names, modes and bytes, in order. */
export function seedHash(entries: readonly SeedEntry[]): string {
	const hash = createHash('sha256');
	for (const entry of entries) {
		hash.update(`${entry.name}\0${entry.mode.toString(8)}\0${entry.content.length}\0`);
		hash.update(entry.content);
	}
	return hash.digest('hex');
}

/**
 * Read the user's init paths (relative ones against `cwd`) into a seed for this database. A path
 * that is missing, unreadable or of a kind nothing would run is a usage error, before anything is
 * created.
 */
export function readSeed(paths: readonly string[], preset: Preset, cwd: string = process.cwd()): Seed {
	const init = preset.init;
	if (!init) throw new UsageError(`Init scripts are not supported for ${preset.title}: its image has no init folder.`, 'unsupported');
	const files = listFiles(paths, cwd);
	const width = Math.max(3, String(files.filter(file => file.kind !== 'data').length).length);
	const entries: SeedEntry[] = [];
	const origins: Record<string, string> = {};
	let index = 0;
	for (const file of files) {
		const base = safeName(path.basename(file.full));
		if (file.kind === 'data') {
			// Under its own name, where a script that loads it looks for it.
			if (entries.some(entry => entry.name === base)) throw usage(`Two init folders hold a file named "${base}"; rename one.`);
			entries.push({name: base, mode: 0o644, content: file.content});
			origins[base] = file.shown;
			continue;
		}
		index += 1;
		const prefix = String(index).padStart(width, '0');
		if (file.kind === 'pg-dump') {
			if (!init.restoreDump) throw usage(`"${file.shown}" is a PostgreSQL dump; it cannot seed ${preset.title}.`);
			// Not .sql or .sh, so the entrypoint passes it over; the wrapper beside it restores it in its place.
			const dump = `${prefix}-${base.replace(/\.(sql|sh|sql\.gz)$/, '')}${base.endsWith('.dump') ? '' : '.dump'}`;
			entries.push({name: dump, mode: 0o644, content: file.content});
			entries.push({name: `${dump}.sh`, mode: 0o644, content: Buffer.from(init.restoreDump(`${initFolder}/${dump}`))});
			origins[dump] = file.shown;
			origins[`${dump}.sh`] = file.shown;
			continue;
		}
		if (file.kind === 'sql.gz') {
			let content: Buffer;
			try {
				content = zlib().gunzipSync(file.content);
			} catch {
				throw usage(`Init file "${file.shown}" is not a gzip file.`);
			}
			const name = `${prefix}-${base.slice(0, -'.gz'.length)}`;
			entries.push({name, mode: 0o644, content});
			origins[name] = file.shown;
			continue;
		}
		// An executable .sh is run, any other sourced (with the entrypoint's functions), as the images do.
		const executable = file.kind === 'sh' && (statSync(file.full).mode & 0o111) !== 0;
		const name = `${prefix}-${base}`;
		entries.push({name, mode: executable ? 0o755 : 0o644, content: file.content});
		origins[name] = file.shown;
	}
	return {hash: seedHash(entries), entries, origins};
}

/**
 * The files as a user knows them: numbers and dump wrappers left out, their own file names when
 * known ("schema.sql", "data.sql.gz", "orders.dump").
 */
export function seedFileNames(entryNames: readonly string[], origins: Readonly<Record<string, string>> = {}): string[] {
	return entryNames.filter(name => runs(name)).map(name => (origins[name] ? path.basename(origins[name]) : displayName(name)));
}

/** An entry the entrypoint runs (numbered .sql or .sh; a dump's wrapper stands for the dump), not data a script reads. */
const runs = (name: string) => /^\d+-/.test(name) && /\.(sql|sh)$/.test(name);

/** One entry's name as the user knows it. */
export function displayName(entryName: string): string {
	return entryName.replace(/^\d+-/, '').replace(/\.dump\.sh$/, '.dump');
}

/** Where an entry came from, in words a user recognises: their own path when known. */
export function originOf(seed: Pick<Seed, 'origins'>, entryName: string): string {
	return seed.origins[entryName] ?? displayName(entryName);
}

export function seedPayload(seed: Seed): SeedPayload {
	return {entries: seed.entries.map(entry => ({name: entry.name, mode: entry.mode, base64: entry.content.toString('base64')})), origins: seed.origins};
}

const entryName = /^[\w][\w.-]*$/;

/**
 * A seed from its JSON form, checked: the names become paths in a tar written into the
 * container, so only plain names in the init folder are taken.
 */
export function seedFromPayload(payload: SeedPayload): Seed {
	if (!Array.isArray(payload?.entries) || payload.entries.length === 0) throw usage('No init files were given.');
	const entries = payload.entries.map(entry => {
		if (typeof entry?.name !== 'string' || !entryName.test(entry.name) || typeof entry.base64 !== 'string' || !Number.isInteger(entry.mode)) {
			throw usage(`The init file entry ${JSON.stringify(entry?.name)} is not a plain file name with its content.`);
		}
		return {name: entry.name, mode: entry.mode & 0o777, content: Buffer.from(entry.base64, 'base64')};
	});
	const origins = typeof payload.origins === 'object' && payload.origins !== null ? payload.origins : {};
	return {hash: seedHash(entries), entries, origins};
}

/** The short form of a hash that `templates list` and messages show. */
export const shortHash = (hash: string) => hash.slice(0, 12);
