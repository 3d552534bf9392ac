import type {BinlogEvent, DeleteRowsEvent, QueryEvent, RotateEvent, UpdateRowsEvent, WriteRowsEvent, XidEvent} from '@vlasky/zongji';
import {keyOf, plainValues} from './values.js';
import type {ChangeEvent} from './types.js';

type RowsEvent = WriteRowsEvent | UpdateRowsEvent | DeleteRowsEvent;

/** The events the reader asks zongji for (GTIDs it tracks anyway and attaches to each event). */
export const binlogEvents = ['rotate', 'tablemap', 'writerows', 'updaterows', 'deleterows', 'xid', 'query'];

/** A row change read, waiting for its transaction's commit (which gives its XID and, on MariaDB, its position). */
type Pending = Omit<ChangeEvent, 'position' | 'receivedAt' | 'transaction' | 'commitTime'> & {at: number};

const isRows = (event: BinlogEvent): event is RowsEvent => ['writerows', 'updaterows', 'deleterows'].includes(event.getEventName());

/**
 * Turns the binlog's events (as zongji decodes them) into change events, a transaction at a time:
 * its row events are kept until its commit (an Xid event, or a COMMIT query for tables without
 * transactions), which gives the XID, the commit's time and position. The binlog holds only
 * committed transactions, so nothing is shown that did not commit. Pure, for the unit tests.
 *
 * Positions are `file:offset` after the row event; MariaDB writes no offset inside a transaction
 * (end_log_pos 0), so there it is the commit's.
 */
export class BinlogDecoder {
	#file: string;
	#pending: Pending[] = [];

	constructor(file: string) {
		this.#file = file;
	}

	get file(): string {
		return this.#file;
	}

	/** Feed one event; when it commits a transaction, its changes come back (without keys: see withKey). */
	take(event: BinlogEvent, receivedAt: Date): ChangeEvent[] {
		const name = event.getEventName();
		if (name === 'rotate') {
			this.#file = (event as RotateEvent).binlogName;
			return [];
		}
		if (isRows(event)) {
			this.#pending.push(...rowChanges(event));
			return [];
		}
		const commit = name === 'xid' || (name === 'query' && /^(?:COMMIT|ROLLBACK)\b/i.test((event as QueryEvent).query.trim()));
		if (!commit) return [];
		const pending = this.#pending;
		this.#pending = [];
		const xid = name === 'xid' ? String((event as XidEvent).xid) : undefined;
		const transaction = event.gtid ?? xid;
		const commitTime = new Date(event.timestamp);
		return pending.map(({at, ...change}) => ({
			...change,
			...(transaction === undefined ? {} : {transaction}),
			commitTime,
			position: `${this.#file}:${at > 0 ? at : event.nextPosition}`,
			receivedAt,
		}));
	}
}

function rowChanges(event: RowsEvent): Pending[] {
	const entry = event.tableMap[event.tableId];
	const table = entry ? `${entry.parentSchema}.${entry.tableName}` : `table#${event.tableId}`;
	const at = event.nextPosition;
	switch (event.getEventName()) {
		case 'writerows': {
			return (event as WriteRowsEvent).rows.map(row => ({operation: 'insert', table, values: plainValues(row)!, at}));
		}
		case 'updaterows': {
			return (event as UpdateRowsEvent).rows.map(({before, after}) => ({
				operation: 'update',
				table,
				values: plainValues(after)!,
				oldValues: plainValues(before)!,
				at,
			}));
		}
		default: {
			return (event as DeleteRowsEvent).rows.map(row => ({operation: 'delete', table, oldValues: plainValues(row)!, at}));
		}
	}
}

/** The change with its primary key's values, from the new row (insert, update) or the old one (delete). */
export function withKey(event: ChangeEvent, columns: readonly string[]): ChangeEvent {
	const key = keyOf(event.values ?? event.oldValues, columns);
	return key ? {...event, key} : event;
}
