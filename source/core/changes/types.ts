/**
 * The change stream of a `--cdc` database as `dbarena changes` and the dashboard's Changes pane
 * show it: one event per row change, in commit order. Each engine's reader (PostgreSQL's logical
 * replication, the MySQL/MariaDB binlog, SQL Server's change tables) turns its own records into
 * these, so the command and the pane know nothing of where they came from.
 */
export type ChangeOperation = 'insert' | 'update' | 'delete';

export type ChangeValues = Record<string, unknown>;

export type ChangeEvent = {
	operation: ChangeOperation;
	/** `schema.table` (PostgreSQL, SQL Server) or `database.table` (MySQL/MariaDB). */
	table: string;
	/** The primary key's columns and values where the engine says which they are. */
	key?: ChangeValues;
	/** The row after the change (insert, update). */
	values?: ChangeValues;
	/** The row before the change, where the engine gives it (update and delete; PostgreSQL only under REPLICA IDENTITY FULL). */
	oldValues?: ChangeValues;
	/** The transaction id as the engine names it (PostgreSQL xid, MySQL/MariaDB GTID or XID, SQL Server LSN of the transaction). */
	transaction?: string;
	/** When the transaction committed, as the engine recorded it. */
	commitTime?: Date;
	/** Where the change is in the log: an LSN (`0/16B3748`), `binlog.000003:1234`, or SQL Server's `__$start_lsn`. */
	position: string;
	/** When this process received it; commit-to-display lag is `receivedAt - commitTime`. */
	receivedAt: Date;
};

export type ChangeFilter = {
	/** Table names as given by the user: `orders` matches any schema's `orders`, `public.orders` only that one. */
	tables?: string[];
	operations?: ChangeOperation[];
};

/**
 * A running reader. `close()` ends it and removes everything it made on the server (PostgreSQL's
 * temporary slot, the binlog session); it resolves once that is done, and is safe to call twice.
 */
export type ChangeStream = {
	/** Called for each event that passes the filter, in commit order. */
	onChange(listener: (event: ChangeEvent) => void): () => void;
	/** Called once if the stream ends by itself (server stopped, connection lost), with the reason. */
	onEnd(listener: (error?: Error) => void): () => void;
	close(): Promise<void>;
};
