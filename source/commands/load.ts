import {stringFlag} from '../cli/args.js';
import type {Command, CommandContext} from '../cli/command.js';
import {errorCode, exitCode} from '../cli/exit-codes.js';
import {exactlyOne} from '../cli/names.js';
import {loadSummaryLines, liveLoadLine} from '../cli/load-output.js';
import {parseLoadOptions} from '../core/load/options.js';
import type {LoadSummary} from '../core/load/run.js';

/** The summary as --json prints it: the container's name first. */
const document = (name: string, summary: LoadSummary) => ({name, ...summary});

export const loadCommand: Command = {
	name: 'load',
	usage: '<name> [--rate N] [--duration S] [--tables K] [--mix I:U:D]',
	summary: 'Write a steady stream of inserts, updates and deletes, for a CDC connector to read.',
	details: [
		'Writes to tables of its own (dbarena_load_1 …, made when missing) through the published port as the',
		"container's user, one statement per transaction, on a schedule that keeps the rate asked for. The columns are",
		'types connectors often get wrong: numeric(14,4), bigint beyond 2^53, timestamp with microseconds (and a time',
		'zone on PostgreSQL), JSON, text with accents, CJK and emoji, and NULLs. Updates and deletes pick live rows.',
		'Until --duration is over or Ctrl-C (exit 0 either way); then the writes by kind, the achieved rate and the',
		'commit latency (p50, p99, max). --json: one summary document. PostgreSQL, MySQL and MariaDB.',
	],
	flags: {
		rate: {type: 'string', value: 'N', description: 'Writes per second (default 50)'},
		duration: {type: 'string', value: 'S', description: 'Stop after S seconds (default: until Ctrl-C)'},
		tables: {type: 'string', value: 'K', description: 'Spread the writes over K tables (default 1)'},
		mix: {type: 'string', value: 'I:U:D', description: 'Weights of inserts, updates and deletes (default 60:30:10)'},
	},
	examples: [
		'dbarena load my-test-db',
		'dbarena load my-test-db --rate 200 --duration 60 --tables 3',
		'dbarena load my-test-db --mix 1:0:0 --duration 10 --json',
	],
	interruptible: true,
	async run(ctx, args) {
		const name = exactlyOne(args.input, 'load', 'write to');
		// Every value is checked before the engine is asked: a typo makes nothing.
		const options = parseLoadOptions({
			rate: stringFlag(args, 'rate'),
			duration: stringFlag(args, 'duration'),
			tables: stringFlag(args, 'tables'),
			mix: stringFlag(args, 'mix'),
		});
		const manager = await ctx.manager();
		const container = await manager.find(name);
		const [{loadContainer}, {LoadFailedError}] = await Promise.all([import('../core/load/container-load.js'), import('../core/load/run.js')]);
		const live = ctx.out.tty && !ctx.out.json;
		const clearLive = () => {
			if (live) process.stdout.write('\r\u001B[2K');
		};
		if (live) ctx.out.error(`Writing to ${container.name} at ${options.rate}/s; Ctrl-C stops it.`);
		try {
			const summary = await loadContainer(manager.engine, container, options, {
				signal: ctx.signal,
				onProgress: progress => {
					if (live) process.stdout.write(`\r\u001B[2K${liveLoadLine(progress, options.rate)}`);
				},
			});
			clearLive();
			print(ctx, container.name, summary);
			return exitCode.ok;
		} catch (error) {
			clearLive();
			if (!(error instanceof LoadFailedError)) throw error;
			// What was done before the server went away is still worth knowing.
			if (ctx.out.json) {
				ctx.out.printJson({...document(container.name, error.summary), error: {code: errorCode(error), message: error.message, exitCode: exitCode.failed}});
			} else {
				for (const line of loadSummaryLines(error.summary)) ctx.out.line(line);
			}
			ctx.out.error(`Error: ${error.message}`);
			return exitCode.failed;
		}
	},
};

function print(ctx: CommandContext, name: string, summary: LoadSummary): void {
	if (ctx.out.json) ctx.out.printJson(document(name, summary));
	else for (const line of loadSummaryLines(summary)) ctx.out.line(line);
}
