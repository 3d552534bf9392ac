/**
 * Every error code dbarena emits (the `code` of `--json` errors), each with the one kind that
 * decides its exit code. A code is only ever thrown through DbarenaError, which takes its kind
 * from here, so the same code cannot leave with exit 1 from one path and exit 2 from another.
 * README.md's "Exit codes" table is checked against this one (test/unit/error-codes.test.ts).
 *
 * usage: the user asked for something invalid (bad value, unknown name); retrying won't help.
 * engine: the Docker engine is unreachable.
 * failed: the operation was valid but did not succeed (readiness timeout, crash, engine error).
 * interrupted: a signal stopped it.
 */
export type ErrorKind = 'usage' | 'engine' | 'failed' | 'interrupted';

export const errorCodes = {
	// The command line itself.
	usage: {kind: 'usage', meaning: 'a usage error with no more specific code'},
	unknown_command: {kind: 'usage', meaning: 'no such command or subcommand'},
	missing_subcommand: {kind: 'usage', meaning: 'a command that needs a subcommand was given none'},
	unknown_flag: {kind: 'usage', meaning: 'no such flag for this command, or a flag before the command'},
	invalid_flag: {kind: 'usage', meaning: 'a flag given twice, or a value given to a flag that takes none'},
	missing_value: {kind: 'usage', meaning: 'a flag that takes a value was given none, or an empty one'},
	missing_argument: {kind: 'usage', meaning: 'no database, container, volume or tag named where one is needed'},
	too_many_arguments: {kind: 'usage', meaning: 'more names than the command takes'},
	conflicting_flags: {kind: 'usage', meaning: 'flags or arguments that exclude each other'},
	// Values.
	invalid_value: {kind: 'usage', meaning: 'a value that cannot be read (for example JSON that does not parse)'},
	unknown_database: {kind: 'usage', meaning: 'a database dbarena does not support'},
	unknown_version: {kind: 'usage', meaning: 'a version of that database dbarena does not support'},
	invalid_port: {kind: 'usage', meaning: 'not a port number from 1 to 65535'},
	invalid_bind: {kind: 'usage', meaning: 'not an IP address, or not one of this machine'},
	invalid_image: {kind: 'usage', meaning: 'not an image reference the engine would accept'},
	invalid_memory: {kind: 'usage', meaning: 'not a memory size, or one below 6 MB or above 1 PiB'},
	invalid_env: {kind: 'usage', meaning: 'not KEY=VALUE, or a variable dbarena sets or that would move the data'},
	invalid_timeout: {kind: 'usage', meaning: 'not a number of seconds in range'},
	invalid_tail: {kind: 'usage', meaning: 'not a number of lines or "all"'},
	invalid_name: {kind: 'usage', meaning: 'not a container name Docker accepts'},
	invalid_tag: {kind: 'usage', meaning: 'not a snapshot tag Docker accepts'},
	invalid_user: {kind: 'usage', meaning: 'a user name this database does not accept'},
	invalid_init: {
		kind: 'usage',
		meaning: 'an init path that does not exist, cannot be read, or holds nothing dbarena can run (.sql, .sql.gz, .sh, a PostgreSQL custom-format dump)',
	},
	invalid_password: {kind: 'usage', meaning: 'an empty password, one this database does not accept, or both a password and a random one'},
	exposed_default_password: {kind: 'usage', meaning: 'a non-loopback address with the well-known default password'},
	unsupported: {kind: 'usage', meaning: 'a feature this database does not have (snapshots, CDC)'},
	invalid_rate: {kind: 'usage', meaning: 'not a number of operations per second from 1 to 10000'},
	invalid_duration: {kind: 'usage', meaning: 'not a number of seconds greater than 0 (at most a day)'},
	invalid_tables: {kind: 'usage', meaning: 'not a whole number of tables from 1 to 100'},
	invalid_mix: {kind: 'usage', meaning: 'not three whole-number weights insert:update:delete, not all 0'},
	// The state of the engine's objects.
	unknown_context: {kind: 'usage', meaning: "DOCKER_CONTEXT or the docker CLI's current context names a context that does not exist"},
	name_conflict: {kind: 'usage', meaning: 'a container with that name exists'},
	port_in_use: {kind: 'usage', meaning: "the port asked for, or a stopped container's port, is taken by another process"},
	not_found: {kind: 'usage', meaning: 'no dbarena container, volume or snapshot by that name'},
	not_managed: {kind: 'usage', meaning: "the container or volume is not dbarena's; it is left alone"},
	not_running: {kind: 'usage', meaning: 'the container must be running for this'},
	no_cdc: {kind: 'usage', meaning: 'the container was not created with --cdc, so it has no CDC login and no change stream'},
	confirmation_required: {kind: 'usage', meaning: 'removing something needs an explicit yes (no terminal to ask on, or data would be deleted)'},
	volume_in_use: {kind: 'usage', meaning: 'another container mounts the volume'},
	volume_conflict: {kind: 'usage', meaning: "a volume by that name holds other data, other credentials, or is not dbarena's"},
	snapshot_exists: {kind: 'usage', meaning: 'a snapshot with that tag exists'},
	snapshot_in_use: {kind: 'usage', meaning: 'a container was made from the snapshot'},
	snapshot_mismatch: {kind: 'usage', meaning: "a database, version or credential that the snapshot's data fixes otherwise"},
	// The engine.
	docker_unavailable: {kind: 'engine', meaning: 'the Docker engine does not answer'},
	engine_access_denied: {
		kind: 'engine',
		meaning: "the engine's host refused the SSH login or the TLS client certificate, or its host key or certificate could not be trusted",
	},
	// Valid requests that did not succeed.
	image_not_found: {kind: 'failed', meaning: 'the image could not be pulled'},
	readiness_timeout: {kind: 'failed', meaning: 'the database was not ready within the timeout'},
	container_exited: {kind: 'failed', meaning: 'the container exited while starting'},
	out_of_memory: {kind: 'failed', meaning: 'the container was killed for want of memory while starting (its limit is named; give it more with --memory)'},
	init_failed: {kind: 'failed', meaning: "an init script failed at the database's first start (its file, line and the server's message are named)"},
	start_failed: {kind: 'failed', meaning: 'the engine refused to start the container for a reason other than its port (its own words follow)'},
	operation_failed: {kind: 'failed', meaning: 'the engine refused, or another step failed'},
	query_failed: {kind: 'failed', meaning: 'the server refused the SQL (its own message follows)'},
	cancelled: {kind: 'failed', meaning: 'the confirmation prompt was answered no; nothing was changed'},
	internal_error: {kind: 'failed', meaning: 'an error with no code of its own (an engine or system error passed on as is)'},
	interrupted: {kind: 'interrupted', meaning: 'stopped by Ctrl-C or SIGTERM'},
} as const satisfies Record<string, {kind: ErrorKind; meaning: string}>;

export type ErrorCode = keyof typeof errorCodes;

/** The codes of one kind: what a UsageError may carry is a usage code, checked by the compiler. */
export type CodeOfKind<K extends ErrorKind> = {[C in ErrorCode]: (typeof errorCodes)[C]['kind'] extends K ? C : never}[ErrorCode];

export function kindOf(code: ErrorCode): ErrorKind {
	return errorCodes[code].kind;
}
