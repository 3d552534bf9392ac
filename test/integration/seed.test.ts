import {randomBytes} from 'node:crypto';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mysqlQuery, pgQuery, run as runFile, waitFor, type Login} from '../helpers/docker.js';
import {buildCli, cli, docker, inspect, json, root, uniqueName, volumeExists, type CliOptions, type CliResult} from './cli-helpers.js';

/**
 * Seed data (issue 17, items 1 and 2), against the real engine and checked from the host: init
 * files run at the first start before the database is reported ready; a failing one is named
 * with its line and leaves nothing; the next create with the same files starts from a seeded
 * template; reset and reset --data come back to the init files.
 */
const nonce = randomBytes(4).toString('hex');
const folders = mkdtempSync(path.join(tmpdir(), 'dbarena-seed-it-'));
const names: string[] = [];
const hashes = new Set<string>();

const track = (prefix: string) => {
	const name = uniqueName(`seed-${prefix}`);
	names.push(name);
	return name;
};

/** A folder of init files (content per name), under this run's temporary folder. */
function seedFolder(name: string, files: Record<string, string | Buffer>): string {
	const dir = path.join(folders, name);
	mkdirSync(dir, {recursive: true});
	for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content);
	return dir;
}

type Created = {
	name: string;
	id: string;
	source: string;
	readyMs: number;
	totalMs: number;
	seed: {hash: string; files: string[]} | null;
	connection: Login & {url: string};
};

/** The background template build is what item 2 is about: it runs for these creates (the suite turns it off elsewhere). */
const withTemplates: CliOptions = {env: {DBARENA_TEMPLATES: undefined}};
const noTemplates: CliOptions = {env: {DBARENA_TEMPLATES: 'off'}};

type Made = Created & {result: CliResult};

async function create(args: string[], options = withTemplates): Promise<Made> {
	const result = await cli(['create', ...args, '--json'], options);
	expect(result.code, result.stderr).toBe(0);
	const created = json<{containers: Created[]}>(result).containers[0]!;
	if (created.seed) hashes.add(created.seed.hash);
	return {...created, result};
}

async function templateFor(hash: string): Promise<string> {
	const reference = await waitFor(
		`the seeded template ${hash.slice(0, 12)}`,
		// The engine may list the committed image a moment before its tag: only a tagged one counts.
		async () =>
			(await docker(['image', 'ls', '--filter', `label=dbarena.template.seed=${hash}`, '--format', '{{.Repository}}:{{.Tag}}']))
				.split('\n')
				.find(line => line.startsWith('dbarena-template/')),
		150_000,
		500,
	);
	// The builder commits, then removes its container: wait for that, so it loads nothing after.
	await waitFor(
		'the template builder to finish',
		async () =>
			!(await docker(['ps', '-q', '--filter', `name=dbarena-template-build-`, '--filter', `label=dbarena.template-builder=${reference.split(':')[1]}`])).trim(),
		60_000,
		250,
	);
	return reference;
}

beforeAll(async () => {
	await buildCli();
}, 180_000);

afterAll(async () => {
	await docker(['rm', '-f', '-v', ...names]).catch(() => '');
	for (const name of names) await docker(['volume', 'rm', `${name}-data`]).catch(() => '');
	// The templates of this run's seeds (their files hold this run's nonce) are of no use to anyone after it.
	for (const hash of hashes) {
		const images = (await docker(['image', 'ls', '-q', '--filter', `label=dbarena.template.seed=${hash}`]).catch(() => '')).split('\n').filter(Boolean);
		if (images.length > 0) await docker(['rmi', '-f', ...images]).catch(() => '');
	}
	rmSync(folders, {recursive: true, force: true});
}, 120_000);

type Engine = {
	title: string;
	args: string[];
	query: (login: Login, sql: string) => Promise<Array<Record<string, unknown>>>;
	/** schema + 1000 rows (gzip) + a shell script that waits a second, then adds row 5000: the last file's row proves ready came after it. */
	files: Record<string, string | Buffer>;
	/** A script whose third line refers to a table that does not exist. */
	bad: string;
	badMessage: RegExp;
	/** Init files that make a role (user) with a grant on a seeded table, which reset --data keeps. */
	roleSeed: string;
	/** The role as reset --data names it among what it kept. */
	roleName: string;
	/** Init files whose second statement makes, outside the reset database, what is still there on a second run. */
	outside: string;
	outsideMessage: RegExp;
};

const thousand = Array.from({length: 1000}, (_, index) => `(${index + 1}, 'item ${index + 1}')`).join(',\n');

const ordersSql = `CREATE TABLE orders (id int PRIMARY KEY, item text);\nINSERT INTO orders VALUES\n${thousand};\n`;

const engines: Engine[] = [
	{
		title: 'PostgreSQL 16',
		args: ['postgres', '--version', '16'],
		query: async (login, sql) => pgQuery(login, sql),
		files: {
			'001-schema.sql': `-- seed test ${nonce}\nCREATE TABLE orders (id int PRIMARY KEY, item text);\n`,
			'002-data.sql.gz': gzipSync(`INSERT INTO orders VALUES\n${thousand};\n`),
			// The row comes from a CSV beside the scripts, as a folder mounted there under compose has it.
			'003-load.sh': [
				'psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<-EOSQL',
				'\tSELECT pg_sleep(1);',
				"\t\\copy orders FROM '/docker-entrypoint-initdb.d/extra.csv' WITH (FORMAT csv)",
				'EOSQL',
				'',
			].join('\n'),
			'extra.csv': '5000,from the shell script\n',
			'README.md': 'Not run: the entrypoints run .sql, .sql.gz and .sh files only.\n',
		},
		bad: "INSERT INTO orders VALUES (1, 'a');\n-- the next line fails\nINSERT INTO nope VALUES (2);\n",
		badMessage: /ERROR: relation "nope" does not exist/,
		roleSeed:
			"CREATE ROLE app LOGIN PASSWORD 'app-pw';\nCREATE TABLE items (id int PRIMARY KEY);\nGRANT SELECT ON items TO app;\nINSERT INTO items VALUES (1);\n",
		roleName: 'app',
		outside: `\\c postgres\nCREATE TABLE outside_${nonce} (id int);\n\\c testdb\nCREATE TABLE items (id int);\n`,
		outsideMessage: new RegExp(`failed at line 2: ERROR: relation "outside_${nonce}" already exists`),
	},
	{
		title: 'MariaDB 10.11',
		args: ['mariadb', '--version', '10.11'],
		query: async (login, sql) => mysqlQuery<Record<string, unknown>>(login, sql),
		files: {
			'001-schema.sql': `-- seed test ${nonce}\nCREATE TABLE orders (id int PRIMARY KEY, item text);\n`,
			'002-data.sql.gz': gzipSync(`INSERT INTO orders VALUES\n${thousand};\n`),
			'003-load.sh':
				'mariadb -uroot -p"$MARIADB_ROOT_PASSWORD" "$MARIADB_DATABASE" ' + `-e "SELECT SLEEP(1); INSERT INTO orders VALUES (5000, 'from the shell script')"\n`,
			'README.md': 'Not run: the entrypoints run .sql, .sql.gz and .sh files only.\n',
		},
		bad: "INSERT INTO orders VALUES (1, 'a');\n-- the next line fails\nINSERT INTO nope VALUES (2);\n",
		badMessage: /ERROR 1146 \(42S02\): Table 'testdb\.nope' doesn't exist/,
		roleSeed: [
			"CREATE USER 'app'@'%' IDENTIFIED BY 'app-pw';",
			'CREATE TABLE items (id int PRIMARY KEY);',
			"GRANT SELECT ON testdb.items TO 'app'@'%';",
			'INSERT INTO items VALUES (1);',
			'',
		].join('\n'),
		roleName: 'app@%',
		outside: `CREATE DATABASE outside_${nonce};\nCREATE TABLE outside_${nonce}.t (id int);\nCREATE TABLE items (id int);\n`,
		outsideMessage: /failed at line 2: ERROR 1050 \(42S01\).*'t' already exists/,
	},
];

const seeded = async (engine: Engine, login: Login) =>
	engine.query(login, 'SELECT COUNT(*) AS n, MAX(id) AS top, (SELECT item FROM orders WHERE id = 5000) AS last FROM orders');
const seededRows = [{n: 1001, top: 5000, last: 'from the shell script'}];
/** pg gives count(*) as a string (bigint); mysql2 as a number. */
const normalise = (rows: Array<Record<string, unknown>>) => rows.map(row => ({n: Number(row['n']), top: Number(row['top']), last: row['last']}));

describe.each(engines)('seed data: $title', engine => {
	const dir = seedFolder(`${engine.title.replaceAll(' ', '-')}-ok`, engine.files);
	const first = track('first');
	const second = track('second');
	let firstCreated: Made;
	let secondCreated: Made;

	it('an init folder of schema, compressed data and a shell script gives the rows from the host as soon as it says ready', async () => {
		firstCreated = await create([...engine.args, '--name', first, '--init', dir]);
		expect(firstCreated.source).toBe('fresh');
		expect(firstCreated.seed?.files).toEqual(['001-schema.sql', '002-data.sql', '003-load.sh']);
		// Row 5000 comes from the last script, after a one-second wait: "ready" came after it.
		expect(normalise(await seeded(engine, firstCreated.connection))).toEqual(seededRows);
		console.info(`${engine.title}: first seeded create (fresh, 1001 rows) ready in ${firstCreated.totalMs} ms`);
	});

	it('the next create with the same files starts from the seeded template the first one built, with the rows', async () => {
		const reference = await templateFor(firstCreated.seed!.hash);
		const listed = await cli(['templates', 'list']);
		expect(listed.stdout).toMatch(new RegExp(`${reference}.*${firstCreated.seed!.hash.slice(0, 12)} 001-schema\\.sql, 002-data\\.sql, 003-load\\.sh`));
		// From another directory, with a relative path to the same files: the same seed.
		secondCreated = await create([...engine.args, '--name', second, '--init', path.relative(root, dir)]);
		expect(secondCreated.source).toBe('template');
		expect(secondCreated.seed?.hash).toBe(firstCreated.seed!.hash);
		expect(normalise(await seeded(engine, secondCreated.connection))).toEqual(seededRows);
		expect(secondCreated.result.stdout + secondCreated.result.stderr).not.toContain('not run');
		console.info(
			`${engine.title}: seeded create from the template ready in ${secondCreated.totalMs} ms ` +
				`(first, fresh: ${firstCreated.totalMs} ms; the server answered ${secondCreated.readyMs} ms after its start)`,
		);
	});

	it('reset comes back to the seeded rows, from the seeded template, without the rows the user added', async () => {
		await engine.query(secondCreated.connection, "INSERT INTO orders VALUES (7000, 'the user''s')");
		await engine.query(secondCreated.connection, 'CREATE TABLE mine (n int)');
		const result = await cli(['reset', second, '--yes', '--json'], withTemplates);
		expect(result.code, result.stderr).toBe(0);
		const reset = json<{containers: Created[]}>(result).containers[0]!;
		expect(reset.source).toBe('template');
		expect(reset.seed?.hash).toBe(firstCreated.seed!.hash);
		expect(reset.connection.port).toBe(secondCreated.connection.port);
		expect(normalise(await seeded(engine, reset.connection))).toEqual(seededRows);
		expect(await engine.query(reset.connection, 'SELECT COUNT(*) AS n FROM orders WHERE id = 7000')).toEqual([
			{n: engine.title.startsWith('Postgre') ? '0' : 0},
		]);
		console.info(`${engine.title}: reset of a seeded container ready in ${reset.totalMs} ms`);
	});

	it('reset --data empties the database in the running server and runs the init files again', async () => {
		const login = firstCreated.connection;
		await engine.query(login, "INSERT INTO orders VALUES (7000, 'the user''s')");
		await engine.query(login, 'CREATE TABLE mine (n int)');
		const result = await cli(['reset', first, '--data', '--yes', '--json']);
		expect(result.code, result.stderr).toBe(0);
		const report = json<{seed: {files: string[]; ms: number} | null; reset: {tables: number}}>(result);
		expect(report.reset.tables).toBe(2);
		expect(report.seed?.files).toEqual(['001-schema.sql', '002-data.sql', '003-load.sh']);
		expect(normalise(await seeded(engine, login))).toEqual(seededRows);
		const mine = engine.title.startsWith('Postgre')
			? await engine.query(login, "SELECT to_regclass('mine') AS t")
			: await engine.query(login, "SELECT COUNT(*) AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'mine'");
		expect(mine).toEqual([{t: engine.title.startsWith('Postgre') ? null : 0}]);
		// The same container: the init files ran inside it, nothing was recreated.
		expect((await inspect(first))?.Id).toBe(firstCreated.id);
		const text = await cli(['reset', first, '--data', '--yes']);
		expect(text.stdout).toMatch(/made again from its seed \(001-schema\.sql, 002-data\.sql, 003-load\.sh; \d+ ms\)/);
		console.info(`${engine.title}: reset --data with the init files run again: ${report.seed?.ms} ms for the init files, ${result.ms} ms in all`);
	});

	it('reset --data runs the init files again past the role they made, which it kept: the role logs in and reads the seeded table', async () => {
		const name = track('role');
		const made = await create(
			[...engine.args, '--name', name, '--init', seedFolder(`${engine.title.replaceAll(' ', '-')}-role`, {'001-role.sql': engine.roleSeed})],
			noTemplates,
		);
		await engine.query(made.connection, 'INSERT INTO items VALUES (2)');
		const result = await cli(['reset', name, '--data', '--yes', '--json']);
		expect(result.code, result.stderr).toBe(0);
		expect(json<{kept: {roles: string[]}}>(result).kept.roles).toEqual([engine.roleName]);
		const app = {...made.connection, user: 'app', password: 'app-pw'};
		expect((await engine.query(app, 'SELECT id FROM items ORDER BY id')).map(row => Number(row['id']))).toEqual([1]);
		const text = await cli(['reset', name, '--data', '--yes']);
		expect(text.stdout).toContain(`roles (${engine.roleName})`);
	});

	it('reset --data still fails, naming the file and line, on an error that is not about what it kept', async () => {
		const name = track('outside');
		await create(
			[...engine.args, '--name', name, '--init', seedFolder(`${engine.title.replaceAll(' ', '-')}-outside`, {'001-outside.sql': engine.outside})],
			noTemplates,
		);
		const result = await cli(['reset', name, '--data', '--yes']);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/The data was reset, but running the init files again failed: Init script 001-outside\.sql /);
		expect(result.stderr).toMatch(engine.outsideMessage);
	});

	it('a failing script is named with its line and the server message; the container and the volume it made are gone', async () => {
		const bad = seedFolder(`${engine.title.replaceAll(' ', '-')}-bad`, {'001-schema.sql': engine.files['001-schema.sql']!, '002-bad.sql': engine.bad});
		const name = track('bad');
		const given = path.relative(root, bad);
		const result = await cli(['create', ...engine.args, '--name', name, '--init', given, '--persistent']);
		expect(result.code, result.stderr).toBe(1);
		const [line] = result.stderr.split('\n').filter(text => text.startsWith('Error:'));
		expect(line).toMatch(new RegExp(`^Error: Init script ${path.join(given, '002-bad.sql').replaceAll('.', '\\.')} failed at line 3: `));
		expect(line).toMatch(engine.badMessage);
		expect(await inspect(name)).toBeUndefined();
		expect(await volumeExists(`${name}-data`)).toBe(false);
		// --json says the same, with its code.
		const again = await cli(['create', ...engine.args, '--name', name, '--init', bad, '--json']);
		expect(again.code).toBe(1);
		expect(json<{error: {code: string; exitCode: number}}>(again).error).toMatchObject({code: 'init_failed', exitCode: 1});
		expect(await inspect(name)).toBeUndefined();
	});
});

describe('seed data: a kept volume', () => {
	it('a persistent container made again on its kept volume keeps its data and runs no init files', async () => {
		const dir = seedFolder('kept', {'schema.sql': `-- kept ${nonce}\nCREATE TABLE notes (body text);\nINSERT INTO notes VALUES ('seed');\n`});
		const name = track('kept');
		const first = await create(['postgres', '--version', '16', '--name', name, '--persistent', '--init', dir], noTemplates);
		await pgQuery(first.connection, "INSERT INTO notes VALUES ('the user''s')");
		expect((await cli(['destroy', name, '--yes'])).code).toBe(0);
		const again = await cli(['create', 'postgres', '--version', '16', '--name', name, '--persistent', '--init', dir], noTemplates);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stdout).toContain('Init scripts not run: the kept volume already holds data (schema.sql)');
		const login = {...first.connection, port: Number(/Host: 127\.0\.0\.1:(\d+)/.exec(again.stdout)?.[1])};
		expect(await pgQuery(login, 'SELECT body FROM notes ORDER BY body')).toEqual([{body: 'seed'}, {body: "the user's"}]);
	});
});

describe('seed data: what is refused before anything is created', () => {
	it.each([
		['a missing path', ['postgres', '--init', 'no/such/seed.sql'], /^Error: Init path "no\/such\/seed\.sql" does not exist\.$/],
		[
			'a file nothing runs',
			['postgres', '--init', 'package.json'],
			/^Error: Init file "package\.json" is not \.sql, \.sql\.gz, \.sh or a PostgreSQL custom-format dump\.$/,
		],
		['SQL Server', ['sqlserver', '--init', 'README.md'], /^Error: Init scripts are not supported for SQL Server/],
	])('%s: exit 2, one Error line, no container', async (_, args, message) => {
		const name = track('usage');
		const result = await cli(['create', ...args, '--name', name]);
		expect(result.code).toBe(2);
		expect(result.stderr.trim()).toMatch(message);
		expect(result.stdout).toBe('');
		expect(await inspect(name)).toBeUndefined();
	});
});

describe('seed data: a PostgreSQL custom-format dump', () => {
	it('pg_dump -Fc output restores into a new database with --init', async () => {
		// pg_dump refuses a newer server than itself, and the fixtures' client is 15: dump a 15.
		const source = track('dump-src');
		const from = await create(['postgres', '--version', '15', '--name', source, '--init', seedFolder('dump-src', {'orders.sql': ordersSql})], noTemplates);
		expect(normalise(await pgQuery(from.connection, 'SELECT COUNT(*) AS n, MAX(id) AS top, NULL AS last FROM orders'))).toEqual([
			{n: 1000, top: 1000, last: null},
		]);
		const {stdout} = await runFile('docker', ['exec', source, 'pg_dump', '-Fc', '-U', 'postgres', 'testdb'], {encoding: 'buffer', maxBuffer: 64 * 1024 * 1024});
		const dump = path.join(seedFolder('dump', {}), 'orders.dump');
		writeFileSync(dump, stdout);
		expect(stdout.subarray(0, 5).toString()).toBe('PGDMP');

		const target = track('dump');
		const restored = await create(['postgres', '--version', '16', '--name', target, '--init', dump], noTemplates);
		expect(restored.seed?.files).toEqual(['orders.dump']);
		expect(normalise(await pgQuery(restored.connection, 'SELECT COUNT(*) AS n, MAX(id) AS top, NULL AS last FROM orders'))).toEqual([
			{n: 1000, top: 1000, last: null},
		]);
	});
});
