import {booleanFlag, stringFlag} from '../cli/args.js';
import type {Command, CommandContext} from '../cli/command.js';
import {exitCode, signalExitCode} from '../cli/exit-codes.js';
import {exactlyOne} from '../cli/names.js';
import {parseTail} from '../cli/values.js';
import type {LogCursor} from '../core/log-stream.js';

/**
 * Follow until the container stops (exit 0, said on stderr), the engine goes away (exit 3, said
 * on stderr), the stream fails (1) or Ctrl-C (130/143). A stream that ends while the container
 * still runs (an engine hiccup) is resumed from that moment.
 */
async function follow(ctx: CommandContext, name: string, tail: number | undefined): Promise<number> {
	const manager = await ctx.manager();
	const {whyLogsEnded} = await import('../core/log-stream.js');
	const container = await manager.find(name);
	// Where the printed lines got to: a stream resumed after a restart starts right after it, so
	// the lines the server printed while it stopped and started again are not lost.
	const position: {last?: LogCursor} = {};
	for (let first = true; ; first = false) {
		const code = await followOnce(ctx, container.id, first ? tail : 0, position);
		if (code !== undefined) return code;
		if (ctx.signal.aborted) return signalExitCode(ctx.interruptedBy());
		const why = await whyLogsEnded(manager.engine, container);
		if (why.kind === 'running') continue;
		if (why.kind === 'engine-lost') {
			ctx.out.error(`Error: The Docker engine at ${why.address} went away while following ${container.name}'s logs.`);
			return exitCode.engineUnavailable;
		}
		ctx.out.error(why.kind === 'removed' ? `${container.name} was removed.` : `${container.name} stopped (exit code ${why.exitCode}).`);
		return exitCode.ok;
	}
}

/** One follow stream: undefined when it ended by itself (the caller finds out why). */
async function followOnce(ctx: CommandContext, name: string, tail: number | undefined, position: {last?: LogCursor}): Promise<number | undefined> {
	const manager = await ctx.manager();
	const {advanceCursor, followContainerLogs} = await import('../core/log-stream.js');
	return new Promise<number | undefined>((resolve, reject) => {
		let follower: {stop(): void} | undefined;
		const onAbort = () => {
			follower?.stop();
			resolve(signalExitCode(ctx.interruptedBy()));
		};
		followContainerLogs(manager.engine, name, {
			...(tail === undefined ? {} : {tail}),
			...(position.last === undefined ? {} : {after: position.last}),
			onLine(line, stream, time) {
				if (time !== undefined) position.last = advanceCursor(position.last, time);
				// Both streams go to stdout, as without --follow; JSON lines keep them apart.
				if (ctx.out.json) ctx.out.line(JSON.stringify({stream, line}));
				else ctx.out.line(line);
			},
			onEnd() {
				ctx.signal.removeEventListener('abort', onAbort);
				resolve(undefined);
			},
		}).then(started => {
			follower = started;
			if (ctx.signal.aborted) onAbort();
			else ctx.signal.addEventListener('abort', onAbort, {once: true});
		}, reject);
	});
}

export const logsCommand: Command = {
	name: 'logs',
	usage: '<name> [--follow] [--tail N]',
	summary: "Print a container's logs (stdout and stderr together), or follow them.",
	details: ['With --json: {"name", "lines": [...]}; with --follow --json: one {"stream", "line"} object per line.'],
	flags: {
		follow: {type: 'boolean', short: 'f', description: 'Keep printing new lines until the container stops or Ctrl-C'},
		tail: {type: 'string', value: 'N', description: 'Only the last N lines (a whole number, or "all")'},
	},
	examples: ['dbarena logs my-test-db --tail 20', 'dbarena logs my-test-db --follow'],
	interruptible: true,
	async run(ctx, args) {
		const name = exactlyOne(args.input, 'logs');
		const tailText = stringFlag(args, 'tail');
		const tail = tailText === undefined ? undefined : parseTail(tailText);
		if (booleanFlag(args, 'follow')) return follow(ctx, name, tail);
		const manager = await ctx.manager();
		const lines = await manager.logs(name, tail === undefined ? {} : {tail});
		if (ctx.out.json) ctx.out.printJson({name, lines});
		else for (const line of lines) ctx.out.line(line);
		return exitCode.ok;
	},
};
