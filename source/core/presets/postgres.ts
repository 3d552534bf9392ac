import type {Preset} from './preset.js';
import {enc, gib, initLoop, mib, sqlKeeping} from './preset.js';

const majors = ['14', '15', '16', '17', '18'];

// Settings that trade durability for speed; harmless for throwaway test databases and the main
// reason a fast create is fast. shared_buffers stays within the 256 MB memory limit. fsync=off
// loses data only when the host itself crashes; a killed server loses nothing as long as each
// commit is written to the OS before it returns (synchronous_commit on).
const speedFlags = ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'shared_buffers=128MB'];
// Only fast mode may lose the last moment's commits when the server is killed: persistent data
// must outlive the process, and with it off a commit reaches logical decoding only once the WAL
// writer flushes (100-200 ms later).
const asyncCommit = ['-c', 'synchronous_commit=off'];

function withoutAsyncCommit(flags: readonly string[]): string[] {
	const at = flags.indexOf(asyncCommit[1]!);
	return at > 0 && flags[at - 1] === '-c' ? [...flags.slice(0, at - 1), ...flags.slice(at + 1)] : [...flags];
}

export const postgres: Preset = {
	kind: 'postgres',
	title: 'PostgreSQL',
	aliases: ['pg', 'postgresql', 'psql'],
	versions: majors.map(major => ({version: major, image: `postgres:${major}-alpine`, aliases: [`${major}-alpine`]})),
	defaultVersion: '18',
	containerPort: 5432,
	memoryBytes: {fast: 256 * mib, persistent: 256 * mib, durable: 1 * gib},
	defaultCredentials: {user: 'postgres', password: 'dbarena', database: 'testdb'},
	probe: 'postgres',
	// 18 moved PGDATA to /var/lib/postgresql/18/docker and the VOLUME to /var/lib/postgresql.
	dataMount: version => (Number(version) >= 18 ? '/var/lib/postgresql' : '/var/lib/postgresql/data'),
	dataDir: version => (Number(version) >= 18 ? `/var/lib/postgresql/${version}/docker` : '/var/lib/postgresql/data'),
	dataEnv: ['PGDATA'],
	environment(credentials, mode) {
		return {
			POSTGRES_USER: credentials.user,
			POSTGRES_PASSWORD: credentials.password,
			POSTGRES_DB: credentials.database,
			...(mode === 'durable' ? {} : {POSTGRES_INITDB_ARGS: '--no-sync'}),
		};
	},
	command: mode => (mode === 'durable' ? ['postgres'] : mode === 'persistent' ? ['postgres', ...speedFlags] : ['postgres', ...speedFlags, ...asyncCommit]),
	cdc: {
		user: 'cdc',
		publication: 'dbarena_cdc',
		// Logical decoding needs wal_level=logical. A connector's position must never be ahead of
		// what survives a kill, and a commit should reach it at once: commits are synchronous.
		command: flags => [...withoutAsyncCommit(flags), ...['-c', 'wal_level=logical', '-c', 'max_replication_slots=10', '-c', 'max_wal_senders=10']],
	},
	afterReady({user, password, database}, {cdc}) {
		if (!cdc) return undefined;
		const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;
		const identifier = (value: string) => `"${value.replaceAll('"', '""')}"`;
		return {
			// One transaction below: the role existing means the grants and the publication do too.
			// pg_read_all_data is asked for apart: a container set up by an older dbarena has the
			// role without it, and gets it (the whole idempotent setup, once) at its next start.
			// (pg_has_role would fail on a role that does not exist yet, at the first look.)
			done:
				"SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cdc') AND EXISTS (SELECT FROM pg_publication WHERE pubname = 'dbarena_cdc') " +
				'AND EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid ' +
				"WHERE r.rolname = 'cdc' AND g.rolname = 'pg_read_all_data') AS done",
			statements: [
				'BEGIN',
				"DO $dbarena$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cdc') THEN " +
					`CREATE ROLE cdc LOGIN REPLICATION PASSWORD ${literal(password)}; END IF; END $dbarena$`,
				`GRANT CONNECT, CREATE ON DATABASE ${identifier(database)} TO cdc`,
				'GRANT USAGE ON SCHEMA public TO cdc',
				'GRANT SELECT ON ALL TABLES IN SCHEMA public TO cdc',
				`ALTER DEFAULT PRIVILEGES FOR ROLE ${identifier(user)} IN SCHEMA public GRANT SELECT ON TABLES TO cdc`,
				// A connector's first snapshot reads every table the publication covers, in every
				// schema and whoever owns it, made now or later (PostgreSQL 14+, all that dbarena runs).
				'GRANT pg_read_all_data TO cdc',
				"DO $dbarena$ BEGIN IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = 'dbarena_cdc') THEN " +
					'CREATE PUBLICATION dbarena_cdc FOR ALL TABLES; END IF; END $dbarena$',
				'COMMIT',
			],
		};
	},
	init: {
		// --no-owner/--no-privileges: the dump's roles need not exist here; the superuser owns what it restores.
		restoreDump: path =>
			`# dbarena: restores ${path}, a PostgreSQL custom-format dump, into the container's database.\n` +
			`pg_restore --exit-on-error --no-owner --no-privileges --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" '${path}'\n`,
		rerun: {
			user: 'postgres',
			// As the official entrypoint's init step: the superuser over the socket, into the container's database.
			script: `set -Eeo pipefail
exec >/dev/null
export PGPASSWORD="\${PGPASSWORD:-\${POSTGRES_PASSWORD:-}}"
# Past errors (ON_ERROR_STOP off): sql_keeping decides which of them fail the file.
docker_process_sql() {
	local runner=(psql -v ON_ERROR_STOP=0 --username "$POSTGRES_USER" --no-password --no-psqlrc)
	if [ -n "\${POSTGRES_DB:-}" ]; then runner+=(--dbname "$POSTGRES_DB"); fi
	PGHOST= PGHOSTADDR= "\${runner[@]}" "$@"
}
${sqlKeeping({kept: 'ERROR: +(role|database) "[^"]*" already exists', failed: 'ERROR:|FATAL:|psql: error'})}
${initLoop({file: 'sql_keeping docker_process_sql -f "$f"', stdin: 'sql_keeping docker_process_sql'})}`,
		},
	},
	template: {
		dataPath: '/var/lib/dbarena/pgdata',
		environment: dataPath => ({PGDATA: dataPath}),
		args: () => [],
		// -h 127.0.0.1: the first start's temporary server listens on the socket only.
		probe: ({user, password, database}) => ({
			command: ['psql', '-h', '127.0.0.1', '-U', user, '-d', database, '-tAc', 'SELECT 1'],
			env: [`PGPASSWORD=${password}`],
		}),
	},
	url: ({host, port, user, password, database}) => `postgresql://${enc(user)}:${enc(password)}@${host}:${port}/${enc(database)}`,
	// The server's unix socket, as `docker exec … psql` does; `--name=value` so no name reads as a flag.
	client: ({user, password, database}, {interactive}) => ({
		// A script stops at its first error and psql exits 3, as a migration run should; psql's
		// own default carries on and exits 0.
		command: ['psql', `--username=${user}`, `--dbname=${database}`, ...(interactive ? [] : ['--set=ON_ERROR_STOP=1'])],
		env: [`PGPASSWORD=${password}`],
	}),
	dump: ({user, password, database}, scope) => ({
		command: [
			'pg_dump',
			`--username=${user}`,
			`--dbname=${database}`,
			// A dump restores into another dbarena database, whose user and roles may differ (the cdc
			// role, its grants and publication exist only with --cdc): ownership, grants, publications
			// and subscriptions would fail there, so they are left out.
			'--no-owner',
			'--no-privileges',
			'--no-publications',
			'--no-subscriptions',
			...(scope === 'schema' ? ['--schema-only'] : scope === 'data' ? ['--data-only'] : []),
		],
		env: [`PGPASSWORD=${password}`],
	}),
	// pg_dump dumps any older server but never a newer one. The official images pair each server
	// with its own pg_dump; an image that does not would otherwise leave two terse pg_dump lines.
	dumpRefusal: {
		line: /^pg_dump: (error: aborting because of server version mismatch|detail: server version: )/,
		explain(lines, container) {
			const versions = /server version: ([^;\n]+); pg_dump version: (\S+)/.exec(lines);
			const tool = versions ? `pg_dump ${versions[2]}` : 'pg_dump';
			const server = versions?.[1]?.trim();
			const major = server ? /^\d+/.exec(server)?.[0] : undefined;
			return (
				`${tool} in the image of ${container} cannot dump its server, PostgreSQL ${server ?? 'of a newer major'}: ` +
				"pg_dump refuses a server newer than itself. Use an image whose client tools are of the server's major (the official postgres images' are), " +
				`or run a pg_dump ${major ? `${major} or newer` : 'of the server’s major'} from this machine: pg_dump "$(dbarena url ${container})".`
			);
		},
	},
};
