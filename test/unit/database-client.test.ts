import {EventEmitter} from 'node:events';
import {Duplex, PassThrough, Readable, Writable} from 'node:stream';
import {describe, expect, it, vi} from 'vitest';
import {dumpDatabase, openShell} from '../../source/core/database-client.js';
import type {DockerClient} from '../../source/core/docker/client.js';
import {demultiplex} from '../../source/core/docker/exec-attach.js';
import {openEngine} from '../../source/core/engine-handle.js';
import {presets} from '../../source/core/presets/catalog.js';
import type {DatabaseKind} from '../../source/core/types.js';
import {fakeContainer} from '../helpers/dashboard.js';

const secret = 'S3cret!Pass';
const credentials = {user: 'app', password: secret, database: 'shop'};

describe("each database's client and dump tool in its image", () => {
	it.each(['postgres', 'mysql', 'mariadb', 'sqlserver'] as const)('%s: the password only in the environment, never in argv', database => {
		const preset = presets[database];
		const commands = [preset.client(credentials, {interactive: true}), preset.client(credentials, {interactive: false})];
		if (preset.dump) commands.push(preset.dump(credentials, 'all'), preset.dump(credentials, 'schema'), preset.dump(credentials, 'data'));
		for (const {command, env} of commands) {
			expect(command.join(' ')).not.toContain(secret);
			expect(env.join(' ')).toContain(secret);
		}
	});

	it('psql stops a script at its first error (its own default carries on and exits 0)', () => {
		expect(presets.postgres.client(credentials, {interactive: false}).command).toEqual(['psql', '--username=app', '--dbname=shop', '--set=ON_ERROR_STOP=1']);
		expect(presets.postgres.client(credentials, {interactive: true}).command).toEqual(['psql', '--username=app', '--dbname=shop']);
		expect(presets.postgres.client(credentials, {interactive: true}).env).toEqual([`PGPASSWORD=${secret}`]);
	});

	it('sqlcmd stops a script at its first error too (-b), with tools18 and -C first', () => {
		const {command, env} = presets.sqlserver.client(credentials, {interactive: false});
		expect(command.at(-1)).toBe('-b');
		expect(command[2]).toContain('/opt/mssql-tools18/bin/sqlcmd -C');
		expect(env).toEqual([`SQLCMDPASSWORD=${secret}`]);
		expect(presets.sqlserver.client(credentials, {interactive: true}).command).not.toContain('-b');
	});

	it('MySQL and MariaDB: whichever client the image has, over TCP as the host logs in', () => {
		const {command, env} = presets.mariadb.client(credentials, {interactive: true});
		expect(command.slice(0, 2)).toEqual(['sh', '-c']);
		expect(command[2]).toBe('if command -v mariadb >/dev/null; then exec mariadb "$@"; else exec mysql "$@"; fi');
		expect(command.slice(4)).toEqual(['--host=127.0.0.1', '--protocol=tcp', '--user=app', '--default-character-set=utf8mb4', '--database=shop']);
		expect(env).toEqual([`MYSQL_PWD=${secret}`]);
	});

	it('pg_dump without ownership, grants and publications, so it restores into any database', () => {
		const args = (scope: 'all' | 'schema' | 'data') => presets.postgres.dump!(credentials, scope).command;
		expect(args('all')).toEqual(['pg_dump', '--username=app', '--dbname=shop', '--no-owner', '--no-privileges', '--no-publications', '--no-subscriptions']);
		expect(args('schema').at(-1)).toBe('--schema-only');
		expect(args('data').at(-1)).toBe('--data-only');
	});

	it("mysqldump: one transaction; MySQL's own leaves out the GTIDs, mariadb-dump needs no such flag", () => {
		const all = presets.mysql.dump!(credentials, 'all').command;
		expect(all[2]).toBe('if command -v mariadb-dump >/dev/null; then exec mariadb-dump "$@"; else exec mysqldump --set-gtid-purged=OFF "$@"; fi');
		expect(all.slice(4)).toEqual(['--host=127.0.0.1', '--protocol=tcp', '--user=app', '--single-transaction', '--routines', '--', 'shop']);
		expect(presets.mysql.dump!(credentials, 'schema').command.slice(-4)).toEqual(['--routines', '--no-data', '--', 'shop']);
		expect(presets.mysql.dump!(credentials, 'data').command.slice(-4)).toEqual(['--no-create-info', '--skip-triggers', '--', 'shop']);
	});

	it('SQL Server has no dump tool in its image', () => {
		expect(presets.sqlserver.dump).toBeUndefined();
	});
});

/** A multiplexed frame as the engine sends it: stream type, three zero bytes, the length, the bytes. */
const frame = (stream: 1 | 2, text: string) => {
	const body = Buffer.from(text);
	const header = Buffer.alloc(8);
	header[0] = stream;
	header.writeUInt32BE(body.length, 4);
	return Buffer.concat([header, body]);
};

const collect = () => {
	const chunks: Buffer[] = [];
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			chunks.push(chunk);
			done();
		},
	});
	return {stream, text: () => Buffer.concat(chunks).toString()};
};

describe('demultiplex', () => {
	it('splits stdout and stderr however the frames are cut into chunks', async () => {
		const bytes = Buffer.concat([frame(1, 'hello '), frame(2, 'warning'), frame(1, 'world'), frame(1, '')]);
		for (const size of [1, 3, 7, 8, 9, bytes.length]) {
			const chunks: Buffer[] = [];
			for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
			const out = collect();
			const err = collect();
			await demultiplex(Readable.from(chunks), out.stream, err.stream);
			expect([out.text(), err.text()], `chunks of ${size}`).toEqual(['hello world', 'warning']);
		}
	});

	it('waits for a slow reader instead of buffering everything (a large dump)', async () => {
		let written = 0;
		const slow = new Writable({
			highWaterMark: 16,
			write(chunk: Buffer, _encoding, done) {
				written += chunk.length;
				setTimeout(done, 1);
			},
		});
		const pulled: number[] = [];
		const source = Readable.from(
			(function* () {
				for (let index = 0; index < 20; index++) {
					pulled.push(written);
					yield frame(1, 'x'.repeat(100));
				}
			})(),
		);
		await demultiplex(source, slow, collect().stream);
		// Each frame is asked for only once the one before it has been taken by the reader.
		expect(pulled.slice(1).every((before, index) => before >= index * 100)).toBe(true);
	});
});

type Call = {method: string; args: unknown[]};

/**
 * A fake engine for one exec: it records what dbarena asks, hands back `connection` as the hijacked
 * stream, and reports `exitCode` once the stream has ended.
 */
function fakeDocker(connection: Duplex, exitCode: number) {
	const calls: Call[] = [];
	const exec = {
		start: vi.fn(async (options: unknown) => {
			calls.push({method: 'start', args: [options]});
			return connection;
		}),
		resize: vi.fn(async (size: unknown) => {
			calls.push({method: 'resize', args: [size]});
		}),
		inspect: vi.fn(async () => ({Running: false, ExitCode: exitCode})),
	};
	const docker = {
		getContainer: (id: string) => ({
			exec: vi.fn(async (options: unknown) => {
				calls.push({method: 'exec', args: [id, options]});
				return exec;
			}),
		}),
		ping: async () => 'OK',
	};
	return {docker: docker as unknown as DockerClient, calls};
}

/** Both ends of the hijacked connection: what dbarena writes (the process's stdin) and what the process sends. */
function fakeConnection() {
	const toProcess: Buffer[] = [];
	let stdinEnded = false;
	const fromProcess = new PassThrough();
	const connection = new Duplex({
		read() {},
		write(chunk: Buffer, _encoding, done) {
			toProcess.push(Buffer.from(chunk));
			done();
		},
		final(done) {
			stdinEnded = true;
			done();
		},
	});
	fromProcess.on('data', (chunk: Buffer) => connection.push(chunk));
	fromProcess.on('end', () => connection.push(null));
	return {connection, fromProcess, stdin: () => Buffer.concat(toProcess).toString(), stdinEnded: () => stdinEnded};
}

const engineWith = (docker: DockerClient) =>
	openEngine({docker, settings: {}, location: {address: 'unix:///fake.sock', foundBy: 'a test', source: 'DOCKER_HOST', tried: []}});

describe('openShell and dumpDatabase (a fake engine)', () => {
	const running = (database: DatabaseKind = 'postgres') => fakeContainer({name: 'pg', database});

	it('without a terminal: stdin goes in, its end closes the process stdin, output is split, the exit code is the client’s', async () => {
		const wire = fakeConnection();
		const {docker, calls} = fakeDocker(wire.connection, 3);
		const out = collect();
		const err = collect();
		const stdin = Readable.from([Buffer.from('SELECT 1;\n'), Buffer.from('SELECT nope;\n')]);
		const shell = openShell(engineWith(docker), running(), {tty: false, stdin, stdout: out.stream, stderr: err.stream});
		await vi.waitFor(() => {
			expect(wire.stdinEnded()).toBe(true);
		});
		wire.fromProcess.write(frame(1, ' ?column? \n'));
		wire.fromProcess.end(frame(2, 'ERROR:  column "nope" does not exist\n'));
		expect(await shell).toBe(3);
		expect(wire.stdin()).toBe('SELECT 1;\nSELECT nope;\n');
		expect(out.text()).toBe(' ?column? \n');
		expect(err.text()).toBe('ERROR:  column "nope" does not exist\n');
		expect(calls[0]).toEqual({
			method: 'exec',
			args: [
				'id-pg',
				{
					Cmd: ['psql', '--username=postgres', '--dbname=testdb', '--set=ON_ERROR_STOP=1'],
					Env: ['PGPASSWORD=dbarena'],
					AttachStdin: true,
					AttachStdout: true,
					AttachStderr: true,
					Tty: false,
				},
			],
		});
	});

	it('with a terminal: a TTY of the terminal’s size, resized on every change, raw bytes both ways', async () => {
		const wire = fakeConnection();
		const {docker, calls} = fakeDocker(wire.connection, 0);
		const out = collect();
		const resizes = new EventEmitter();
		const keys = new PassThrough();
		const shell = openShell(engineWith(docker), running(), {
			tty: true,
			stdin: keys,
			stdout: out.stream,
			stderr: collect().stream,
			size: {columns: 120, rows: 40},
			onResize(listener) {
				resizes.on('resize', listener);
				return () => resizes.off('resize', listener);
			},
		});
		await vi.waitFor(() => {
			expect(calls.filter(call => call.method === 'resize')).toHaveLength(1);
		});
		keys.write('\\q\r');
		resizes.emit('resize', {columns: 80, rows: 24});
		// The raw stream is not multiplexed: its bytes are the screen's, header-like or not.
		wire.fromProcess.end(Buffer.from([1, 0, 0, 0, 0, 0, 0, 2, 0x41]));
		expect(await shell).toBe(0);
		expect(calls.find(call => call.method === 'exec')?.args[1]).toMatchObject({Tty: true, Cmd: ['psql', '--username=postgres', '--dbname=testdb']});
		expect(calls.filter(call => call.method === 'resize').map(call => call.args[0])).toEqual([
			{h: 40, w: 120},
			{h: 24, w: 80},
		]);
		expect(wire.stdin()).toBe('\\q\r');
		expect(out.text()).toBe('\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0002A');
		// Resizes after the end are not sent: the listener is gone.
		expect(resizes.listenerCount('resize')).toBe(0);
	});

	it('refuses a container that is not running, and a dump of SQL Server, before asking the engine', async () => {
		const {docker, calls} = fakeDocker(fakeConnection().connection, 0);
		const engine = engineWith(docker);
		const io = {tty: false, stdout: collect().stream, stderr: collect().stream};
		await expect(openShell(engine, fakeContainer({name: 'pg', state: 'exited'}), io)).rejects.toMatchObject({
			code: 'not_running',
			message: 'pg is not running; start it first ("dbarena start pg") to open a shell.',
		});
		await expect(dumpDatabase(engine, fakeContainer({name: 'ms', database: 'sqlserver'}), 'all', io)).rejects.toMatchObject({code: 'unsupported'});
		expect(calls).toEqual([]);
	});

	// The two lines pg_dump 15 prints when its server is newer (seen with a 17 server).
	const mismatch =
		'pg_dump: error: aborting because of server version mismatch\npg_dump: detail: server version: 17.10; pg_dump version: 15.20 (Debian 15.20-0+deb12u1)\n';

	it('pg_dump refusing a newer server: one clear error in place of its own lines; its other messages pass through', async () => {
		const wire = fakeConnection();
		const {docker} = fakeDocker(wire.connection, 1);
		const err = collect();
		const dump = dumpDatabase(engineWith(docker), running(), 'all', {stdout: collect().stream, stderr: err.stream});
		const bytes = frame(2, `pg_dump: warning: ünrelated\n${mismatch}`);
		// Cut anywhere, even inside a character: the lines are still recognised whole.
		for (let at = 0; at < bytes.length; at += 5) wire.fromProcess.write(bytes.subarray(at, at + 5));
		wire.fromProcess.end();
		await expect(dump).rejects.toMatchObject({
			code: 'operation_failed',
			message:
				'pg_dump 15.20 in the image of pg cannot dump its server, PostgreSQL 17.10: pg_dump refuses a server newer than itself. ' +
				"Use an image whose client tools are of the server's major (the official postgres images' are), " +
				'or run a pg_dump 17 or newer from this machine: pg_dump "$(dbarena url pg)".',
		});
		expect(err.text()).toBe('pg_dump: warning: ünrelated\n');
	});

	it('any other failure of pg_dump: its own words and exit code, untouched', async () => {
		const wire = fakeConnection();
		const {docker} = fakeDocker(wire.connection, 1);
		const err = collect();
		const dump = dumpDatabase(engineWith(docker), running(), 'all', {stdout: collect().stream, stderr: err.stream});
		wire.fromProcess.end(frame(2, 'pg_dump: error: query failed: ERROR:  permission denied for table t\npg_dump: detail: Query was: LOCK TABLE'));
		expect(await dump).toBe(1);
		expect(err.text()).toBe('pg_dump: error: query failed: ERROR:  permission denied for table t\npg_dump: detail: Query was: LOCK TABLE');
	});
});
