import type {ManagedContainer} from './types.js';
import {engines} from './engines/registry.js';

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

export async function readCdcStatus(container: ManagedContainer): Promise<CdcStatus | undefined> {
	const connection = container.connection;
	if (!connection || container.state !== 'running') return undefined;
	const probe = engines[container.database].probe;
	if (probe === 'postgres') {
		const {default: pg} = await import('pg');
		const client = new pg.Client({...connection, connectionTimeoutMillis: 2000});
		client.on('error', () => {});
		try {
			await client.connect();
			const settings = await client.query<{name: string; setting: string}>(
				'SELECT name, setting FROM pg_settings WHERE name IN (\'wal_level\', \'max_replication_slots\', \'max_wal_senders\') ORDER BY name',
			);
			const slots = await client.query<{name: string; plugin: string | null; active: boolean; lag: string | null}>(
				'SELECT slot_name AS name, plugin, active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::text AS lag FROM pg_replication_slots ORDER BY slot_name',
			);
			const values = Object.fromEntries(settings.rows.map(row => [row.name, row.setting]));
			return {
				ready: values['wal_level'] === 'logical' && Number(values['max_replication_slots']) > 0 && Number(values['max_wal_senders']) > 0,
				settings: values,
				slots: slots.rows.map(row => ({name: row.name, plugin: row.plugin ?? '', active: row.active, lagBytes: row.lag === null ? null : Number(row.lag)})),
			};
		} finally {
			await client.end().catch(() => {});
		}
	}
	if (probe === 'mysql') {
		const mysql = await import('mysql2/promise');
		const client = await mysql.createConnection({...connection, connectTimeout: 2000});
		try {
			const [rows] = await client.query('SHOW GLOBAL VARIABLES WHERE Variable_name IN (\'log_bin\', \'binlog_format\', \'binlog_row_image\', \'server_id\', \'gtid_mode\', \'gtid_strict_mode\', \'gtid_domain_id\')');
			const values = Object.fromEntries((rows as Array<{Variable_name: string; Value: string}>).map(row => [row.Variable_name, row.Value]));
			return {
				ready: values['log_bin'] === 'ON' && values['binlog_format'] === 'ROW' && values['binlog_row_image'] === 'FULL' && values['server_id'] !== '0',
				settings: values,
			};
		} finally {
			client.destroy();
		}
	}
	return undefined;
}
