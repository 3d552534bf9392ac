import {expect} from 'vitest';
import {randomBytes} from 'node:crypto';
import {cli, docker, removeAll} from '../integration/cli-helpers.js';
import {footprint} from './footprint.js';

// The bad-input table and the check every row gets, shared by bad-input.test.ts (every row) and
// busy-engine.test.ts (some rows while an unrelated container churns beside them).

const long = 'x'.repeat(300);
const unicode = 'пароль-🙂';
const shell = '$(touch /tmp/dbarena-pwned);`id`|&;<>';
const negative = '-5';
const huge = '99999999999999999999999';

/** A bad command line and what the single stderr line must mention. */
export type BadInput = [args: string[], message: RegExp];

/** Every command and flag with malformed values; `managed` and `foreign` are the targets setUpTargets made. */
export function badInputCases(managed: string, foreign: string): BadInput[] {
	return [
		// create: each flag with each kind of bad value
		...[
			['', /Name at least one database|Unknown database/],
			[long, /Unknown database/],
			[unicode, /Unknown database/],
			[shell, /Unknown database/],
			['oracle', /Unknown database "oracle"\. Supported: postgres, mysql, mariadb, sqlserver/],
		].map(([value, message]) => [['create', value as string], message as RegExp] as [string[], RegExp]),
		...['', long, unicode, shell, negative, huge, '13', '5.7'].map(
			value => [['create', 'postgres', '--version', value], /version|Flag --version needs a value/] as [string[], RegExp],
		),
		...['', long, unicode, shell, '-bad', '.hidden', 'a/b'].map(
			value => [['create', 'postgres', '--name', value], /Invalid container name|Flag --name needs a value/] as [string[], RegExp],
		),
		...['', unicode, shell, negative, huge, '0', '65536', '1.5', 'abc'].map(
			value => [['create', 'postgres', '--port', value], /--port|Flag --port needs a value/] as [string[], RegExp],
		),
		...['', unicode, shell, negative, huge, '1m', 'lots', '12q'].map(
			value => [['create', 'postgres', '--memory', value], /--memory|memory limit|Flag --memory needs a value/] as [string[], RegExp],
		),
		...['', unicode, shell, negative, '0', 'soon', huge].map(
			value => [['create', 'postgres', '--timeout', value], /--timeout|Flag --timeout needs a value/] as [string[], RegExp],
		),
		...['', 'NOEQUALS', '=value', '1BAD=x', `${unicode}=x`, 'POSTGRES_PASSWORD=x'].map(
			value => [['create', 'postgres', '--env', value], /--env|environment variable|is set by dbarena|Flag --env needs a value/] as [string[], RegExp],
		),
		...['', unicode, shell, '999.1.1.1', 'localhost:5432'].map(
			value => [['create', 'postgres', '--bind', value], /--bind|Flag --bind needs a value/] as [string[], RegExp],
		),
		[['create', 'sqlserver', '--password', 'weak'], /SQL Server needs a password/],
		[['create', 'postgres', '--password', ''], /password must not be empty|Flag --password needs a value/],
		[['create', 'postgres', '--password', 'x', '--random-password'], /not both/],
		[['create', 'postgres', '--fast', '--durable'], /Conflicting flags/],
		// A valid port: a create that went ahead anyway would leave a listener on it.
		[['create', 'postgres', '--port', '54329', '--fast', '--durable'], /Conflicting flags/],
		[['create', 'postgres', '--from-snapshot', shell], /Invalid snapshot tag/],
		...['', long, unicode, shell, 'no/such/seed.sql', '/dev/null', 'package.json'].map(
			value => [['create', 'postgres', '--init', value], /Init path|Init file|Cannot read init path|Flag --init needs a value/] as [string[], RegExp],
		),
		[['create', 'sqlserver', '--init', 'README.md'], /Init scripts are not supported for SQL Server/],
		[['create', 'postgres', '--bogus'], /Unknown flag --bogus/],
		[['create', 'postgres', 'mysql', '--name', 'one'], /applies to one container/],
		// names of containers that do not exist or that dbarena does not manage
		...['start', 'stop', 'restart', 'inspect', 'url', 'logs', 'tunnel'].flatMap(
			command =>
				[
					[[command, foreign], /not managed by dbarena/],
					[[command, shell], /No dbarena container named|Invalid|not managed/],
					[[command, ''], /name the container|name at least one|container name is required/i],
				] as Array<[string[], RegExp]>,
		),
		[['destroy', foreign, '--yes'], /not managed by dbarena/],
		[['reset', foreign, '--yes'], /not managed by dbarena/],
		[['snapshot', foreign], /not managed by dbarena/],
		[['destroy', `${managed}x`, '--yes'], /No dbarena container named .* Did you mean/],
		[['destroy', managed, '--remove-volume'], /always needs --yes/],
		[['destroy', managed], /without confirmation/],
		[['reset', managed], /always needs --yes/],
		// numbers for the other commands
		...['', negative, 'soon', huge].map(value => [['stop', managed, '--timeout', value], /--timeout|Flag --timeout needs a value/] as [string[], RegExp]),
		...['', negative, 'ten', huge].map(value => [['logs', managed, '--tail', value], /--tail|Flag --tail needs a value/] as [string[], RegExp]),
		// images, volumes, templates, snapshots
		[['images', 'pull'], /Name what to pull/],
		[['images', 'pull', 'oracle'], /Unknown database/],
		[['images', 'pull', 'postgres:99'], /Unknown postgres version/],
		[['images', 'pull', '--all', 'postgres'], /not both/],
		[['images', 'prune'], /without confirmation|Add --yes|confirm/i],
		[['images', 'frobnicate'], /Unknown subcommand/],
		[['volumes', 'rm', 'no-such-volume-at-all', '--yes'], /No dbarena volume named/],
		[['volumes', 'rm', `${managed}-data`, '--yes'], /in use by/],
		[['volumes', 'rm', `${managed}-data`], /in use by|--yes/],
		[['snapshot', 'rm', 'no-such-snapshot', '--yes'], /No snapshot tagged/],
		[['snapshot', managed, '--tag', shell], /Invalid snapshot tag/],
		[['templates', 'build', 'oracle'], /Unknown database/],
		[['templates', 'build', 'postgres', '--options-stdin'], /takes every setting from stdin/],
		[['templates', 'build', '--options-json', '{}'], /Unknown flag --options-json/],
		[['list', '--all', 'extra'], /takes no arguments/],
		[['images', 'list', 'extra'], /takes no arguments/],
		[['url', managed, 'other'], /takes one container name/],
		...['', negative, 'ten', huge].map(value => [['tunnel', managed, '--port', value], /--port|Flag --port needs a value/] as [string[], RegExp]),
		// This machine's own engine: its databases are reached as printed, so there is nothing to forward.
		[['tunnel', managed], /reachable from this machine as it is/],
		// data out: shell, query, dump, env, and url --cdc
		...[['shell'], ['query', 'SELECT 1'], ['dump'], ['env']].flatMap(
			([command, ...rest]) =>
				[
					[[command!, foreign, ...rest], /not managed by dbarena/],
					[[command!, shell, ...rest], /No dbarena container named|Invalid|not managed/],
					[[command!], /Name the container/],
				] as Array<[string[], RegExp]>,
		),
		[['shell', managed, 'other'], /takes one container name/],
		[['query', managed, ''], /The SQL to run is empty/],
		[['query', managed, 'SELECT 1', 'SELECT 2'], /takes a container name and one SQL text/],
		[['query', managed, 'SELECT 1', '--csv', '--csv'], /can only be set once/],
		[['dump', managed, '--schema-only', '--data-only'], /Conflicting flags --schema-only and --data-only/],
		...['', unicode, shell, 'yaml'].map(value => [['env', managed, '--format', value], /--format/] as [string[], RegExp]),
		...['', unicode, shell, '1X', long].map(value => [['env', managed, '--prefix', value], /--prefix/] as [string[], RegExp]),
		[['env', managed, '--write', ''], /Flag --write needs a value/],
		// the change stream: a name, a database made with --cdc, and filters it can read
		[['changes', foreign], /not managed by dbarena/],
		[['changes', shell], /No dbarena container named|Invalid|not managed/],
		[['changes'], /Name the container to read the changes of/],
		[['changes', managed, 'other'], /takes one container name/],
		[['changes', managed, '--follow'], /was not created with --cdc/],
		...['', 'upsert', shell, unicode].map(value => [['changes', managed, '--op', value], /--op|Invalid operation/] as [string[], RegExp]),
		...['', ',', 'public.'].map(value => [['changes', managed, '--table', value], /--table|Invalid table/] as [string[], RegExp]),
		[['env', managed, '--write', '/nonexistent-dbarena-dir/.env'], /does not exist/],
		[['env', managed, '--write', '/tmp'], /it is a directory/],
		[['env', managed, '--format', 'jdbc', '--write', '/tmp/dbarena-bad-input.env'], /Conflicting flags --write and --format jdbc/],
		[['env', managed, '--cdc'], /was not created with --cdc/],
		[['url', managed, '--cdc'], /was not created with --cdc/],
		[['frobnicate'], /Unknown command/],
		[['--nonsense'], /Unknown flag/],
	];
}

/** A row's title: long values shortened so the report stays readable. */
export function title(args: string[]): string {
	return args.map(arg => (arg.length > 40 ? `${arg.slice(0, 12)}…(${arg.length})` : arg)).join(' ');
}

export type Targets = {managed: string; foreign: string};

/** Fresh names for the targets, known before they exist so the rows can be listed up front. */
export function targetNames(prefix: string): Targets {
	const token = randomBytes(3).toString('hex');
	return {managed: `${prefix}-managed-${token}`, foreign: `${prefix}-foreign-${token}`};
}

/**
 * What the rows aim at: a persistent container dbarena manages (with its `-data` volume) and one
 * it does not manage, which it must never act on.
 */
export async function setUpTargets({managed, foreign}: Targets): Promise<void> {
	const registry = process.env['DBARENA_REGISTRY'] ?? '127.0.0.1:5000';
	const created = await cli(['create', 'postgres', '--version', '16', '--name', managed, '--persistent']);
	expect(created.code, created.stderr).toBe(0);
	await docker(['run', '-d', '--name', foreign, '--label', 'dbarena.test=true', '--entrypoint', 'sleep', `${registry}/library/postgres:16-alpine`, '600']);
}

export async function removeTargets({managed, foreign}: Targets): Promise<void> {
	await removeAll([managed, foreign], [`${managed}-data`]);
}

/** Run one row: refused with exit 2 and one `Error:` line naming the problem, and nothing it could have touched changed. */
export async function expectRefused(args: string[], message: RegExp): Promise<void> {
	const before = await footprint(args);
	const result = await cli([...args]);
	expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(2);
	expect(result.stdout).toBe('');
	const lines = result.stderr.trimEnd().split('\n');
	expect(lines, result.stderr).toHaveLength(1);
	expect(lines[0]).toMatch(/^Error: /);
	expect(lines[0]).toMatch(message);
	expect(await footprint(args)).toEqual(before);
}
