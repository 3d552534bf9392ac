import {UnknownDatabaseError, UnknownVersionError} from '../errors.js';
import type {DatabaseKind} from '../types.js';
import type {Preset, PresetVersion} from './preset.js';
import {mariadb} from './mariadb.js';
import {mysql} from './mysql.js';
import {postgres} from './postgres.js';
import {sqlserver} from './sqlserver.js';

export const presets: Readonly<Record<DatabaseKind, Preset>> = {postgres, mysql, mariadb, sqlserver};
export const presetList: readonly Preset[] = Object.values(presets);

/** Resolve what a user typed ("pg", "PostgreSQL", "mssql") to its preset. */
export function resolvePreset(input: string): Preset {
	const wanted = input.trim().toLowerCase();
	const found = presetList.find(preset => preset.kind === wanted || preset.aliases.includes(wanted));
	if (!found)
		throw new UnknownDatabaseError(
			input,
			presetList.map(preset => preset.kind),
		);
	return found;
}

/** Resolve a version ("16", "16-alpine", "latest" or nothing) to one the preset supports. */
export function resolveVersion(preset: Preset, input?: string): PresetVersion {
	const wanted = (input ?? preset.defaultVersion).trim().toLowerCase();
	const target = wanted === 'latest' || wanted === 'default' ? preset.defaultVersion : wanted;
	const found = preset.versions.find(v => v.version === target || v.aliases?.includes(target));
	if (!found)
		throw new UnknownVersionError(
			preset.kind,
			input ?? '',
			preset.versions.map(v => v.version),
		);
	return found;
}
