import type {Credentials, DatabaseKind, Mode} from '../types.js';

export type PresetVersion = {
	/** What users type and what labels record: "16", "8.4", "2022". */
	version: string;
	/** The official image reference, before any registry mirror is applied. */
	image: string;
	/** Other spellings that mean this version ("16-alpine", "2022-latest"). */
	aliases?: string[];
};

/** A command run inside the container, with the environment it needs (passwords go here, never in argv). */
export type ExecCommand = {command: string[]; env: string[]};

/** What a dump holds: everything, only the schema, or only the rows. */
export type DumpScope = 'all' | 'schema' | 'data';

/** How readiness is proven: a real login and query, from the host or (SQL Server) in the container. */
export type ProbeKind = 'postgres' | 'mysql' | 'sqlserver';

/**
 * How a database's initialised data can be kept in an image (a template) and started from again.
 * `docker commit` skips volumes and tmpfs mounts, and the official images declare their data
 * directory a VOLUME, so a template keeps its data elsewhere on the container's own layer and the
 * server is pointed there.
 */
export type TemplateSupport = {
	dataPath: string;
	environment(dataPath: string): Record<string, string>;
	args(dataPath: string): string[];
	/** A command run inside the container that succeeds only when the real (TCP) server accepts the credentials. */
	probe(credentials: Credentials): ExecCommand;
};

/**
 * Init scripts (seed data): the official images run the files in /docker-entrypoint-initdb.d at
 * the first start; these are the engine's own parts of that contract that dbarena adds to.
 */
export type InitSupport = {
	/**
	 * Shell text, sourced by the entrypoint in the dump's place, that restores a PostgreSQL
	 * custom-format dump into the container's database (the entrypoints only run .sql and .sh).
	 */
	restoreDump?(path: string): string;
	/**
	 * Runs the init folder again in the running server, as the entrypoint did at the first start
	 * (`reset --data` of a seeded container): a bash script, run inside as this OS user.
	 */
	rerun: {user: string; script: string};
};

/**
 * One database (a preset) as data plus small pure functions. Nothing here talks to Docker: the
 * lifecycle turns a preset and the user's choices into a container specification.
 */
export type Preset = {
	kind: DatabaseKind;
	title: string;
	aliases: string[];
	versions: PresetVersion[];
	defaultVersion: string;
	containerPort: number;
	/** Memory limit per mode (defaults from the original spec); the user may override it. */
	memoryBytes: Record<Mode, number>;
	defaultCredentials: Credentials;
	probe: ProbeKind;
	/**
	 * Where the data directory lives for this version: the image's declared volume, so that the
	 * named volume (persistent, durable) replaces it instead of an anonymous volume being created
	 * beside it; in fast mode the anonymous volume holds the data and goes with the container. Undefined when the data must stay on the container's layer.
	 */
	dataMount(version: string): string | undefined;
	/**
	 * Where the server keeps its data by default: the data directory itself, which may lie below
	 * the declared volume (PostgreSQL 18: PGDATA=/var/lib/postgresql/18/docker, VOLUME /var/lib/postgresql).
	 */
	dataDir(version: string): string;
	/** Environment variables that would move the data directory away from where dbarena keeps and finds it. */
	dataEnv: readonly string[];
	/** The image's environment contract for the credentials and mode. */
	environment(credentials: Credentials, mode: Mode, version: string): Record<string, string>;
	/** The container command: server flags per mode. */
	command(mode: Mode, version: string): string[];
	url(info: {host: string; port: number} & Credentials): string;
	/** A reason the password would make the server refuse to start, checked before anything is created. */
	passwordProblem?(password: string): string | undefined;
	/** Why a user name cannot be used with this database, if it cannot. */
	userProblem?(user: string): string | undefined;
	/** Present when the image runs init scripts at its first start (seed data). */
	init?: InitSupport;
	/** Present when the database can start from an initialised template image. */
	template?: TemplateSupport;
	/** What to set up once ready, for what the image's environment cannot do itself; undefined: nothing. */
	afterReady?(credentials: Credentials, options: {cdc: boolean}): Setup | undefined;
	/** How to make the database ready for change data capture (--cdc). */
	cdc?: CdcSupport;
	/**
	 * The database's own client in its image, logged in with these credentials. `interactive`: a
	 * person at a terminal; otherwise a script on stdin, which stops at its first error.
	 */
	client(credentials: Credentials, options: {interactive: boolean}): ExecCommand;
	/** The image's dump tool, writing SQL to stdout; undefined when the image has none. */
	dump?(credentials: Credentials, scope: DumpScope): ExecCommand;
	/**
	 * How the dump tool says it refuses to run against this server (pg_dump and a newer server):
	 * the stderr lines that say so, held back from the user, and the error to show in their place.
	 */
	dumpRefusal?: {line: RegExp; explain(lines: string, container: string): string};
};

/**
 * Setup that runs after the server is ready, at create and at every start. `done` is a read-only
 * query whose single row's `done` column is true when nothing is left to do: on a database a
 * connector reads, even a GRANT that changes nothing is a transaction in its stream, so the setup
 * runs once and is otherwise only looked at. The statements run in one session, in order.
 */
export type Setup = {done?: string; statements: string[]};

/**
 * Change data capture: the server settings a log-based connector (Debezium and the like) needs,
 * and a replication user created after start-up. The settings are flags, so they are part of the
 * template key; the user is created on every start by idempotent statements.
 */
export type CdcSupport = {
	/** The user connectors log in as; its password is the database password. */
	user: string;
	/** Server flags for CDC, given the mode's own flags (some of which CDC must turn back on). */
	command(modeFlags: string[], version: string): string[];
	environment?(): Record<string, string>;
	/** A publication (PostgreSQL) connectors can use as is. */
	publication?: string;
};

export const mib = 1024 * 1024;
export const gib = 1024 * mib;

/** Percent-encode a URL component (passwords may hold any character). */
export const enc = encodeURIComponent;

/**
 * bash for running a SQL file again in a running server, past what reset --data keeps: roles and
 * users, and other databases, outlive the reset, so the init files' statements that made them fail
 * with "already exists" on the second run. Those are skipped and said on stderr as "kept: <line>";
 * any other error fails the file as at the first start, its lines printed for findInitFailure.
 * The client must go on after an error (psql without ON_ERROR_STOP, mysql --force) and print
 * errors on stderr; `kept` and `failed` are extended regular expressions over those lines.
 */
export function sqlKeeping(patterns: {kept: string; failed: string}): string {
	return `kept_pattern='${patterns.kept}'
failed_pattern='${patterns.failed}'
sql_keeping() {
	local errors status=0
	errors=$("$@" 2>&1 >/dev/null) || status=$?
	local kept other
	kept=$(printf '%s\\n' "$errors" | grep -E "$kept_pattern" || true)
	other=$(printf '%s\\n' "$errors" | grep -vE "$kept_pattern" || true)
	if [ -n "$kept" ]; then printf '%s\\n' "$kept" | sed 's/^/kept: /' >&2; fi
	# A client that failed without an error line of its own (killed, or a crash) fails the file too;
	# mysql --force exits 1 after errors, even when every one was kept.
	if printf '%s\\n' "$other" | grep -qE "$failed_pattern" || { [ "$status" -ne 0 ] && [ -z "$kept" ]; }; then
		if [ -n "$other" ]; then printf '%s\\n' "$other" >&2; fi
		return 1
	fi
}
`;
}

/**
 * The loop of the official entrypoints over the init folder, for running it again in a running
 * server: "running <file>" goes to stderr before each file, so an error that follows names it.
 */
export function initLoop(sql: {file: string; stdin: string}): string {
	return `for f in /docker-entrypoint-initdb.d/*; do
	case "$f" in
		*.sh) echo "running $f" >&2; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
		*.sql) echo "running $f" >&2; ${sql.file} ;;
		*.sql.gz) echo "running $f" >&2; gunzip -c "$f" | ${sql.stdin} ;;
		*) ;;
	esac
done
`;
}
