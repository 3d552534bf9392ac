import {UnknownDatabaseError, UnknownVersionError} from '../errors.js';
import type {DatabaseKind} from '../types.js';
import type {Engine, EngineVersion} from './engine.js';
import {mariadb} from './mariadb.js';
import {mysql} from './mysql.js';
import {postgres} from './postgres.js';
import {sqlserver} from './sqlserver.js';

export const engines: Readonly<Record<DatabaseKind, Engine>> = {postgres, mysql, mariadb, sqlserver};
export const engineList: readonly Engine[] = Object.values(engines);

/** Resolve what a user typed ("pg", "PostgreSQL", "mssql") to an engine. */
export function resolveEngine(input: string): Engine {
	const wanted = input.trim().toLowerCase();
	const found = engineList.find(engine => engine.kind === wanted || engine.aliases.includes(wanted));
	if (!found) throw new UnknownDatabaseError(input, engineList.map(engine => engine.kind));
	return found;
}

/** Resolve a version ("16", "16-alpine", "latest" or nothing) to one the engine supports. */
export function resolveVersion(engine: Engine, input?: string): EngineVersion {
	const wanted = (input ?? engine.defaultVersion).trim().toLowerCase();
	const target = wanted === 'latest' || wanted === 'default' ? engine.defaultVersion : wanted;
	const found = engine.versions.find(v => v.version === target || v.aliases?.includes(target));
	if (!found) throw new UnknownVersionError(engine.kind, input ?? '', engine.versions.map(v => v.version));
	return found;
}
