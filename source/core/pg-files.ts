/**
 * What a stopped PostgreSQL server's files say without a server to ask: the WAL position of its
 * last checkpoint (global/pg_control) and the replication slots it keeps (pg_replslot/). Only
 * fields whose place has not moved from PostgreSQL 10 to 18 are read; anything else would need
 * the server's own tools, which most images lack.
 */

/** A WAL position as PostgreSQL prints it: "16/B374D848". */
const lsnPattern = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

export function parseLsn(text: string): bigint {
	const match = lsnPattern.exec(text);
	if (!match) throw new Error(`Not a WAL position: ${text}`);
	return (BigInt(`0x${match[1]!}`) << 32n) | BigInt(`0x${match[2]!}`);
}

export function formatLsn(value: bigint): string {
	return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xff_ff_ff_ffn).toString(16).toUpperCase()}`;
}

/** pg_control: uint64 system identifier, uint32 version, uint32 catalog version, int32 state, int64 time, uint64 checkPoint. */
const controlOffsets = {version: 8, state: 16, checkPoint: 32} as const;
/** DB_SHUTDOWNED: a clean shutdown, whose checkpoint record is the last thing in the WAL. */
const shutDownCleanly = 1;
/** PostgreSQL 10 wrote 1002, 18 writes 1800; a number outside these years is not a control file we know. */
const knownControlVersions = {min: 1000, max: 9999};

export type ControlFile = {version: number; cleanShutdown: boolean; checkPoint: string};

export function parseControlFile(bytes: Buffer): ControlFile {
	if (bytes.length < controlOffsets.checkPoint + 8) throw new Error(`pg_control is ${bytes.length} bytes long`);
	// The host's byte order is the server's: the file is written in the server's native order, and
	// every engine this runs on (x86-64, arm64) is little-endian.
	const version = bytes.readUInt32LE(controlOffsets.version);
	if (version < knownControlVersions.min || version > knownControlVersions.max) throw new Error(`pg_control has an unknown version ${version}`);
	return {
		version,
		cleanShutdown: bytes.readInt32LE(controlOffsets.state) === shutDownCleanly,
		checkPoint: formatLsn(bytes.readBigUInt64LE(controlOffsets.checkPoint)),
	};
}

/** pg_replslot/<name>/state: magic, checksum, version, length (4 bytes each), then the slot's name (64) and database OID. */
const slotMagic = 0x01_05_1c_a1;
const slotDatabaseOffset = 16 + 64;

/** A slot's kind from its state file: a physical slot belongs to no database (OID 0). */
export function slotKind(state: Buffer): 'logical' | 'physical' | null {
	if (state.length < slotDatabaseOffset + 4 || state.readUInt32LE(0) !== slotMagic) return null;
	return state.readUInt32LE(slotDatabaseOffset) === 0 ? 'physical' : 'logical';
}
