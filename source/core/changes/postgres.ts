import {randomBytes} from 'node:crypto';
import type {Client, ClientConfig} from 'pg';
import type {Pgoutput} from 'pg-logical-replication';
import {postgresDriver} from '../sessions.js';
import {waitAtMost} from '../wait-at-most.js';
import type {ConnectionInfo} from '../types.js';
import {ChangeFeed} from './feed.js';
import {PgoutputDecoder} from './pgoutput.js';
import type {ChangeFilter, ChangeStream} from './types.js';

/** What of pg's Connection the replication protocol needs; pg has it but its types leave it out. */
type CopyConnection = {
	on(event: 'copyData', listener: (message: {chunk: Buffer}) => void): void;
	sendCopyFromChunk(chunk: Buffer): void;
	/** CopyDone: the client's end of the stream. */
	endCopyFrom(): void;
};

/** How long close() waits for the server to end the stream after ours has ended. */
const endOfStreamMs = 1000;

/**
 * The standby status keeps the walsender from timing the session out (its default is 60 s), and
 * every message of ours wakes it: a PostgreSQL 16 walsender was seen asleep with a commit's WAL
 * flushed and unsent (pg_stat_replication: sent 0/19062B0, server flushed 0/1906340) for over 5 s,
 * a wakeup lost between its last look and its sleep, until something woke it. Every 500 ms bounds
 * that stall at half a second, for 70 bytes a second.
 */
const statusIntervalMs = 500;
/** How long close() waits to see the server drop the slot once the session has ended. */
const slotGoneTimeoutMs = 3000;

/** Our slot names: recognisable in pg_replication_slots, unique per stream, within 63 characters. */
export const slotPrefix = 'dbarena_changes_';

const microsSince2000 = () => BigInt(Date.now() - 946_684_800_000) * 1000n;

function lsnNumber(lsn: string): bigint {
	const [high = '0', low = '0'] = lsn.split('/');
	return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

/** A Standby Status Update: received, flushed and applied up to `lsn`, with a reply wanted or not. */
export function standbyStatus(lsn: string, replyWanted = false): Buffer {
	const message = Buffer.alloc(34);
	message.write('r', 0);
	const position = lsnNumber(lsn) + 1n;
	for (const offset of [1, 9, 17]) message.writeBigUInt64BE(position, offset);
	message.writeBigUInt64BE(microsSince2000(), 25);
	message.writeUInt8(replyWanted ? 1 : 0, 33);
	return message;
}

/** The primary key's columns of a table, in key order; none for a table without one. */
const primaryKeySql =
	'SELECT a.attname AS name FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ' +
	'JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.n';

/**
 * PostgreSQL's change stream through a logical slot of our own: `CREATE_REPLICATION_SLOT …
 * TEMPORARY LOGICAL pgoutput` on a replication connection, then START_REPLICATION on the same one
 * (a temporary slot belongs to the session that made it, and the server drops it when that session
 * ends, however it ends). So a user's own slots and connectors are never touched, and nothing is
 * left behind even if this process is killed. The slot starts at the moment it is made: what
 * committed before is not in it.
 */
export async function openPostgresChanges(connection: ConnectionInfo, publication: string, filter: ChangeFilter): Promise<ChangeStream> {
	const pg = await postgresDriver();
	const {PgoutputPlugin} = await import('pg-logical-replication');
	const {host, port, user, password, database} = connection;
	const base: ClientConfig = {host, port, user, password, database, connectionTimeoutMillis: 5000, application_name: 'dbarena changes'};
	// pg passes `replication` through to the startup message; its types do not list it.
	const replicationConfig: ClientConfig & {replication: 'database'} = {...base, replication: 'database'};
	const client = new pg.Client(replicationConfig);
	const feed = new ChangeFeed(filter);
	const slot = `${slotPrefix}${randomBytes(6).toString('hex')}`;
	let closing = false;
	// A side session for catalog reads (primary keys) and to see the slot go; opened when first needed.
	let side: Promise<Client> | undefined;
	const sideClient = async () => {
		side ??= (async () => {
			const made = new pg.Client(base);
			made.on('error', () => {});
			await made.connect();
			return made;
		})();
		return side;
	};

	client.on('error', error => feed.end(error));
	client.on('end', () => {
		if (!closing) feed.end(new Error('The server closed the replication connection.'));
	});
	await client.connect();
	try {
		await client.query(`CREATE_REPLICATION_SLOT "${slot}" TEMPORARY LOGICAL pgoutput`);
	} catch (error) {
		await client.end().catch(() => undefined);
		throw error;
	}

	const plugin = new PgoutputPlugin({protoVersion: 1, publicationNames: [publication]});
	const decoder = new PgoutputDecoder();
	// pg's Client has its Connection at runtime; its types keep the copy-protocol parts private.
	const copy = (client as unknown as {connection: CopyConnection}).connection;
	let lastLsn = '0/0';
	// Messages are handled one after another: a table's primary key is looked up (once) before its rows.
	let queue = Promise.resolve();
	const handle = async (lsn: string, message: Pgoutput.Message, receivedAt: Date) => {
		if (message.tag === 'relation' && message.replicaIdentity === 'full') {
			const rows = (await (await sideClient()).query(primaryKeySql, [message.relationOid])).rows as Array<{name: string}>;
			decoder.relation(
				message,
				rows.map(row => row.name),
			);
		}
		const event = decoder.decode(lsn, message, receivedAt);
		if (event) feed.emit(event);
	};
	copy.on('copyData', ({chunk}) => {
		const receivedAt = new Date();
		const kind = chunk[0];
		if (kind === 0x77) {
			// XLogData: 'w', the WAL start and end of this message, the server's clock, then pgoutput.
			const lsn = `${chunk.readUInt32BE(1).toString(16)}/${chunk.readUInt32BE(5).toString(16)}`.toUpperCase();
			lastLsn = lsn;
			const message = plugin.parse(chunk.subarray(25)) as Pgoutput.Message;
			queue = queue.then(async () => handle(lsn, message, receivedAt)).catch((error: unknown) => feed.end(error as Error));
		} else if (kind === 0x6b && chunk.readUInt8(17) === 1 && !closing) {
			// A keepalive that asks for an answer: without one the walsender ends the session.
			copy.sendCopyFromChunk(standbyStatus(lastLsn));
		}
	});
	const status = setInterval(() => {
		if (!closing) copy.sendCopyFromChunk(standbyStatus(lastLsn));
	}, statusIntervalMs);
	status.unref();

	const started = client.query(`START_REPLICATION SLOT "${slot}" LOGICAL 0/0 (proto_version '1', publication_names '${publication.replaceAll("'", "''")}')`);
	started.then(
		() => feed.end(),
		(error: unknown) => {
			if (!closing) feed.end(error as Error);
		},
	);

	feed.setTeardown(async () => {
		closing = true;
		clearInterval(status);
		// CopyDone first, and the server's own end of the stream (START_REPLICATION then completes):
		// a session ended in the middle of the stream makes the server log "unexpected EOF on standby
		// connection", in the log the user reads. Never long: a server going away does not answer.
		try {
			copy.endCopyFrom();
			await waitAtMost(started, endOfStreamMs);
		} catch {
			// The connection is already gone: nothing to say goodbye on.
		}
		await client.end().catch(() => undefined);
		// The server drops a temporary slot as the session's backend exits, a moment after the
		// socket closes: wait until it is gone, so "closed" means nothing of ours is left.
		const reader = await sideClient().catch(() => undefined);
		if (!reader) return;
		try {
			const deadline = Date.now() + slotGoneTimeoutMs;
			while (Date.now() < deadline) {
				const {rows} = await reader.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [slot]);
				if (rows.length === 0) break;
				await new Promise(resolve => setTimeout(resolve, 25));
			}
		} finally {
			await reader.end().catch(() => undefined);
		}
	});
	return feed;
}
