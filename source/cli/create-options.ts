import type {CreateOptions} from '../core/create/plan.js';
import {presetList} from '../core/presets/catalog.js';
import {UsageError} from '../core/errors.js';
import {booleanFlag, listFlag, stringFlag, type FlagSpecs, type ParsedArgs} from './args.js';
import {parseMode, parseSeconds} from './values.js';

export const createFlags: FlagSpecs = {
	version: {type: 'string', value: 'V', description: 'Database version (default: the newest supported); several databases: postgres:16'},
	name: {type: 'string', value: 'N', description: 'Container name (default: dbarena-<database>-<version>-<4 hex>)'},
	port: {type: 'string', value: 'P', description: 'Host port, 1-65535 (default: the usual port if free, else the next free one)'},
	bind: {type: 'string', value: 'ADDRESS', description: 'Host address the port is published on (default: 127.0.0.1)'},
	persistent: {type: 'boolean', description: 'Keep the data in a named volume that outlives the container'},
	durable: {type: 'boolean', description: "Named volume plus the engine's default durability (fsync on) and more memory"},
	fast: {type: 'boolean', description: 'Data on disk, gone with the container; durability off (the default)'},
	env: {type: 'string', multiple: true, value: 'KEY=VALUE', description: 'Set an environment variable in the container'},
	image: {type: 'string', value: 'REF', description: 'Use this image instead of the preset one (as given, no mirror)'},
	memory: {type: 'string', value: 'SIZE', description: 'Memory limit: 512m, 1g, 256MB, 1.5GiB or bytes (binary units)'},
	user: {type: 'string', value: 'USER', description: 'Database user (default: postgres / root / sa)'},
	password: {type: 'string', value: 'PASSWORD', description: 'Password (default: dbarena; SQL Server: Dbarena_Pass123!)'},
	databaseName: {type: 'string', value: 'NAME', description: 'Database to create (default: testdb)'},
	timeout: {type: 'string', value: 'S', description: 'Seconds to wait until a login works before failing (default: 60)'},
	keepOnError: {type: 'boolean', description: 'Keep a container that failed to become ready, for inspection'},
	randomPassword: {type: 'boolean', description: 'Give this container a random password of its own'},
	cdc: {type: 'boolean', description: 'Configure for change data capture (logical decoding / ROW binlog, a replication user)'},
	noTemplate: {type: 'boolean', description: 'Initialise afresh even if a template for these settings exists'},
	fromSnapshot: {type: 'string', value: 'TAG', description: "Start from a snapshot's data (see dbarena snapshot)"},
	init: {
		type: 'string',
		multiple: true,
		value: 'PATH',
		description: 'Seed data run at the first start: .sql, .sql.gz, .sh, pg_dump -Fc, or a folder',
	},
};

/** Flags that name one container and so cannot apply to several databases at once. */
const singleOnly = ['name', 'port', 'image', 'version', 'fromSnapshot'] as const;

/**
 * Turn `create` arguments into the core's create options, one per database. Values go to the
 * core as typed; its plan reads and checks every one of them (database, version, name, port,
 * address, memory, env) before anything is created, as it does for the dashboard's form.
 */
export function createOptionsFrom(args: ParsedArgs): CreateOptions[] {
	// A snapshot knows its own database: "dbarena create --from-snapshot T" is enough.
	if (args.input.length === 0 && stringFlag(args, 'fromSnapshot') !== undefined) args = {...args, input: ['']};
	if (args.input.length === 0) {
		throw new UsageError(
			`Name at least one database: ${presetList.map(preset => preset.kind).join(', ')} (e.g. dbarena create postgres --version 16).`,
			'missing_argument',
		);
	}
	if (args.input.length > 1) {
		for (const key of singleOnly) {
			if (stringFlag(args, key) === undefined) continue;
			const hint = key === 'version' ? ' Give each its version instead: dbarena create postgres:16 mysql:8.4.' : '';
			throw new UsageError(`--${key} applies to one container, but ${args.input.length} databases were named.${hint}`, 'conflicting_flags');
		}
	}

	const mode = parseMode({persistent: booleanFlag(args, 'persistent'), durable: booleanFlag(args, 'durable'), fast: booleanFlag(args, 'fast')});
	const port = stringFlag(args, 'port');
	const bind = stringFlag(args, 'bind');
	const memory = stringFlag(args, 'memory');
	const timeout = stringFlag(args, 'timeout');
	const env = listFlag(args, 'env');
	const init = listFlag(args, 'init');
	const common: Omit<CreateOptions, 'database'> = {
		...(mode ? {mode} : {}),
		...(port === undefined ? {} : {port}),
		...(bind === undefined ? {} : {hostIp: bind}),
		...(memory === undefined ? {} : {memory}),
		...(timeout === undefined ? {} : {timeoutMs: Math.round(parseSeconds('timeout', timeout, {allowZero: false}) * 1000)}),
		...(env.length > 0 ? {env} : {}),
		...(init.length > 0 ? {init} : {}),
		...(stringFlag(args, 'name') === undefined ? {} : {name: stringFlag(args, 'name')!}),
		...(stringFlag(args, 'image') === undefined ? {} : {image: stringFlag(args, 'image')!}),
		...(stringFlag(args, 'user') === undefined ? {} : {user: stringFlag(args, 'user')!}),
		...(stringFlag(args, 'password') === undefined ? {} : {password: stringFlag(args, 'password')!}),
		...(stringFlag(args, 'databaseName') === undefined ? {} : {databaseName: stringFlag(args, 'databaseName')!}),
		...(booleanFlag(args, 'keepOnError') ? {keepOnError: true} : {}),
		...(booleanFlag(args, 'randomPassword') ? {randomPassword: true} : {}),
		...(booleanFlag(args, 'cdc') ? {cdc: true} : {}),
		...(booleanFlag(args, 'noTemplate') ? {noTemplate: true} : {}),
		...(stringFlag(args, 'fromSnapshot') === undefined ? {} : {fromSnapshot: stringFlag(args, 'fromSnapshot')!}),
	};
	const flagVersion = stringFlag(args, 'version');
	return args.input.map(item => {
		const colon = item.indexOf(':');
		const database = colon === -1 ? item : item.slice(0, colon);
		const inlineVersion = colon === -1 ? undefined : item.slice(colon + 1);
		if (inlineVersion !== undefined && flagVersion !== undefined) {
			throw new UsageError(`Version given twice: "${item}" and --version ${flagVersion}; use one.`, 'conflicting_flags');
		}
		if (inlineVersion === '')
			throw new UsageError(`Missing version after "${database}:"; e.g. ${database}:16, or leave ":" out for the default.`, 'unknown_version');
		const version = inlineVersion ?? flagVersion;
		return {...common, database, ...(version === undefined ? {} : {version})};
	});
}
