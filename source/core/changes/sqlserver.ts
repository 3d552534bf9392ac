import {execInContainer} from '../docker/containers.js';
import type {EngineHandle} from '../engine-handle.js';
import {OperationError} from '../errors.js';
import {sqlcmdMissing} from '../probes.js';
import {ChangeFeed} from './feed.js';
import {keyOf} from './values.js';
import type {ChangeEvent, ChangeFilter, ChangeOperation, ChangeStream, ChangeValues} from './types.js';

/** One SELECT in, its rows out (the poller's only view of the server, so the unit tests can fake it). */
export type SelectRows = (sql: string) => Promise<Array<Record<string, unknown>>>;

type CaptureInstance = {instance: string; table: string; key: string[]};

const lsnPattern = /^0x[\dA-F]{20}$/i;
const namePattern = /^\w+$/;

function checkedLsn(value: unknown): string {
	if (typeof value !== 'string' || !lsnPattern.test(value)) throw new OperationError(`SQL Server gave an LSN dbarena cannot read: ${String(value)}`);
	return `0x${value.slice(2).toUpperCase()}`;
}

const operationOf: Record<number, ChangeOperation> = {1: 'delete', 2: 'insert', 4: 'update'};

/** A change table row without its `__$…` columns and our own `__…` helpers: the table's own columns. */
function ownColumns(row: Record<string, unknown>): ChangeValues {
	return Object.fromEntries(Object.entries(row).filter(([column]) => !column.startsWith('__')));
}

/**
 * SQL Server's change stream, polled: the change tables that `sys.sp_cdc_enable_table` makes (the
 * capture job fills them from the log a few seconds after commit), read with
 * `cdc.fn_cdc_get_all_changes_<instance>(from, to, 'all update old')` from the LSN where the
 * stream started. Unit-tested with a fake server only: no SQL Server runs on our test machines.
 */
export class CdcTablePoller {
	readonly #select: SelectRows;
	#last = '';
	#instances: CaptureInstance[] = [];

	constructor(select: SelectRows) {
		this.#select = select;
	}

	/** Start at the newest LSN now: what committed before is not shown, as with the other engines. */
	async start(): Promise<void> {
		const [row] = await this.#select('SELECT CONVERT(varchar(22), sys.fn_cdc_get_max_lsn(), 1) AS lsn');
		this.#last = checkedLsn(row?.['lsn']);
	}

	/** The changes committed since the last poll, in commit order. */
	async poll(receivedAt: Date): Promise<ChangeEvent[]> {
		const [top] = await this.#select('SELECT CONVERT(varchar(22), sys.fn_cdc_get_max_lsn(), 1) AS lsn');
		const to = checkedLsn(top?.['lsn']);
		if (to <= this.#last) return [];
		// Tables enabled for capture since the last poll are picked up too.
		this.#instances = await this.#captureInstances();
		const rows: Array<Record<string, unknown> & {__table: CaptureInstance}> = [];
		for (const instance of this.#instances) {
			const [range] = await this.#select(
				`SELECT CONVERT(varchar(22), sys.fn_cdc_increment_lsn(${this.#last}), 1) AS [from], ` +
					`CONVERT(varchar(22), sys.fn_cdc_get_min_lsn('${instance.instance}'), 1) AS [min]`,
			);
			const from = [checkedLsn(range?.['from']), checkedLsn(range?.['min'])].sort().at(-1)!;
			if (from > to) continue;
			const changes = await this.#select(
				'SELECT CONVERT(varchar(22), __$start_lsn, 1) AS __lsn, CONVERT(varchar(22), __$seqval, 1) AS __seq, __$operation AS __op, ' +
					`sys.fn_cdc_map_lsn_to_time(__$start_lsn) AS __time, * FROM cdc.fn_cdc_get_all_changes_${instance.instance}(${from}, ${to}, N'all update old')`,
			);
			rows.push(...changes.map(row => ({...row, __table: instance})));
		}
		this.#last = to;
		// Commit order across tables: by the transaction's LSN, then the change's place in it.
		const order = (row: Record<string, unknown>) => `${String(row['__lsn']).toUpperCase()}${String(row['__seq']).toUpperCase()}${String(row['__op'])}`;
		rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
		return toEvents(rows, receivedAt);
	}

	async #captureInstances(): Promise<CaptureInstance[]> {
		const rows = await this.#select(
			'SELECT ct.capture_instance AS instance, OBJECT_SCHEMA_NAME(ct.source_object_id) AS [schema], OBJECT_NAME(ct.source_object_id) AS [table], ' +
				"(SELECT STRING_AGG(ic.column_name, ',') WITHIN GROUP (ORDER BY ic.index_ordinal) FROM cdc.index_columns ic " +
				'WHERE ic.object_id = ct.object_id) AS [key] FROM cdc.change_tables ct',
		);
		return rows
			.filter(row => namePattern.test(String(row['instance'])))
			.map(row => ({
				instance: String(row['instance']),
				table: `${String(row['schema'])}.${String(row['table'])}`,
				key: typeof row['key'] === 'string' && row['key'] !== '' ? row['key'].split(',') : [],
			}));
	}
}

/** Rows of the change tables to events: operation 3 (an update's old row) goes with the 4 after it. */
function toEvents(rows: Array<Record<string, unknown> & {__table: CaptureInstance}>, receivedAt: Date): ChangeEvent[] {
	const events: ChangeEvent[] = [];
	let before: ChangeValues | undefined;
	for (const row of rows) {
		const op = Number(row['__op']);
		if (op === 3) {
			before = ownColumns(row);
			continue;
		}
		const operation = operationOf[op];
		if (!operation) continue;
		const columns = ownColumns(row);
		const lsn = String(row['__lsn']);
		const event: ChangeEvent = {operation, table: row.__table.table, transaction: lsn, position: lsn, receivedAt};
		if (operation === 'delete') event.oldValues = columns;
		else event.values = columns;
		if (operation === 'update' && before) event.oldValues = before;
		before = undefined;
		const key = keyOf(event.values ?? event.oldValues, row.__table.key);
		if (key) event.key = key;
		// The server's clock, without a zone: SQL Server's containers keep UTC.
		if (typeof row['__time'] === 'string') event.commitTime = new Date(`${row['__time'].replace(' ', 'T')}Z`);
		events.push(event);
	}
	return events;
}

const pollIntervalMs = 500;

/** One SELECT through sqlcmd in the container (no TDS driver ships with dbarena), its rows read back as JSON. */
function sqlcmdSelect(engine: EngineHandle, id: string, password: string, database: string): SelectRows {
	return async sql => {
		const query = `SET NOCOUNT ON; SELECT (${sql} FOR JSON PATH, INCLUDE_NULL_VALUES)`;
		const args = ['-S', 'localhost', '-U', 'sa', '-d', database, '-b', '-h', '-1', '-y', '0', '-Q', query];
		for (const command of [
			['/opt/mssql-tools18/bin/sqlcmd', '-C', ...args],
			['/opt/mssql-tools/bin/sqlcmd', ...args],
		]) {
			const result = await execInContainer(engine.docker, id, command, [`SQLCMDPASSWORD=${password}`]);
			if (result.exitCode !== 0 && sqlcmdMissing(result)) continue;
			if (result.exitCode !== 0) throw new OperationError((result.stderr || result.stdout).trim().split('\n').at(-1) ?? 'sqlcmd failed');
			const text = result.stdout.trim();
			return text === '' || text === 'NULL' ? [] : (JSON.parse(text) as Array<Record<string, unknown>>);
		}
		throw new OperationError('sqlcmd not found in the image');
	};
}

/** The SQL Server stream: the poller every half second until closed. */
export async function openSqlServerChanges(
	engine: EngineHandle,
	id: string,
	login: {password: string; database: string},
	filter: ChangeFilter,
): Promise<ChangeStream> {
	const poller = new CdcTablePoller(sqlcmdSelect(engine, id, login.password, login.database));
	await poller.start();
	const feed = new ChangeFeed(filter);
	let timer: NodeJS.Timeout | undefined;
	const tick = async () => {
		try {
			for (const event of await poller.poll(new Date())) feed.emit(event);
			if (!feed.ended) timer = setTimeout(() => void tick(), pollIntervalMs);
		} catch (error) {
			feed.end(error as Error);
		}
	};
	timer = setTimeout(() => void tick(), pollIntervalMs);
	feed.setTeardown(async () => clearTimeout(timer));
	return feed;
}
