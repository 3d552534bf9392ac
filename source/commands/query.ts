import {booleanFlag} from '../cli/args.js';
import type {Command} from '../cli/command.js';
import {exitCode} from '../cli/exit-codes.js';
import {csvLines, queryJson, queryText} from '../cli/sql-output.js';
import {runningConnection} from '../core/database-client.js';
import {UsageError} from '../core/errors.js';

/** The SQL: the argument, or everything on stdin when it is a pipe or a file. */
async function sqlText(input: string[]): Promise<string> {
	if (input.length > 2)
		throw new UsageError(`query takes a container name and one SQL text, got ${input.length} arguments; quote the SQL.`, 'too_many_arguments');
	if (input.length === 0) throw new UsageError('Name the container to query (see "dbarena list --all").', 'missing_argument');
	let sql = input[1];
	if (sql === undefined) {
		if (process.stdin.isTTY)
			throw new UsageError('Give the SQL to run: dbarena query NAME "SELECT …", or on stdin (dbarena query NAME < query.sql).', 'missing_argument');
		const chunks: Buffer[] = [];
		for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
		sql = Buffer.concat(chunks).toString('utf8');
	}
	if (sql.trim() === '') throw new UsageError('The SQL to run is empty.', 'missing_value');
	return sql;
}

export const queryCommand: Command = {
	name: 'query',
	usage: '<name> ["SQL"] [--csv]',
	summary: 'Run SQL from this machine (through the published port, as your app would) and print the rows.',
	details: [
		"The SQL is the second argument, or stdin. Several statements run in order; the last one's rows are printed.",
		'A table on a terminal; --csv (RFC 4180; NULL is an empty field, an empty string "") or --json:',
		'{"name", "columns", "rows": [{column: value}], "rowCount", "command"}. A refused statement exits 1 with the',
		"server's message. PostgreSQL, MySQL and MariaDB (SQL Server: use dbarena shell).",
	],
	flags: {
		csv: {type: 'boolean', description: 'Print the rows as CSV with a header line'},
	},
	examples: [
		'dbarena query my-test-db "SELECT * FROM users"',
		'dbarena query my-test-db "SELECT count(*) AS n FROM orders" --json',
		'dbarena query my-test-db --csv < report.sql > report.csv',
	],
	async run(ctx, args) {
		const csv = booleanFlag(args, 'csv');
		if (csv && ctx.out.json) throw new UsageError('Conflicting flags --csv and --json: choose one.', 'conflicting_flags');
		const sql = await sqlText(args.input);
		const manager = await ctx.manager();
		const container = await manager.find(args.input[0]!);
		const {runSql} = await import('../core/sql-query.js');
		const result = await runSql(container.database, runningConnection(container, 'query it'), sql);
		if (ctx.out.json) ctx.out.printJson(queryJson(container.name, result));
		else if (csv) for (const line of csvLines(result)) ctx.out.line(line);
		else for (const line of queryText(result, ctx.out.columns)) ctx.out.line(line);
		return exitCode.ok;
	},
};
