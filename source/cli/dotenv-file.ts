import {accessSync, chmodSync, constants, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Variables} from '../core/connection-formats.js';
import {fromBytes, toBytes, updateDotenv} from '../core/dotenv.js';
import {UsageError} from '../core/errors.js';

const writable = (target: string) => {
	try {
		accessSync(target, constants.W_OK);
		return true;
	} catch {
		return false;
	}
};

/** Refuse a --write path that cannot become a .env file, before the engine is asked anything. */
export function checkDotenvTarget(file: string): void {
	const stat = statSync(file, {throwIfNoEntry: false});
	if (stat?.isDirectory())
		throw new UsageError(`Invalid --write "${file}": it is a directory; name a file in it, such as ${path.join(file, '.env')}.`, 'invalid_value');
	if (stat && !stat.isFile()) throw new UsageError(`Invalid --write "${file}": it is not a regular file.`, 'invalid_value');
	const directory = path.dirname(path.resolve(file));
	if (!statSync(directory, {throwIfNoEntry: false})?.isDirectory()) {
		throw new UsageError(`Invalid --write "${file}": the directory ${directory} does not exist.`, 'invalid_value');
	}
	if (stat ? !writable(file) : !writable(directory)) throw new UsageError(`Invalid --write "${file}": no permission to write it.`, 'invalid_value');
}

/**
 * Add or replace the variables in a .env file (updateDotenv decides what changes; every other byte
 * stays). A file of a symlink is written where the link points. The new text replaces the old at
 * once (a temporary file renamed over it) when the directory allows, so a reader never sees half
 * a file; the file keeps its permissions, and a new one is readable by its owner only: it holds a
 * password.
 */
export function writeDotenv(file: string, variables: Variables): {replaced: string[]; added: string[]} {
	const exists = statSync(file, {throwIfNoEntry: false}) !== undefined;
	const target = exists ? realpathSync(file) : path.resolve(file);
	const {text, replaced, added} = updateDotenv(exists ? fromBytes(readFileSync(target)) : '', variables);
	const mode = exists ? statSync(target).mode & 0o7777 : 0o600;
	const directory = path.dirname(target);
	if (!writable(directory)) {
		writeFileSync(target, toBytes(text));
		return {replaced, added};
	}
	const temporary = path.join(directory, `.${path.basename(target)}.dbarena-${process.pid}.tmp`);
	try {
		writeFileSync(temporary, toBytes(text), {mode});
		// The mode given to writeFileSync is narrowed by the umask; the file's own must come back whole.
		chmodSync(temporary, mode);
		renameSync(temporary, target);
	} catch (error) {
		rmSync(temporary, {force: true});
		throw error;
	}
	return {replaced, added};
}
