import type {SlotVitals, Vitals} from './types.js';

/**
 * Everything in one statement, so a sample is one transaction: the commit counter then moves by
 * a known amount for dbarena's own look (postgresOwnCommits), which the rate leaves out. Commits and
 * the cache are the whole server's (a connector reads the whole server's WAL); the size is the
 * container's database.
 */
export const postgresVitalsSql = `SELECT
	(SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND state = 'active') AS active,
	(SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND state LIKE 'idle%') AS idle,
	current_setting('max_connections') AS max_connections,
	(SELECT sum(xact_commit) FROM pg_stat_database)::text AS commits,
	(SELECT sum(blks_hit) FROM pg_stat_database)::text AS blks_hit,
	(SELECT sum(blks_read) FROM pg_stat_database)::text AS blks_read,
	pg_database_size(current_database())::text AS database_bytes,
	current_setting('data_directory') AS data_directory,
	(SELECT coalesce(json_agg(json_build_object(
		'name', slot_name, 'plugin', plugin, 'active', active, 'walStatus', wal_status,
		'retained', pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text
	) ORDER BY slot_name), '[]'::json) FROM pg_replication_slots) AS slots`;

/**
 * What a sample's session commits, counted by the server once it ends: the login's own start-up
 * transaction (reading the catalogs) and the statement's. Measured: an idle server's counter
 * moves by exactly 2 per sample.
 */
export const postgresOwnCommits = 2;

/** In a session kept open between samples, only the statement's own transaction. */
export const postgresHeldSessionCommits = 1;

type SlotRow = {name?: unknown; plugin?: unknown; active?: unknown; walStatus?: unknown; retained?: unknown};

const count = (value: unknown) => {
	const number = Number(value ?? 0);
	return Number.isFinite(number) ? number : 0;
};

/** A ratio of hits to all reads; null before the server has read a block. */
export function hitRatio(hits: number, misses: number): number | null {
	return hits + misses > 0 ? hits / (hits + misses) : null;
}

/** The row of postgresVitalsSql as node-postgres returns it (bigints as text, json parsed), and the data directory for df. */
export function parsePostgresVitals(row: Record<string, unknown>, takenAt: number): {vitals: Vitals; dataDirectory: string | undefined} {
	const slots = (Array.isArray(row['slots']) ? (row['slots'] as SlotRow[]) : []).map(
		(slot): SlotVitals => ({
			name: String(slot.name ?? ''),
			// A physical slot has no plugin.
			plugin: slot.plugin === null || slot.plugin === undefined ? 'physical' : String(slot.plugin),
			active: slot.active === true,
			retainedWalBytes: slot.retained === null || slot.retained === undefined ? null : count(slot.retained),
			walStatus: typeof slot.walStatus === 'string' ? slot.walStatus : null,
		}),
	);
	const directory = row['data_directory'];
	return {
		vitals: {
			takenAt,
			connections: {active: count(row['active']), idle: count(row['idle']), max: count(row['max_connections'])},
			commits: count(row['commits']),
			cacheHitRatio: hitRatio(count(row['blks_hit']), count(row['blks_read'])),
			databaseBytes: count(row['database_bytes']),
			slots,
		},
		dataDirectory: typeof directory === 'string' && directory !== '' ? directory : undefined,
	};
}
