import {afterReady, sqlcmd} from '../container-readiness.js';
import type {EngineHandle} from '../engine-handle.js';
import {UsageError} from '../errors.js';
import {credentialsFromLabels} from '../labels.js';
import {presets} from '../presets/catalog.js';
import {rerunSeed} from '../seed/container.js';
import {seedFileNames} from '../seed/files.js';
import {withSession} from '../sessions.js';
import type {ManagedContainer} from '../types.js';
import {resetMysqlData} from './mysql-family.js';
import {resetPostgresData} from './postgres.js';
import {sqlServerResetStatements} from './sqlserver.js';

/**
 * `reset --data`: the data back to how the container was created, inside the running server. The
 * container, its port, settings, roles and replication slots stay, so a connector keeps streaming
 * across a test's reset; only the rows and the schema objects the user made go.
 */
export type DataResetResult = {
	name: string;
	database: string;
	ms: number;
	/** What went: the schemas dropped and made again (PostgreSQL), and how many tables were in them. */
	reset: {schemas: string[]; tables: number};
	/** What stayed that a user may wonder about. */
	kept: {slots: string[]; roles: string[]};
	/** Client sessions on the database that were ended (they get an error and can reconnect at once). */
	terminated: number;
	/** A seeded container's init files, run again after the reset (null: not seeded). */
	seed: {files: string[]; ms: number} | null;
};

export async function resetContainerData(handle: EngineHandle, container: ManagedContainer): Promise<DataResetResult> {
	const began = Date.now();
	const {connection} = container;
	if (container.state !== 'running' || !connection) {
		throw new UsageError(
			`${container.name} is not running; start it first ("dbarena start ${container.name}"), or use "dbarena reset" without --data.`,
			'not_running',
		);
	}
	const credentials = credentialsFromLabels(container.labels);
	const database = credentials?.database ?? connection.database;
	const preset = presets[container.database];
	const cdc = container.cdc !== undefined;
	const base = {name: container.name, database};
	// A seeded container's data was created by its init files: they run again, as at its first
	// start, so the data goes back to the init files rather than to an empty database.
	// Also the roles that stayed: the CDC login, and those the init files made (not made twice).
	const reseed = async (): Promise<{seed: DataResetResult['seed']; roles: string[]}> => {
		const cdcRole = cdc ? ['cdc'] : [];
		if (!container.seed) return {seed: null, roles: cdcRole};
		const {ms, keptRoles} = await rerunSeed(handle, container.id, preset, container.labels);
		return {seed: {files: seedFileNames(container.seed.files), ms}, roles: [...new Set([...cdcRole, ...keptRoles])]};
	};
	if (preset.probe === 'postgres') {
		const facts = await withSession('postgres', await handle.reachable(connection), async query => resetPostgresData(query));
		const {seed, roles} = await reseed();
		// The CDC role's grants on public went with the schema: made again, as at create (after the init files, as there).
		if (cdc) await afterReady(handle, container.id, container.database, connection, cdc, {force: true});
		return {
			...base,
			ms: Date.now() - began,
			reset: {schemas: facts.schemas, tables: facts.tables},
			kept: {slots: facts.slots, roles},
			terminated: facts.terminated,
			seed,
		};
	}
	if (preset.probe === 'mysql') {
		const facts = await withSession('mysql', await handle.reachable(connection), async query => resetMysqlData(query, database));
		const {seed, roles} = await reseed();
		return {
			...base,
			ms: Date.now() - began,
			reset: {schemas: [database], tables: facts.tables},
			kept: {slots: [], roles},
			terminated: facts.terminated,
			seed,
		};
	}
	for (const statement of sqlServerResetStatements(database, cdc)) await sqlcmd(handle, container.id, connection.password, statement);
	return {...base, ms: Date.now() - began, reset: {schemas: [database], tables: 0}, kept: {slots: [], roles: []}, terminated: 0, seed: null};
}
