import type {ConnectionInfo, ManagedContainer} from './types.js';
import {presets} from './presets/catalog.js';
import {withSession} from './sessions.js';

/**
 * The CDC settings in effect, read back from the server (not from our own flags): what a
 * connector will actually meet.
 */
export type CdcStatus = {
	/** Whether the server, as configured now, can feed a log-based connector. */
	ready: boolean;
	settings: Record<string, string>;
	/** PostgreSQL replication slots and how far each is behind the current WAL position. */
	slots?: Array<{name: string; plugin: string; active: boolean; lagBytes: number | null}>;
};

/**
 * `reachable` gives where a client here logs in (EngineHandle.reachable: a forward over SSH for a
 * database on a remote engine's host); the default is the printed address.
 */
export async function readCdcStatus(
	container: ManagedContainer,
	reachable: (connection: ConnectionInfo) => Promise<ConnectionInfo> = async connection => connection,
): Promise<CdcStatus | undefined> {
	if (!container.connection || container.state !== 'running') return undefined;
	const connection = await reachable(container.connection);
	const probe = presets[container.database].probe;
	if (probe === 'postgres') {
		return withSession(probe, connection, async query => {
			const settings = await query(
				"SELECT name, setting FROM pg_settings WHERE name IN ('wal_level', 'max_replication_slots', 'max_wal_senders') ORDER BY name",
			);
			const slots = await query(
				'SELECT slot_name AS name, plugin, active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::text AS lag ' +
					'FROM pg_replication_slots ORDER BY slot_name',
			);
			const values = Object.fromEntries(settings.map(row => [String(row['name']), String(row['setting'])]));
			return {
				ready: values['wal_level'] === 'logical' && Number(values['max_replication_slots']) > 0 && Number(values['max_wal_senders']) > 0,
				settings: values,
				slots: slots.map(row => ({
					name: String(row['name']),
					plugin: String(row['plugin'] ?? ''),
					active: row['active'] === true,
					lagBytes: row['lag'] === null ? null : Number(row['lag']),
				})),
			};
		});
	}
	if (probe === 'mysql') {
		return withSession(probe, connection, async query => {
			const rows = await query(
				"SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', 'binlog_row_image', 'server_id', " +
					"'gtid_mode', 'enforce_gtid_consistency', 'gtid_strict_mode', 'gtid_domain_id')",
			);
			const values = Object.fromEntries(rows.map(row => [String(row['Variable_name']), String(row['Value'])]));
			return {
				ready: values['log_bin'] === 'ON' && values['binlog_format'] === 'ROW' && values['binlog_row_image'] === 'FULL' && values['server_id'] !== '0',
				settings: values,
			};
		});
	}
	return undefined;
}
