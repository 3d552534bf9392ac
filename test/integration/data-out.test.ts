import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {logLinesMatching, mysqlQuery, pgQuery, type Login} from '../helpers/docker.js';
import {buildCli, cli, cliPath, json, removeAll, root, type CliResult} from './cli-helpers.js';

// Data out of a database, with the built CLI against real servers (PostgreSQL and MariaDB),
// checked from this machine with the pg and mysql2 drivers: shell with a script on stdin, query,
// dump restored into another database, env --write into a .env that keeps everything else.
//
// PostgreSQL 15 and MariaDB 10.11 here; dump-restore.test.ts restores dumps of every PostgreSQL
// fixture major, MariaDB and MySQL with `create --init`. This file restores one with
// `dbarena shell NEW < dump.sql`.

const token = randomBytes(3).toString('hex');
const dir = mkdtempSync(path.join(tmpdir(), 'dbarena-dataout-'));

type Engine = {
	title: string;
	database: string;
	version: string;
	name: string;
	restored: string;
	/** What the client exits with when a script fails. */
	scriptFailure: number;
	query: <T>(login: Login, sql: string) => Promise<T[]>;
};

const engines: Engine[] = [
	{
		title: 'PostgreSQL',
		database: 'postgres',
		version: '15',
		name: `dataout-pg-${token}`,
		restored: `dataout-pg-copy-${token}`,
		scriptFailure: 3,
		query: async <T>(login: Login, sql: string) => (await pgQuery(login, sql)) as T[],
	},
	{
		title: 'MariaDB',
		database: 'mariadb',
		version: '10.11',
		name: `dataout-my-${token}`,
		restored: `dataout-my-copy-${token}`,
		scriptFailure: 1,
		query: async (login, sql) => mysqlQuery(login, sql),
	},
];
const cdcName = `dataout-pgcdc-${token}`;
const logins = new Map<string, Login & {url: string}>();

/** The CLI with `input` on its stdin, as `dbarena shell db < migration.sql` runs it. */
async function cliWithInput(args: string[], input: string | Buffer): Promise<CliResult> {
	const began = Date.now();
	const child = spawn(process.execPath, [cliPath, ...args], {cwd: root, env: {...process.env, NO_COLOR: '1'}, stdio: ['pipe', 'pipe', 'pipe']});
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
	child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
	child.stdin.end(input);
	return new Promise(resolve => {
		child.on('close', (code, signal) => {
			resolve({code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ms: Date.now() - began});
		});
	});
}

async function create(name: string, database: string, version: string, extra: string[] = []): Promise<void> {
	const result = await cli(['create', database, '--version', version, '--name', name, '--json', ...extra], {timeoutMs: 170_000});
	expect(result.code, result.stderr).toBe(0);
	const [container] = json<{containers: Array<{connection: Login & {url: string}}>}>(result).containers;
	logins.set(name, container!.connection);
}

const loginOf = (name: string) => logins.get(name)!;

beforeAll(async () => {
	await buildCli();
	await Promise.all([
		...engines.flatMap(engine => [create(engine.name, engine.database, engine.version), create(engine.restored, engine.database, engine.version)]),
		create(cdcName, 'postgres', '15', ['--cdc']),
	]);
}, 300_000);

afterAll(async () => {
	await removeAll([...engines.flatMap(engine => [engine.name, engine.restored]), cdcName]);
	rmSync(dir, {recursive: true, force: true});
});

const script = [
	'CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40), note VARCHAR(40));',
	"INSERT INTO items VALUES (1, 'kettle', NULL), (2, 'a \"quoted\", comma', ''), (3, 'пароль 🙂', 'x');",
	'',
].join('\n');

describe.each(engines)('$title', engine => {
	it('shell runs a script from stdin; a failing one stops at its error with the client’s exit code', async () => {
		const ran = await cliWithInput(['shell', engine.name], script);
		expect(ran.code, ran.stderr).toBe(0);
		const rows = await engine.query<{id: number; name: string}>(loginOf(engine.name), 'SELECT id, name FROM items ORDER BY id');
		expect(rows.map(row => [row.id, row.name])).toEqual([
			[1, 'kettle'],
			[2, 'a "quoted", comma'],
			[3, 'пароль 🙂'],
		]);

		const failing = await cliWithInput(
			['shell', engine.name],
			"INSERT INTO items VALUES (4, 'four', NULL);\nSELECT nope;\nINSERT INTO items VALUES (5, 'five', NULL);\n",
		);
		expect(failing.code).toBe(engine.scriptFailure);
		expect(failing.stderr).toMatch(/nope/);
		const after = await engine.query<{id: number}>(loginOf(engine.name), 'SELECT id FROM items WHERE id > 3 ORDER BY id');
		// What came before the error ran; nothing after it did.
		expect(after.map(row => row.id)).toEqual([4]);
	});

	it('query --json returns the rows; --csv, stdin and a refused statement', async () => {
		const result = await cli(['query', engine.name, 'SELECT id, name, note FROM items WHERE id <= 3 ORDER BY id', '--json']);
		expect(result.code, result.stderr).toBe(0);
		expect(json(result)).toMatchObject({
			name: engine.name,
			columns: ['id', 'name', 'note'],
			rows: [
				{id: 1, name: 'kettle', note: null},
				{id: 2, name: 'a "quoted", comma', note: ''},
				{id: 3, name: 'пароль 🙂', note: 'x'},
			],
			rowCount: 3,
		});

		const csv = await cliWithInput(['query', engine.name, '--csv'], 'SELECT id, name, note FROM items WHERE id <= 3 ORDER BY id');
		expect(csv.code, csv.stderr).toBe(0);
		expect(csv.stdout).toBe('id,name,note\n1,kettle,\n2,"a ""quoted"", comma",""\n3,пароль 🙂,x\n');

		const table = await cli(['query', engine.name, 'SELECT COUNT(*) AS n FROM items']);
		expect(table.stdout).toBe('n\n4\n(1 row)\n');

		const refused = await cli(['query', engine.name, 'SELECT * FROM no_such_table']);
		expect(refused.code).toBe(1);
		expect(refused.stdout).toBe('');
		expect(refused.stderr.trimEnd().split('\n')).toHaveLength(1);
		expect(refused.stderr).toMatch(/^Error: .*no_such_table.*(does not exist|doesn't exist).*SQLSTATE 42(P01|S02)/);
	});

	it('query, shell and dump leave the server no dropped connection to log', async () => {
		// A client that closes its socket without saying goodbye makes the server log a warning
		// (MariaDB: "Aborted connection ... Got an error reading communication packets"; PostgreSQL:
		// "unexpected EOF on client connection"), in the log the user reads for their own problems.
		const dropped = async () => (await logLinesMatching(engine.name, /Aborted connection|unexpected EOF on client connection|Connection reset by peer/)).length;
		const before = await dropped();
		expect((await cli(['query', engine.name, 'SELECT 1 AS one'])).code).toBe(0);
		expect((await cli(['query', engine.name, 'SELECT 1 AS one', '--json'])).code).toBe(0);
		expect((await cliWithInput(['shell', engine.name], 'SELECT 1;\n')).code).toBe(0);
		expect((await cli(['dump', engine.name, '--schema-only'])).code).toBe(0);
		expect(await dropped()).toBe(before);
	});

	it('dump output restores into a new database (through dbarena shell)', async () => {
		const dump = await cli(['dump', engine.name]);
		expect(dump.code, dump.stderr).toBe(0);
		const restore = await cliWithInput(['shell', engine.restored], dump.stdout);
		expect(restore.code, restore.stderr).toBe(0);
		const rows = await engine.query<{id: number; name: string; note: string | null}>(loginOf(engine.restored), 'SELECT id, name, note FROM items ORDER BY id');
		expect(rows).toEqual([
			{id: 1, name: 'kettle', note: null},
			{id: 2, name: 'a "quoted", comma', note: ''},
			{id: 3, name: 'пароль 🙂', note: 'x'},
			{id: 4, name: 'four', note: null},
		]);

		const schema = await cli(['dump', engine.name, '--schema-only']);
		expect(schema.code, schema.stderr).toBe(0);
		expect(schema.stdout).toMatch(/CREATE TABLE [`"]?(public\.)?items/);
		expect(schema.stdout).not.toContain('kettle');
		const data = await cli(['dump', engine.name, '--data-only']);
		expect(data.code, data.stderr).toBe(0);
		expect(data.stdout).toContain('kettle');
		expect(data.stdout).not.toMatch(/CREATE TABLE/);
	});
});

/** A .env with everything a person may have in one, none of it ours. */
const unrelated = [
	'# app settings\r\n',
	'\r\n',
	'export APP_ENV=dev\r\n',
	'SECRET="a # not a comment"   # but this is\r\n',
	"SINGLE='$NOT_EXPANDED'\r\n",
	'CERT="-----BEGIN\r\nPGHOST=inside-a-value\r\n-----END"\r\n',
	'  INDENTED = spaced',
].join('');

function readEnv(file: string): Map<string, string> {
	const values = new Map<string, string>();
	for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
		const match = /^([A-Z_]+)=(.*)$/.exec(line);
		if (match) values.set(match[1]!, match[2]!.replace(/^'(.*)'$/, '$1'));
	}
	return values;
}

describe('env --write', () => {
	const [pg, my] = engines as [Engine, Engine];

	it('adds the variables and keeps every unrelated line byte for byte; they log in', async () => {
		const file = path.join(dir, 'app.env');
		writeFileSync(file, unrelated, 'latin1');
		const written = await cli(['env', pg.name, '--write', file]);
		expect(written.code, written.stderr).toBe(0);
		expect(written.stdout).toBe(`✓ ${file}: added DATABASE_URL, PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE\n`);
		const text = readFileSync(file, 'latin1');
		const {host, port, user, password, database, url} = loginOf(pg.name);
		expect(text).toBe(
			`${unrelated}\r\nDATABASE_URL=${url}\r\nPGHOST=${host}\r\nPGPORT=${port}\r\nPGUSER=${user}\r\nPGPASSWORD=${password}\r\nPGDATABASE=${database}\r\n`,
		);
		const values = readEnv(file);
		const rows = await pgQuery<{n: string}>(
			{
				host: values.get('PGHOST')!,
				port: Number(values.get('PGPORT')),
				user: values.get('PGUSER')!,
				password: values.get('PGPASSWORD')!,
				database: values.get('PGDATABASE')!,
			},
			'SELECT count(*) AS n FROM items',
		);
		expect(rows[0]?.n).toBe('4');
	});

	it('replaces stale values in place, and --prefix puts a second database in the same file', async () => {
		const file = path.join(dir, 'two.env');
		const before = `${unrelated}\nPGPORT=1 # stale\nexport DATABASE_URL=postgres://old\n`;
		writeFileSync(file, before, 'latin1');
		const first = await cli(['env', pg.name, '--write', file]);
		expect(first.code, first.stderr).toBe(0);
		const second = await cli(['env', my.name, '--prefix', 'SHOP', '--write', file]);
		expect(second.code, second.stderr).toBe(0);
		const text = readFileSync(file, 'latin1');
		const pgLogin = loginOf(pg.name);
		const myLogin = loginOf(my.name);
		// Replaced where they were; the rest appended with the file's own line ending (its first line's: CRLF).
		expect(text).toBe(
			`${unrelated}\nPGPORT=${pgLogin.port} # stale\nexport DATABASE_URL=${pgLogin.url}\n` +
				[
					`PGHOST=${pgLogin.host}`,
					`PGUSER=${pgLogin.user}`,
					`PGPASSWORD=${pgLogin.password}`,
					`PGDATABASE=${pgLogin.database}`,
					`SHOP_DATABASE_URL=${myLogin.url}`,
					`SHOP_MYSQL_HOST=${myLogin.host}`,
					`SHOP_MYSQL_TCP_PORT=${myLogin.port}`,
					`SHOP_MYSQL_PWD=${myLogin.password}`,
				]
					.map(line => `${line}\r\n`)
					.join(''),
		);
		const values = readEnv(file);
		const url = new URL(values.get('SHOP_DATABASE_URL')!);
		const rows = await mysqlQuery<{n: number}>(
			{
				host: values.get('SHOP_MYSQL_HOST')!,
				port: Number(values.get('SHOP_MYSQL_TCP_PORT')),
				user: decodeURIComponent(url.username),
				password: values.get('SHOP_MYSQL_PWD')!,
				database: decodeURIComponent(url.pathname.slice(1)),
			},
			'SELECT COUNT(*) AS n FROM items',
		);
		expect(rows[0]?.n).toBe(4);
	});

	it('prints the other formats', async () => {
		const {host, port, password} = loginOf(my.name);
		const jdbc = await cli(['env', my.name, '--format', 'jdbc']);
		expect(jdbc.stdout).toBe(`jdbc:mariadb://${host}:${port}/testdb?user=root&password=${password}\n`);
		const dotnet = await cli(['env', pg.name, '--format', 'dotnet']);
		expect(dotnet.stdout).toBe(`Host=127.0.0.1;Port=${loginOf(pg.name).port};Database=testdb;Username=postgres;Password=dbarena\n`);
		const asJson = await cli(['env', pg.name, '--json']);
		expect(json(asJson)).toEqual({name: pg.name, variables: expect.objectContaining({PGPORT: String(loginOf(pg.name).port)}), written: null});
	});
});

describe('--cdc: the connector login', () => {
	it('url --cdc and env --cdc give a login that works as the cdc user', async () => {
		const url = await cli(['url', cdcName, '--cdc']);
		expect(url.code, url.stderr).toBe(0);
		const parsed = new URL(url.stdout.trim());
		expect(decodeURIComponent(parsed.username)).toBe('cdc');
		const env = await cli(['env', cdcName, '--cdc']);
		expect(env.stdout).toContain('PGUSER=cdc\n');
		const rows = await pgQuery<{who: string; replication: boolean}>(
			{host: parsed.hostname, port: Number(parsed.port), user: 'cdc', password: decodeURIComponent(parsed.password), database: 'testdb'},
			'SELECT current_user AS who, rolreplication AS replication FROM pg_roles WHERE rolname = current_user',
		);
		expect(rows).toEqual([{who: 'cdc', replication: true}]);
	});
});

describe('bad input: exit 2, one Error: line, nothing written', () => {
	const [pg] = engines as [Engine];
	const envFile = path.join(dir, 'untouched.env');

	it.each([
		[['shell'], /^Error: Name the container to open a shell in/],
		[['shell', 'a', 'b'], /^Error: shell takes one container name, got 2/],
		[['shell', '@pg', '--json'], /^Error: shell prints what the database client prints; it has no --json output\./],
		[['shell', 'dataout-no-such-container'], /^Error: No dbarena container named "dataout-no-such-container"/],
		[['query'], /^Error: Name the container to query/],
		[['query', '@pg', 'SELECT 1', 'SELECT 2'], /^Error: query takes a container name and one SQL text, got 3 arguments/],
		[['query', '@pg', 'SELECT 1', '--csv', '--json'], /^Error: Conflicting flags --csv and --json/],
		[['query', '@pg', '   '], /^Error: The SQL to run is empty\./],
		[['dump', '@pg', '--schema-only', '--data-only'], /^Error: Conflicting flags --schema-only and --data-only/],
		[['dump', '@pg', '--json'], /^Error: dump writes SQL to stdout; it has no --json output\./],
		[['dump', '@pg', '--schema-only=yes'], /^Error: Flag --schema-only takes no value/],
		[['env', '@pg', '--format', 'yaml'], /^Error: Invalid --format "yaml": use one of env, json, jdbc, dotnet, url\./],
		[['env', '@pg', '--format'], /^Error: Flag --format needs a value/],
		[['env', '@pg', '--prefix', '1ORDERS'], /^Error: Invalid --prefix "1ORDERS": use letters, digits and _/],
		[['env', '@pg', '--prefix', 'ORD-ERS'], /^Error: Invalid --prefix "ORD-ERS"/],
		[['env', '@pg', '--prefix', ''], /^Error: Flag --prefix needs a value, not an empty one/],
		[['env', '@pg', '--format', 'jdbc', '--prefix', 'A'], /^Error: Conflicting flags --prefix and --format jdbc/],
		[['env', '@pg', '--format', 'url', '--write', '@file'], /^Error: Conflicting flags --write and --format url/],
		[['env', '@pg', '--json', '--format', 'env'], /^Error: Conflicting flags --json and --format/],
		[['env', '@pg', '--write', '@dir'], /^Error: Invalid --write ".*": it is a directory/],
		[
			['env', '@pg', '--write', '/nonexistent-dataout/x/.env'],
			/^Error: Invalid --write "\/nonexistent-dataout\/x\/.env": the directory \/nonexistent-dataout\/x does not exist\./,
		],
		[['env', '@pg', '--cdc'], /^Error: dataout-pg-\w+ was not created with --cdc, so it has no CDC login; leave out --cdc\./],
		[['env', '@pg', '--cdc', '--write', '@file'], /^Error: dataout-pg-\w+ was not created with --cdc/],
		[['url', '@pg', '--cdc'], /^Error: dataout-pg-\w+ was not created with --cdc/],
	])('%j', async (args, message) => {
		writeFileSync(envFile, unrelated, 'latin1');
		const filled = args.map(arg => (arg === '@pg' ? pg.name : arg === '@file' ? envFile : arg === '@dir' ? dir : arg));
		const result = await cli(filled);
		expect(result.code, result.stderr).toBe(2);
		// With --json the error is also a document on stdout, as for every command.
		if (args.includes('--json')) expect(json(result)).toMatchObject({error: {exitCode: 2}});
		else expect(result.stdout).toBe('');
		const lines = result.stderr.trimEnd().split('\n');
		expect(lines, result.stderr).toHaveLength(1);
		expect(lines[0]).toMatch(message);
		expect(readFileSync(envFile, 'latin1')).toBe(unrelated);
	});
});
