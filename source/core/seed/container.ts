import {readFolderFiles, writeFiles} from '../docker/archive.js';
import {execInContainer} from '../docker/containers.js';
import {readLogs} from '../docker/logs.js';
import type {EngineHandle} from '../engine-handle.js';
import {DbarenaError, OperationError} from '../errors.js';
import {seedFromLabels, type Labels} from '../labels.js';
import type {Preset} from '../presets/preset.js';
import {initFolder, maxSeedBytes, seedHash, type Seed} from './files.js';
import {findInitFailure, InitScriptError} from './failure.js';

/**
 * A seed and a container: its files go in before the first start, come back out for a reset,
 * and run again inside a running server for `reset --data`.
 */

/** Put the init files' files into a created (not yet started) container's init folder. */
export async function copySeed(handle: EngineHandle, id: string, seed: Seed): Promise<void> {
	await writeFiles(handle.docker, id, initFolder, seed.entries);
}

/** Enough of the log to reach back from a failed script's error to the "running" line before it. */
const logLines = 400;

/**
 * A first start that ended while a seed was to run: if the log shows an init script failing,
 * the error names it (file, line, the server's words); any other end is left as it was.
 */
export async function explainInitFailure(handle: EngineHandle, id: string, seed: Seed, error: unknown): Promise<unknown> {
	if (!(error instanceof DbarenaError) || error.code !== 'container_exited') return error;
	const lines = await readLogs(handle.docker, id, {tail: logLines}).catch(() => []);
	const failure = findInitFailure(lines);
	if (!failure) return error;
	const exitCode = (error as {exitCode?: number}).exitCode;
	return new InitScriptError(failure, seed, {...(exitCode === undefined ? {} : {exitCode}), logTail: lines.slice(-15)});
}

/**
 * The init files a container was created with, read back from its init folder (through the engine's
 * archive API, so a stopped container works too): a reset gives the new container the same
 * files, which give the same hash, so it starts from the same seeded template.
 */
export async function readSeedBack(handle: EngineHandle, id: string, labels: Labels): Promise<Seed | undefined> {
	const label = seedFromLabels(labels);
	if (!label) return undefined;
	const found = await readFolderFiles(handle.docker, id, initFolder, maxSeedBytes);
	const byName = new Map(found.map(file => [file.name, file]));
	const missing = label.files.filter(name => !byName.has(name));
	if (missing.length > 0) {
		throw new OperationError(`The init files of this container are gone from ${initFolder} (${missing.join(', ')}); it cannot be made again with its seed.`);
	}
	const entries = label.files.map(name => byName.get(name)!);
	return {hash: seedHash(entries), entries, origins: {}};
}

/**
 * Run the init folder again inside a running server, as the entrypoint did at the first start
 * (the same files, the same superuser over the socket). A failing script is named as at create.
 */
export async function rerunSeed(handle: EngineHandle, id: string, preset: Preset, labels: Labels): Promise<{files: number; ms: number; keptRoles: string[]}> {
	const label = seedFromLabels(labels);
	const rerun = preset.init?.rerun;
	if (!label || !rerun) return {files: 0, ms: 0, keptRoles: []};
	const began = Date.now();
	const result = await execInContainer(handle.docker, id, ['bash', '-c', rerun.script], [], {user: rerun.user});
	if (result.exitCode !== 0) {
		const lines = result.stderr.split('\n');
		const failure = findInitFailure(lines) ?? {file: label.files.at(-1) ?? '?'};
		throw new InitScriptError(
			failure,
			{origins: {}},
			{
				exitCode: result.exitCode,
				logTail: lines.filter(Boolean).slice(-15),
				after: 'The data was reset, but running the init files again failed: ',
			},
		);
	}
	return {files: label.files.length, ms: Date.now() - began, keptRoles: keptRoles(result.stderr)};
}

/**
 * The roles and users the init files made again but the reset kept (the rerun's "kept:" lines, see
 * sqlKeeping): `app` from PostgreSQL's `role "app" already exists`, `app@%` from MySQL's
 * `Operation CREATE USER failed for 'app'@'%'` (and MySQL's "(User account already exists)" after it).
 */
export function keptRoles(stderr: string): string[] {
	const names = new Set<string>();
	for (const line of stderr.split('\n')) {
		if (!line.startsWith('kept: ')) continue;
		const postgres = /ERROR: +role "([^"]*)" already exists/.exec(line);
		const mysql = /Operation CREATE (?:USER|ROLE) failed for (.*)$/.exec(line);
		if (postgres) names.add(postgres[1]!);
		// MySQL 8.4+ adds why: "failed for 'app'@'%' (User account already exists)".
		else if (mysql) for (const [, user, host] of mysql[1]!.matchAll(/[`']([^`']*)[`']@[`']([^`']*)[`']/g)) names.add(`${user}@${host}`);
	}
	return [...names];
}
