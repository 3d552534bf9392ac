import {UsageError} from '../core/errors.js';
import type {Command} from '../cli/command.js';
import {signalExitCode} from '../cli/exit-codes.js';
import {exactlyOne} from '../cli/names.js';

export const shellCommand: Command = {
	name: 'shell',
	usage: '<name>',
	summary: "Open the database's own client (psql, mysql, sqlcmd) in its container, logged in; or run a script from stdin.",
	details: [
		'On a terminal the client is interactive (a real TTY: keys, Ctrl-C and resizing reach it). With stdin',
		'not a terminal it runs what stdin holds and stops at the first error (psql: ON_ERROR_STOP).',
		"The exit code is the client's. Runs through the engine API: no docker CLI needed.",
	],
	flags: {},
	examples: ['dbarena shell my-test-db', 'dbarena shell my-test-db < migration.sql', 'dbarena dump old-db | dbarena shell new-db'],
	interruptible: true,
	async run(ctx, args) {
		const name = exactlyOne(args.input, 'shell', 'open a shell in');
		if (ctx.out.json) throw new UsageError('shell prints what the database client prints; it has no --json output.', 'invalid_flag');
		const manager = await ctx.manager();
		const container = await manager.find(name);
		const {openShell} = await import('../core/database-client.js');
		const {stdin, stdout, stderr} = process;
		let code: number;
		if (stdin.isTTY && stdout.isTTY) {
			const {lendTerminal} = await import('../ui/raw-terminal.js');
			code = await lendTerminal({stdin, stdout, stderr}, async io => openShell(manager.engine, container, io), ctx.signal);
		} else {
			code = await openShell(manager.engine, container, {tty: false, stdin, stdout, stderr, signal: ctx.signal});
		}
		return ctx.signal.aborted ? signalExitCode(ctx.interruptedBy()) : code;
	},
};
