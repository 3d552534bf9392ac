import type {EngineHandle} from '../engine-handle.js';
import {OperationError, UsageError} from '../errors.js';
import {cdcConnectionInfo} from '../connection.js';
import {presets} from '../presets/catalog.js';
import type {ManagedContainer} from '../types.js';
import type {ChangeFilter, ChangeStream} from './types.js';

/**
 * The change stream of a `--cdc` database, from now on, through the reader its engine needs:
 * PostgreSQL's temporary logical slot, MySQL's and MariaDB's binlog dump, SQL Server's change
 * tables. Resolves once the reader is in place, so every change committed after that is in it.
 * Refuses a container made without --cdc (no_cdc) or not running (not_running).
 */
export async function openChangeStream(engine: EngineHandle, container: ManagedContainer, filter: ChangeFilter = {}): Promise<ChangeStream> {
	const preset = presets[container.database];
	if (!container.cdc || !preset.cdc) {
		throw new UsageError(
			`${container.name} was not created with --cdc, so it has no change stream to read. Create one with --cdc (dbarena create ${container.database} --cdc).`,
			'no_cdc',
		);
	}
	if (container.state !== 'running') {
		const why = container.state === 'paused' ? 'is paused; resume it' : 'is not running; start it';
		throw new UsageError(`${container.name} ${why} first ("dbarena start ${container.name}") to read its changes.`, 'not_running');
	}
	const login = cdcConnectionInfo(container);
	if (!login) throw new OperationError(`${container.name} has no published port or credential labels, so dbarena cannot log in to it.`);
	switch (preset.probe) {
		case 'postgres': {
			const {openPostgresChanges} = await import('./postgres.js');
			// The cdc role has REPLICATION (it is made so at create); the publication covers every table.
			return openPostgresChanges(await engine.reachable(login), container.cdc.publication ?? preset.cdc.publication ?? 'dbarena_cdc', filter);
		}
		case 'mysql': {
			const {openBinlogChanges} = await import('./mysql.js');
			return openBinlogChanges(await engine.reachable(login), filter);
		}
		case 'sqlserver': {
			const {openSqlServerChanges} = await import('./sqlserver.js');
			// SQL Server's CDC login is sa (README, "For CDC developers"); the admin connection has its password.
			const admin = container.connection!;
			return openSqlServerChanges(engine, container.id, {password: admin.password, database: admin.database}, filter);
		}
	}
}
