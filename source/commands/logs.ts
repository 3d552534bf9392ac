import {booleanFlag, stringFlag} from './args.js';
import type {Command, CommandContext} from './command.js';
import {exitCode, signalExitCode} from './exit-codes.js';
import {exactlyOne} from './names.js';
import {parseTail} from './values.js';

/** Follow until the container stops (exit 0), the stream fails (1) or Ctrl-C (130/143). */
async function follow(ctx: CommandContext, name: string, tail: number | undefined): Promise<number> {
	const manager = await ctx.manager();
	const {followContainerLogs} = await import('../core/log-stream.js');
	return new Promise<number>((resolve, reject) => {
		let follower: {stop(): void} | undefined;
		const onAbort = () => {
			follower?.stop();
			resolve(signalExitCode(ctx.interruptedBy()));
		};
		followContainerLogs(manager, name, {
			...(tail === undefined ? {} : {tail}),
			onLine(line, stream) {
				// Both streams go to stdout, as without --follow; JSON lines keep them apart.
				if (ctx.out.json) ctx.out.line(JSON.stringify({stream, line}));
				else ctx.out.line(line);
			},
			onEnd(error) {
				ctx.signal.removeEventListener('abort', onAbort);
				if (error) reject(error);
				else resolve(exitCode.ok);
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
	summary: 'Print a container\'s logs (stdout and stderr together), or follow them.',
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
