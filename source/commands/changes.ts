import {booleanFlag, listFlag} from '../cli/args.js';
import type {Command, CommandContext} from '../cli/command.js';
import {exitCode, signalExitCode} from '../cli/exit-codes.js';
import {exactlyOne} from '../cli/names.js';
import {parseChangeFilter} from '../core/changes/filter.js';
import type {ChangeEvent, ChangeStream} from '../core/changes/types.js';
import type {ManagedContainer} from '../core/types.js';

/**
 * Without --follow: a stream made now holds only what commits from now on (a temporary slot sees
 * nothing older, and a permanent one of ours would be a slot left on the user's server), so
 * "what is pending" is what arrives while we watch: until 2 s pass without a change, 10 s at most.
 */
export const quietMs = 2000;
export const longestWatchMs = 10_000;
/** How long an ended stream waits for the engine to say the container stopped, before calling it a failure. */
const stopWaitMs = 5000;

/** How the stream ended: on a signal, after the quiet period, or by itself (with the reason). */
type Ending = {kind: 'signal'} | {kind: 'quiet'} | {kind: 'ended'; error?: Error};

async function watch(ctx: CommandContext, stream: ChangeStream, follow: boolean, print: (event: ChangeEvent) => string): Promise<Ending> {
	return new Promise<Ending>(resolve => {
		let quiet: NodeJS.Timeout | undefined;
		let longest: NodeJS.Timeout | undefined;
		const finish = (ending: Ending) => {
			clearTimeout(quiet);
			clearTimeout(longest);
			ctx.signal.removeEventListener('abort', onAbort);
			resolve(ending);
		};
		const onAbort = () => finish({kind: 'signal'});
		const rearm = () => {
			if (follow) return;
			clearTimeout(quiet);
			quiet = setTimeout(() => finish({kind: 'quiet'}), quietMs);
		};
		stream.onChange((event: ChangeEvent) => {
			ctx.out.line(print(event));
			rearm();
		});
		stream.onEnd(error => finish({kind: 'ended', ...(error ? {error} : {})}));
		if (ctx.signal.aborted) return finish({kind: 'signal'});
		ctx.signal.addEventListener('abort', onAbort, {once: true});
		rearm();
		if (!follow) longest = setTimeout(() => finish({kind: 'quiet'}), longestWatchMs);
	});
}

/** A stream that ended by itself: the container stopped (said, exit 0), or the connection failed (exit 1). */
async function endedBy(ctx: CommandContext, container: ManagedContainer, error: Error | undefined): Promise<number> {
	const manager = await ctx.manager();
	// A server shutting down closes its connections a moment before the engine calls it stopped.
	let now = await manager.inspect(container.id).catch(() => undefined);
	for (const deadline = Date.now() + stopWaitMs; now?.state === 'running' && Date.now() < deadline; ) {
		await new Promise(resolve => setTimeout(resolve, 200));
		now = await manager.inspect(container.id).catch(() => undefined);
	}
	if (!now) {
		ctx.out.error(`${container.name} was removed; its change stream ended.`);
		return exitCode.ok;
	}
	if (now.state !== 'running') {
		ctx.out.error(`${container.name} stopped (${now.state}); its change stream ended.`);
		return exitCode.ok;
	}
	ctx.out.error(`Error: The change stream of ${container.name} ended: ${error?.message ?? 'the server closed it'}.`);
	return exitCode.failed;
}

export const changesCommand: Command = {
	name: 'changes',
	usage: '<name> [--follow] [--table T]... [--op insert,update,delete]',
	summary: 'Print the decoded change stream of a --cdc database (what a CDC connector sees), as it commits.',
	details: [
		'One line per change: time, operation, table, [key], values, @ position (LSN or binlog file:offset).',
		'With --json, one {"operation", "table", "key", "values", "oldValues", "transaction", "commitTime", "position", "receivedAt"}',
		'object per line. It reads from now on: PostgreSQL through a temporary logical slot of its own (dropped when it stops),',
		"MySQL/MariaDB as a binlog client with its own server id. A user's own slots and connectors are never touched.",
		`Without --follow it prints what commits while it watches and exits after ${quietMs / 1000} s without a change (${longestWatchMs / 1000} s at most).`,
	],
	flags: {
		follow: {type: 'boolean', short: 'f', description: 'Keep printing changes until Ctrl-C or the container stops'},
		table: {
			type: 'string',
			multiple: true,
			value: 'T',
			description: 'Only these tables: "orders" (any schema) or "public.orders"; repeatable or comma-separated',
		},
		op: {type: 'string', value: 'LIST', description: 'Only these operations: insert, update, delete (comma-separated)'},
	},
	examples: ['dbarena changes orders-db --follow', 'dbarena changes orders-db --follow --json --table orders --op update,delete'],
	interruptible: true,
	async run(ctx, args) {
		const name = exactlyOne(args.input, 'changes', 'read the changes of');
		const op = args.flags['op'];
		const filter = parseChangeFilter({tables: listFlag(args, 'table'), operations: typeof op === 'string' ? [op] : []});
		const follow = booleanFlag(args, 'follow');
		const manager = await ctx.manager();
		const container = await manager.inspect(name);
		const [{openChangeStream}, {changeJson, changeLine}] = await Promise.all([import('../core/changes/open.js'), import('../core/changes/format.js')]);
		const print = ctx.out.json ? (event: ChangeEvent) => JSON.stringify(changeJson(event)) : changeLine;
		const stream = await openChangeStream(manager.engine, container, filter);
		try {
			// On stderr, so stdout stays the changes alone; scripts and tests wait for it before writing.
			ctx.out.error(
				follow
					? `Following the changes of ${container.name} from now on (Ctrl-C to stop).`
					: `Watching the changes of ${container.name} from now on, until ${quietMs / 1000} s pass without one (--follow to keep watching).`,
			);
			const ending = await watch(ctx, stream, follow, print);
			if (ending.kind === 'signal') return signalExitCode(ctx.interruptedBy());
			if (ending.kind === 'quiet') return exitCode.ok;
			return await endedBy(ctx, container, ending.error);
		} finally {
			await stream.close();
		}
	},
};
