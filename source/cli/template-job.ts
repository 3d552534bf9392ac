import type {ChildProcess} from 'node:child_process';
import type {CreateOptions} from '../core/create/plan.js';
import {UsageError} from '../core/errors.js';
import {presets} from '../core/presets/catalog.js';
import type {ContainerManager, CreateResult} from '../core/lifecycle.js';
import {seedPayload, type Seed} from '../core/seed/files.js';
import type {CommandContext} from './command.js';
import {childProcess} from '../core/lazy-builtins.js';

/**
 * The settings that shape a template (not the name, port or address of one container). A seed
 * goes as the files themselves, as read for this create: the builder then seeds exactly what this
 * container got, even if the user's files change or go (a temporary folder) before it reads them.
 */
export function templateOptions(options: CreateOptions, result: CreateResult, seed?: Seed): CreateOptions {
	return {
		database: result.container.database,
		version: result.container.version,
		mode: result.container.mode,
		user: result.connection.user,
		password: result.connection.password,
		databaseName: result.connection.database,
		...(options.env ? {env: options.env} : {}),
		...(options.memory === undefined ? {} : {memory: options.memory}),
		...(options.cdc ? {cdc: true} : {}),
		...(seed ? {seed: seedPayload(seed)} : {}),
	};
}

/**
 * After a fresh create, build the template for its settings in a detached process, so the user
 * is not kept waiting (the command has printed and exited) and the next create with the same
 * settings starts from it. Skipped when it cannot help: a template was used, data came from a
 * volume or snapshot, a custom image, a random password (a new key every time), or
 * DBARENA_TEMPLATES=off. Another process building the same key makes this one a no-op.
 */
export function startTemplateBuild(ctx: CommandContext, manager: ContainerManager, options: CreateOptions, result: CreateResult, seed?: Seed): boolean {
	const useless =
		result.container.source !== 'fresh' ||
		result.volumeReused ||
		options.noTemplate ||
		options.image !== undefined ||
		options.fromSnapshot !== undefined ||
		options.randomPassword ||
		presets[result.container.database].template === undefined;
	if (useless || ctx.env['DBARENA_TEMPLATES'] === 'off' || !process.argv[1]) return false;
	void manager;
	spawnTemplateBuild(process.argv[1], templateOptions(options, result, seed), ctx.env);
	return true;
}

/**
 * Start `templates build --options-stdin` detached and hand it the settings on its stdin. Not in
 * argv: any user on the machine can read a process's command line (ps, /proc/PID/cmdline), and
 * the settings hold the password. A pipe leaves nothing on disk, even if the child dies.
 *
 * The parent does not wait for the child: the JSON (a few hundred bytes) fits in the kernel
 * buffer of the pipe (a socket pair in Node; it takes about 200 KB here), so the write completes
 * at once and the data waits there for the child to read after the parent has exited. A seed's
 * files travel the same way, and larger ones do not fit: the parent's process then stays until
 * the child has read them (the pending write keeps it alive; nothing is cut off), which is the
 * child's start-up, a fraction of a second after the result was printed (measured in the bench).
 */
export function spawnTemplateBuild(cliPath: string, options: CreateOptions, env: NodeJS.ProcessEnv): ChildProcess {
	const child = childProcess().spawn(process.execPath, [cliPath, 'templates', 'build', '--options-stdin'], {
		detached: true,
		stdio: ['pipe', 'ignore', 'ignore'],
		env,
	});
	// A child that cannot start (or dies before reading) means no template this time, which is
	// all a failed background build ever means: the create itself has succeeded.
	child.on('error', () => {});
	child.stdin?.on('error', () => {});
	child.stdin?.end(JSON.stringify(options));
	child.unref();
	return child;
}

/** The builder's side: read the settings startTemplateBuild wrote, to the end of its stdin. */
export async function readTemplateOptions(input: AsyncIterable<Buffer | string>): Promise<CreateOptions> {
	// Joined before decoding: a chunk may end inside a multi-byte character of a password.
	const chunks: Buffer[] = [];
	for await (const chunk of input) chunks.push(Buffer.from(chunk));
	const text = Buffer.concat(chunks).toString('utf8');
	// The parent died before writing, or someone ran the flag by hand with nothing piped in.
	if (text.trim() === '') throw new UsageError('No settings on stdin: --options-stdin expects them as JSON.', 'missing_value');
	let options: unknown;
	try {
		options = JSON.parse(text);
	} catch {
		throw new UsageError('The settings on stdin are not valid JSON.', 'invalid_value');
	}
	// The core's plan checks every value; this only makes sure there is something to plan.
	if (typeof options !== 'object' || options === null || typeof (options as {database?: unknown}).database !== 'string') {
		throw new UsageError('The settings on stdin must be a JSON object with a "database".', 'invalid_value');
	}
	return options as CreateOptions;
}
