import {booleanFlag} from '../cli/args.js';
import type {Command} from '../cli/command.js';
import {signalExitCode} from '../cli/exit-codes.js';
import {exactlyOne} from '../cli/names.js';
import {UsageError} from '../core/errors.js';

export const dumpCommand: Command = {
	name: 'dump',
	usage: '<name> [--schema-only | --data-only]',
	summary: 'Write the database as SQL to stdout, with the dump tool in its image (pg_dump, mysqldump or mariadb-dump).',
	details: [
		'PostgreSQL: without ownership, grants, publications and subscriptions, so it restores into any',
		'database whatever its user (dbarena shell NEW < dump.sql). MySQL/MariaDB: one consistent',
		"transaction (--single-transaction), routines included. The tool's messages go to stderr; the exit code is the tool's.",
	],
	flags: {
		schemaOnly: {type: 'boolean', description: 'Only the schema (tables, views, functions), no rows'},
		dataOnly: {type: 'boolean', description: 'Only the rows, no CREATE statements'},
	},
	examples: ['dbarena dump my-test-db > before.sql', 'dbarena dump my-test-db --schema-only', 'dbarena dump old-db | dbarena shell new-db'],
	interruptible: true,
	async run(ctx, args) {
		const name = exactlyOne(args.input, 'dump');
		const schemaOnly = booleanFlag(args, 'schemaOnly');
		const dataOnly = booleanFlag(args, 'dataOnly');
		if (schemaOnly && dataOnly) {
			throw new UsageError('Conflicting flags --schema-only and --data-only: leave both out for the schema and the rows.', 'conflicting_flags');
		}
		if (ctx.out.json) throw new UsageError('dump writes SQL to stdout; it has no --json output.', 'invalid_flag');
		const manager = await ctx.manager();
		const container = await manager.find(name);
		const {dumpDatabase} = await import('../core/database-client.js');
		const scope = schemaOnly ? 'schema' : dataOnly ? 'data' : 'all';
		const code = await dumpDatabase(manager.engine, container, scope, {stdout: process.stdout, stderr: process.stderr, signal: ctx.signal});
		return ctx.signal.aborted ? signalExitCode(ctx.interruptedBy()) : code;
	},
};
