import type {Pgoutput} from 'pg-logical-replication';
import {keyOf, plainValues} from './values.js';
import type {ChangeEvent} from './types.js';

/** `00000000/019064D0` (how the parser reads an LSN) as PostgreSQL writes it: `0/19064D0`. */
export function formatLsn(lsn: string): string {
	const [high = '0', low = '0'] = lsn.split('/');
	return `${Number.parseInt(high, 16).toString(16).toUpperCase()}/${Number.parseInt(low, 16).toString(16).toUpperCase()}`;
}

/**
 * pgoutput's times are microseconds since 1970 (the parser has moved them from PostgreSQL's 2000
 * epoch). The parser's types call them the boxed BigInt; at runtime they are bigint primitives.
 */
export function pgTime(microseconds: Pgoutput.MessageBegin['commitTime']): Date {
	return new Date(Number((microseconds as bigint) / 1000n));
}

/**
 * Turns pgoutput's messages into change events, in the order they come (pgoutput sends each
 * transaction whole, at its commit). Pure: the reader hands it what the server sent and the key
 * columns of each table, so the unit tests can feed it messages.
 *
 * Key columns: pgoutput marks the replica identity's columns, which is the primary key under the
 * default identity but every column under REPLICA IDENTITY FULL; so the reader looks the primary
 * key up itself for those tables and passes it to relation().
 */
export class PgoutputDecoder {
	#transaction: {xid: string; commitTime: Date} | undefined;
	readonly #keys = new Map<number, readonly string[]>();

	/** A table's description, sent before its first change in a session (and again after DDL). */
	relation(message: Pgoutput.MessageRelation, primaryKey?: readonly string[]): void {
		this.#keys.set(message.relationOid, primaryKey ?? (message.replicaIdentity === 'full' ? [] : message.keyColumns));
	}

	/** The table's key columns as known (an empty list: none to show). */
	keyColumns(relationOid: number): readonly string[] {
		return this.#keys.get(relationOid) ?? [];
	}

	decode(lsn: string, message: Pgoutput.Message, receivedAt: Date): ChangeEvent | undefined {
		switch (message.tag) {
			case 'begin': {
				this.#transaction = {xid: String(message.xid), commitTime: pgTime(message.commitTime)};
				return undefined;
			}
			case 'commit': {
				this.#transaction = undefined;
				return undefined;
			}
			case 'relation': {
				if (!this.#keys.has(message.relationOid)) this.relation(message);
				return undefined;
			}
			case 'insert': {
				const values = plainValues(message.new);
				return this.#event('insert', message.relation, lsn, receivedAt, {values, key: this.#key(message.relation, values)});
			}
			case 'update': {
				const values = plainValues(message.new);
				const oldValues = plainValues(message.old);
				return this.#event('update', message.relation, lsn, receivedAt, {values, oldValues, key: this.#key(message.relation, values)});
			}
			case 'delete': {
				const oldValues = plainValues(message.old);
				// Under the default identity a delete carries only the key columns: that is the key.
				const key = this.#key(message.relation, oldValues) ?? plainValues(message.key);
				return this.#event('delete', message.relation, lsn, receivedAt, {oldValues, key});
			}
			default: {
				return undefined;
			}
		}
	}

	#key(relation: Pgoutput.MessageRelation, row: ChangeEvent['values']): ChangeEvent['key'] {
		return keyOf(row, this.keyColumns(relation.relationOid));
	}

	#event(
		operation: ChangeEvent['operation'],
		relation: Pgoutput.MessageRelation,
		lsn: string,
		receivedAt: Date,
		rows: Pick<ChangeEvent, 'key' | 'values' | 'oldValues'>,
	): ChangeEvent {
		const event: ChangeEvent = {operation, table: `${relation.schema}.${relation.name}`, position: formatLsn(lsn), receivedAt};
		if (rows.key) event.key = rows.key;
		if (rows.values) event.values = rows.values;
		if (rows.oldValues) event.oldValues = rows.oldValues;
		if (this.#transaction) {
			event.transaction = this.#transaction.xid;
			event.commitTime = this.#transaction.commitTime;
		}
		return event;
	}
}
