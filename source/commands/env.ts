import {booleanFlag, stringFlag} from '../cli/args.js';
import type {Command} from '../cli/command.js';
import {exitCode} from '../cli/exit-codes.js';
import {exactlyOne} from '../cli/names.js';
import {loginOf, noteIfStopped} from '../cli/login.js';
import {connectionString, connectionVariables, settingsFormats, withPrefix, type SettingsFormat} from '../core/connection-formats.js';
import {dotenvLines} from '../core/dotenv.js';
import {UsageError} from '../core/errors.js';

function parseFormat(text: string | undefined): SettingsFormat | undefined {
	if (text === undefined) return undefined;
	const format = settingsFormats.find(known => known === text.trim().toLowerCase());
	if (!format) throw new UsageError(`Invalid --format "${text}": use one of ${settingsFormats.join(', ')}.`, 'invalid_value');
	return format;
}

/** A prefix becomes part of variable names, so it must be one: letters, digits and _, not starting with a digit. */
function parsePrefix(text: string | undefined): string | undefined {
	if (text === undefined) return undefined;
	if (!/^[A-Za-z_]\w{0,63}$/.test(text)) {
		throw new UsageError(
			`Invalid --prefix "${text}": use letters, digits and _ (not starting with a digit, at most 64), e.g. --prefix ORDERS.`,
			'invalid_value',
		);
	}
	return text;
}

export const envCommand: Command = {
	name: 'env',
	usage: '<name> [--format env|json|jdbc|dotnet|url] [--prefix P] [--write FILE] [--cdc]',
	summary: "Print a container's connection settings: DATABASE_URL and the variables its client reads (PGHOST…, MYSQL_HOST…).",
	details: [
		'--write FILE adds those variables to a .env file, or replaces their values, and leaves every other line as it',
		'was (comments, blank lines, CRLF, export prefixes, quoting). --prefix ORDERS names them ORDERS_DATABASE_URL…,',
		'for several databases in one file. jdbc, dotnet and url print one connection string.',
		'With --json: {"name", "variables": {...}, "written": FILE or null}.',
	],
	flags: {
		format: {type: 'string', value: 'F', description: `How to print them: ${settingsFormats.join(', ')} (default env)`},
		prefix: {type: 'string', value: 'P', description: 'Put P_ before every variable name (env and json)'},
		write: {type: 'string', value: 'FILE', description: 'Add or replace the variables in this .env file instead of printing them'},
		cdc: {type: 'boolean', description: "The CDC connector's login (a container created with --cdc) instead of the admin one"},
	},
	examples: [
		'dbarena env my-test-db --write .env',
		'dbarena env orders-db --prefix ORDERS --write .env',
		'dbarena env my-test-db --format jdbc',
		'eval "$(dbarena env my-test-db | sed \'s/^/export /\')"',
	],
	async run(ctx, args) {
		const name = exactlyOne(args.input, 'env', 'print the settings of');
		const format = parseFormat(stringFlag(args, 'format'));
		const prefix = parsePrefix(stringFlag(args, 'prefix'));
		const file = stringFlag(args, 'write');
		const chosen = format ?? 'env';
		if (ctx.out.json && format !== undefined)
			throw new UsageError('Conflicting flags --json and --format: --json prints the variables as JSON.', 'conflicting_flags');
		if (prefix !== undefined && (chosen === 'jdbc' || chosen === 'dotnet' || chosen === 'url')) {
			throw new UsageError(
				`Conflicting flags --prefix and --format ${chosen}: a prefix names variables, and ${chosen} prints one string.`,
				'conflicting_flags',
			);
		}
		if (file !== undefined && chosen !== 'env') {
			throw new UsageError(`Conflicting flags --write and --format ${chosen}: --write writes a .env file.`, 'conflicting_flags');
		}
		const {checkDotenvTarget, writeDotenv} = await import('../cli/dotenv-file.js');
		// Before the engine is asked anything: a path that cannot be written is the user's to fix.
		if (file !== undefined) checkDotenvTarget(file);
		const manager = await ctx.manager();
		const container = await manager.inspect(name);
		const login = loginOf(container, booleanFlag(args, 'cdc'));
		const variables = withPrefix(connectionVariables(container.database, login), prefix);
		const written = file === undefined ? undefined : writeDotenv(file, variables);
		if (ctx.out.json) {
			ctx.out.printJson({name: container.name, variables: Object.fromEntries(variables), written: file ?? null});
		} else if (written) {
			const parts = [
				...(written.replaced.length > 0 ? [`replaced ${written.replaced.join(', ')}`] : []),
				...(written.added.length > 0 ? [`added ${written.added.join(', ')}`] : []),
			];
			ctx.out.line(`${ctx.paint.green('✓')} ${file}: ${parts.join('; ')}`);
		} else if (chosen === 'env') {
			for (const line of dotenvLines(variables)) ctx.out.line(line);
		} else if (chosen === 'json') {
			ctx.out.printJson(Object.fromEntries(variables));
		} else {
			ctx.out.line(connectionString(chosen, container.database, login));
		}
		noteIfStopped(ctx.out, container);
		return exitCode.ok;
	},
};
