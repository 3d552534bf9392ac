/**
 * A database's own vitals, read from its server (not from the engine): what a CDC developer checks
 * when a connector falls behind. One sample is a moment; rates need two (commitRate).
 */

/** A PostgreSQL replication slot and the WAL it keeps the server from recycling. */
export type SlotVitals = {
	name: string;
	plugin: string;
	active: boolean;
	/** From the slot's restart_lsn to the current WAL position; null for a slot that has not reserved WAL. */
	retainedWalBytes: number | null;
	/** reserved, extended, unreserved or lost (pg_replication_slots.wal_status); null when not reported. */
	walStatus: string | null;
};

/** MySQL/MariaDB's binary log: where it writes now, the GTID set, and how much it holds. */
export type BinlogVitals = {
	/** file:position, as SHOW MASTER STATUS (SHOW BINARY LOG STATUS on MySQL 8.2+) says it. */
	file: string;
	position: number;
	/** gtid_executed (MySQL) or gtid_binlog_pos (MariaDB); '' when there are none yet. */
	gtidSet: string;
	/** The sum of SHOW BINARY LOGS' file sizes. */
	totalBytes: number;
};

/** The filesystem the data directory lives on, as df sees it inside the container. */
export type DiskVitals = {path: string; usedBytes: number; sizeBytes: number};

export type Vitals = {
	/** When the sample was taken (ms since the epoch, this machine's clock). */
	takenAt: number;
	/** Client sessions: running a statement, waiting for the next one, and the server's limit. */
	connections: {active: number; idle: number; max: number};
	/** Commits counted since the server's statistics began; only the difference of two samples means anything. */
	commits: number;
	/** Reads served from the server's cache (0–1); null before it has read anything. */
	cacheHitRatio: number | null;
	/** The size of the container's database (the one the URL names). */
	databaseBytes: number;
	/** PostgreSQL only. */
	slots?: SlotVitals[];
	/** MySQL and MariaDB only; null when binary logging is off (the fast mode without --cdc). */
	binlog?: BinlogVitals | null;
	/** Undefined when it was not read this time (it costs an exec); null when it could not be. */
	disk?: DiskVitals | null;
};

/**
 * Commits per second between two samples of the same server, without `ownCommits`, the sampler's
 * own that the server may count in this interval. PostgreSQL counts a session's commits up to a
 * second late, so what this interval did not show yet is `owed` to the next one. perSecond is null
 * until there are two samples, or when the counter went back (a restart).
 */
export function commitRate(previous: Vitals | undefined, next: Vitals, ownCommits = 0): {perSecond: number | null; owed: number} {
	if (!previous) return {perSecond: null, owed: 0};
	const seconds = (next.takenAt - previous.takenAt) / 1000;
	if (seconds <= 0 || next.commits < previous.commits) return {perSecond: null, owed: 0};
	const others = next.commits - previous.commits - ownCommits;
	return {perSecond: Math.max(0, others) / seconds, owed: Math.max(0, -others)};
}

/** At or above this the data directory's filesystem counts as filling up. */
export const diskFillingRatio = 0.9;

/**
 * How worrying a slot is: an inactive slot that holds WAL keeps every byte written since, until
 * its consumer comes back or the slot is dropped; with the disk nearly full, that ends the server.
 */
export function slotConcern(slot: SlotVitals, disk: DiskVitals | null | undefined): 'ok' | 'holding' | 'critical' {
	if (slot.active || !slot.retainedWalBytes) return 'ok';
	if (disk && disk.sizeBytes > 0 && disk.usedBytes / disk.sizeBytes >= diskFillingRatio) return 'critical';
	return 'holding';
}
