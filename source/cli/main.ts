import {InterruptedError, UsageError} from '../core/errors.js';
import {configureTrace, traceNodeStart, tracePhase, traceLines} from '../core/trace.js';
import type {ContainerManager} from '../core/lifecycle.js';
import {closestNames} from '../core/names.js';
import {parseArgs} from './args.js';
import type {Command, CommandContext} from './command.js';
import {errorText} from './error-text.js';
import {errorCode, exitCode, exitCodeFor, signalExitCode} from './exit-codes.js';
import {commandHelp, groupHelp, mainHelp} from './help.js';
import {createOutput, painter, type Output, type Streams} from './output.js';
import {commands, groups, namedGroups} from './command-table.js';

type Resolved =
	| {kind: 'none'; help: boolean; version: boolean}
	| {kind: 'group-help'; group: string}
	| {kind: 'command'; name: string; rest: string[]; help: boolean};

const helpTokens = new Set(['--help', '-h']);

/** --json counts wherever it is (before "--"), so that even a usage error is reported as JSON. */
function wantsJson(argv: string[]): boolean {
	const end = argv.includes('--') ? argv.indexOf('--') : argv.length;
	return argv.slice(0, end).some(token => token === '--json' || token === '--json=true');
}

function unknownCommand(word: string, known: string[]): UsageError {
	const close = closestNames(word, known);
	const hint = close.length > 0 ? ` Did you mean: ${close.join(', ')}?` : '';
	return new UsageError(`Unknown command "${word}".${hint} Run "dbarena --help" for the list.`, 'unknown_command');
}

/** Find the command word(s); only global flags may come before them. */
export function resolveCommand(argv: string[]): Resolved {
	let index = 0;
	let help = false;
	let version = false;
	for (; index < argv.length && argv[index]!.startsWith('-'); index++) {
		const token = argv[index]!;
		if (token === '--json' || token === '--json=true') continue;
		if (helpTokens.has(token)) help = true;
		else if (token === '--version' || token === '-v') version = true;
		else throw new UsageError(`Unknown flag ${token}. Flags of a command go after it (dbarena <command> ${token}); run "dbarena --help".`, 'unknown_flag');
	}
	let word = argv[index];
	if (word === undefined) return {kind: 'none', help, version};
	if (version) throw new UsageError(`--version takes no command; run "dbarena --version" alone.`, 'unknown_flag');
	if (word === 'help') {
		help = true;
		index++;
		word = argv[index];
		if (word === undefined) return {kind: 'none', help, version};
	}
	const topLevel = [...new Set(Object.keys(commands).map(name => name.split(' ')[0]!))];
	const named = namedGroups[word];
	if (named?.includes(argv[index + 1] ?? '')) return {kind: 'command', name: `${word} ${argv[index + 1]!}`, rest: argv.slice(index + 2), help};
	const subcommands = groups[word];
	if (subcommands) {
		const sub = argv[index + 1];
		if (sub === undefined || sub.startsWith('-')) {
			if (help || (sub !== undefined && helpTokens.has(sub))) return {kind: 'group-help', group: word};
			throw new UsageError(`"dbarena ${word}" needs a subcommand: ${subcommands.join(', ')}.`, 'missing_subcommand');
		}
		if (!subcommands.includes(sub)) {
			const close = closestNames(sub, subcommands);
			const hint = close.length > 0 ? ` Did you mean: ${close.map(name => `${word} ${name}`).join(', ')}?` : '';
			throw new UsageError(`Unknown subcommand "${word} ${sub}".${hint} Choose one of: ${subcommands.join(', ')}.`, 'unknown_command');
		}
		return {kind: 'command', name: `${word} ${sub}`, rest: argv.slice(index + 2), help};
	}
	if (!commands[word]) throw unknownCommand(word, topLevel);
	return {kind: 'command', name: word, rest: argv.slice(index + 1), help};
}

function report(out: Output, error: unknown, signal?: NodeJS.Signals): number {
	const code = exitCodeFor(error, signal);
	const message = errorText(error);
	out.error(`Error: ${message}`);
	if (process.env['DBARENA_DEBUG'] && error instanceof Error && error.stack) out.error(error.stack);
	if (out.json) out.printJson({error: {code: errorCode(error), message, exitCode: code}});
	return code;
}

async function ask(question: string): Promise<boolean> {
	const {createInterface} = await import('node:readline');
	const rl = createInterface({input: process.stdin, output: process.stderr, terminal: true});
	return new Promise<boolean>((resolve, reject) => {
		// Ctrl-C at the prompt: the terminal is in raw mode, so it arrives here, not as a signal.
		rl.on('SIGINT', () => {
			// Rejected before close(): closing resolves "no", and the first settlement wins.
			reject(new InterruptedError('Confirmation'));
			rl.close();
		});
		rl.on('close', () => {
			resolve(false);
		});
		rl.question(`${question} [y/N] `, answer => {
			resolve(/^y(es)?$/i.test(answer.trim()));
			rl.close();
		});
	});
}

/**
 * The context of one run, and how to end what it opened: an ssh:// engine's connection would
 * otherwise keep the process alive after the command has printed its result.
 */
function makeContext(
	out: Output,
	signal: AbortSignal,
	interruptedBy: () => NodeJS.Signals | undefined,
	env: NodeJS.ProcessEnv,
): {ctx: CommandContext; close: () => Promise<void>} {
	let manager: Promise<ContainerManager> | undefined;
	const close = async () => {
		const opened = await manager?.catch(() => undefined);
		await opened?.close().catch(() => undefined);
	};
	const ctx: CommandContext = {
		out,
		paint: painter(out.color),
		signal,
		interruptedBy,
		env,
		ask,
		async manager() {
			// The core is loaded here, after argument checks, never for --help or a typo.
			manager ??= import('../core/lifecycle.js').then(({ContainerManager}) => {
				tracePhase('core loaded');
				return new ContainerManager();
			});
			return manager;
		},
	};
	return {ctx, close};
}

/**
 * Run a command with SIGINT/SIGTERM turned into an abort of ctx.signal. An interruptible command
 * gets to clean up (create removes its half-made container); any other ends at once. A second
 * signal always ends the process at once.
 */
async function runWithSignals(command: Command, out: Output, run: (ctx: CommandContext) => Promise<number>): Promise<number> {
	const controller = new AbortController();
	let received: NodeJS.Signals | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		if (received !== undefined || !command.interruptible) {
			process.exit(signalExitCode(received ?? signal));
		}
		received = signal;
		controller.abort();
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	const {ctx, close} = makeContext(out, controller.signal, () => received, process.env);
	try {
		return await run(ctx);
	} catch (error) {
		return report(out, error, received);
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		await close();
	}
}

/** No command: the dashboard on a terminal, otherwise the list once. */
async function noCommand(out: Output): Promise<number> {
	if (!out.interactive || out.json) {
		const {listCommand} = await import('../commands/list.js');
		const code = await runWithSignals(listCommand, out, async ctx => listCommand.run(ctx, {input: [], flags: {all: true}}));
		if (!out.json) out.error('Run dbarena in a terminal for the dashboard, or "dbarena --help" for commands.');
		return code;
	}
	const {openDashboard} = await import('../commands/dashboard.js');
	const {ctx, close} = makeContext(out, new AbortController().signal, () => undefined, process.env);
	try {
		return await openDashboard(ctx);
	} catch (error) {
		return report(out, error);
	} finally {
		await close();
	}
}

export async function main(argv: string[], version: string, streams: Streams = process): Promise<number> {
	const out = createOutput(wantsJson(argv), streams);
	configureTrace(Boolean(streams.env['DBARENA_TRACE']) && streams.env['DBARENA_TRACE'] !== '0');
	traceNodeStart(streams.env);
	tracePhase('main entered');
	try {
		return await dispatch(argv, version, out);
	} finally {
		tracePhase('done');
		for (const line of traceLines()) out.error(line);
	}
}

async function dispatch(argv: string[], version: string, out: Output): Promise<number> {
	try {
		const resolved = resolveCommand(argv);
		if (resolved.kind === 'group-help') {
			out.line(groupHelp(resolved.group));
			return exitCode.ok;
		}
		if (resolved.kind === 'none') {
			if (resolved.help) {
				out.line(mainHelp(version));
				return exitCode.ok;
			}
			if (resolved.version) {
				if (out.json) out.printJson({version});
				else out.line(version);
				return exitCode.ok;
			}
			return await noCommand(out);
		}
		const command = await commands[resolved.name]!.load();
		tracePhase(`command ${command.name} loaded`);
		const end = resolved.rest.includes('--') ? resolved.rest.indexOf('--') : resolved.rest.length;
		// Help wins over everything else on the line, even a flag that would be an error.
		if (resolved.help || resolved.rest.slice(0, end).some(token => helpTokens.has(token))) {
			out.line(commandHelp(command));
			return exitCode.ok;
		}
		const args = parseArgs(resolved.rest, command.flags);
		// A command whose usage names no arguments takes none: "list --all extra" is a mistake,
		// not something to ignore.
		if (!command.usage.includes('<') && args.input.length > 0) {
			throw new UsageError(`"dbarena ${command.name}" takes no arguments (got "${args.input.join(' ')}").`, 'too_many_arguments');
		}
		return await runWithSignals(command, out, async ctx => command.run(ctx, args));
	} catch (error) {
		return report(out, error);
	}
}
