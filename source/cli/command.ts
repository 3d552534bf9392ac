import type {ContainerManager} from '../core/lifecycle.js';
import type {FlagSpecs, ParsedArgs} from './args.js';
import type {Output, Paint} from './output.js';

/** What a command gets to work with; built once per run by main.ts. */
export type CommandContext = {
	out: Output;
	paint: Paint;
	/** Aborted on SIGINT/SIGTERM; pass it to the core so it stops and cleans up. */
	signal: AbortSignal;
	/** The signal that aborted `signal`, for the exit code (130 or 143). */
	interruptedBy(): NodeJS.Signals | undefined;
	/** The core, created (and dockerode loaded) only when a command first needs the engine. */
	manager(): Promise<ContainerManager>;
	env: NodeJS.ProcessEnv;
	/** Ask a y/N question on the terminal; only call it when out.interactive. */
	ask(question: string): Promise<boolean>;
};

export type Command = {
	/** As typed: "create", "images pull". */
	name: string;
	/** Arguments after the name, for help: "<database[:version]...>". */
	usage: string;
	summary: string;
	/** Longer help text, shown under the usage line. */
	details?: string[];
	flags: FlagSpecs;
	examples?: string[];
	/**
	 * Whether the command stops cleanly on Ctrl-C by itself (it passes ctx.signal to the core).
	 * Other commands are short, and a signal ends them at once.
	 */
	interruptible?: boolean;
	run(ctx: CommandContext, args: ParsedArgs): Promise<number>;
};
