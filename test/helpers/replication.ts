import pg from 'pg';
import type {Login} from './docker.js';

/** One XLogData message of a logical replication stream: where it starts, and what the plugin sent. */
export type StreamedChange = {lsn: string; data: Buffer};

const xlogData = 0x77; // 'w'

function lsnText(value: bigint): string {
	return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xff_ff_ff_ffn).toString(16).toUpperCase()}`;
}

/**
 * What a CDC connector does on reconnect, over the real replication protocol: START_REPLICATION
 * on its slot from the position it stored, and take what the server sends. node-postgres has no
 * streaming-replication API, but its connection hands CopyBoth data through as `copyData`
 * events, which is all a logical stream needs. It collects until `done` says so or the time is
 * up, and returns what came (nothing, when the server skipped it all).
 */
export async function streamFrom(
	login: Login,
	slot: string,
	startLsn: string,
	options: {plugin?: Record<string, string>; done: (changes: StreamedChange[]) => boolean; timeoutMs: number},
): Promise<StreamedChange[]> {
	// A logical replication connection: pg passes `replication` on at startup, though its types lack it.
	const config: pg.ClientConfig & {replication: string} = {...login, replication: 'database', connectionTimeoutMillis: 3000};
	const client = new pg.Client(config);
	client.on('error', () => {});
	await client.connect();
	const changes: StreamedChange[] = [];
	const pluginOptions = Object.entries(options.plugin ?? {})
		.map(([key, value]) => `"${key}" '${value}'`)
		.join(', ');
	try {
		return await new Promise<StreamedChange[]>((resolve, reject) => {
			const timer = setTimeout(() => resolve(changes), options.timeoutMs);
			const finish = () => {
				clearTimeout(timer);
				resolve(changes);
			};
			// pg's types do not expose the connection; its copyData events are the stream.
			const {connection} = client as unknown as {connection: NodeJS.EventEmitter};
			connection.on('copyData', ({chunk}: {chunk: Buffer}) => {
				// Keepalives ('k') need no answer in a stream this short (wal_sender_timeout is 60 s).
				if (chunk[0] !== xlogData) return;
				changes.push({lsn: lsnText(chunk.readBigUInt64BE(1)), data: chunk.subarray(25)});
				if (options.done(changes)) finish();
			});
			const command = `START_REPLICATION SLOT "${slot}" LOGICAL ${startLsn}${pluginOptions ? ` (${pluginOptions})` : ''}`;
			client.query(command).catch((error: unknown) => {
				clearTimeout(timer);
				reject(error instanceof Error ? error : new Error(String(error)));
			});
		});
	} finally {
		await client.end().catch(() => undefined);
	}
}

/** The text columns of a pgoutput Insert message ('I'), or undefined for any other message. */
export function insertedValues(data: Buffer): string[] | undefined {
	if (data[0] !== 0x49) return undefined;
	// 'I', relation id (4), 'N', column count (2), then per column a kind byte and, for 't', a length and the text.
	let at = 1 + 4 + 1;
	const columns = data.readInt16BE(at);
	at += 2;
	const values: string[] = [];
	for (let column = 0; column < columns; column++) {
		const kind = data[at];
		at += 1;
		if (kind !== 0x74) continue;
		const length = data.readInt32BE(at);
		at += 4;
		values.push(data.subarray(at, at + length).toString('utf8'));
		at += length;
	}
	return values;
}
