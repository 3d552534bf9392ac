import getPort from 'get-port';
import {afterAll, describe, expect, it} from 'vitest';
import {canLogin, docker, mysqlQuery, pgQuery, registry, removeContainers, run, waitFor} from '../helpers/docker.js';

// The fixtures are real servers from Debian packages in place of the official images; these tests
// prove they keep the official images' contract and quirks, so that what dbarena's tests show with
// them holds for the official ones.

const created: string[] = [];
afterAll(async () => removeContainers(created));

async function startFixture(image: string, env: Record<string, string>, containerPort: number): Promise<{name: string; port: number}> {
	const port = await getPort({host: '127.0.0.1'});
	const name = `dbarena-fixture-test-${Math.random().toString(16).slice(2, 8)}`;
	created.push(name);
	const container = await docker.createContainer({
		name,
		Image: image,
		Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
		Labels: {'dbarena.test': 'true'},
		HostConfig: {PortBindings: {[`${containerPort}/tcp`]: [{HostIp: '127.0.0.1', HostPort: String(port)}]}},
	});
	await container.start();
	return {name, port};
}

async function logsOf(name: string): Promise<string> {
	const {stdout, stderr} = await run('docker', ['logs', name]);
	return stdout + stderr;
}

async function execExit(name: string, command: string[]): Promise<number> {
	try {
		await run('docker', ['exec', name, ...command]);
		return 0;
	} catch (error) {
		return (error as {code?: number}).code ?? -1;
	}
}

describe('fixture images from the local registry', () => {
	it('pulls a fixture from the registry and PostgreSQL answers from the host with the password given', async () => {
		const image = `${registry}/library/postgres:15`;
		await docker
			.getImage(image)
			.remove({force: true, v: true})
			.catch(() => undefined);
		await run('docker', ['pull', '-q', image]);
		const {port} = await startFixture(image, {POSTGRES_PASSWORD: 's3cret pass', POSTGRES_USER: 'alice', POSTGRES_DB: 'shop'}, 5432);
		const login = {host: '127.0.0.1', port, user: 'alice', password: 's3cret pass', database: 'shop'};
		await waitFor('a host login', async () => canLogin('postgres', login));
		const [row] = await pgQuery<{db: string; who: string; version: string}>(
			login,
			"SELECT current_database() AS db, current_user AS who, current_setting('server_version_num') AS version",
		);
		expect(row).toMatchObject({db: 'shop', who: 'alice'});
		expect(row!.version.startsWith('15')).toBe(true);
		// A wrong password is refused: the password really is the one from the environment.
		await expect(pgQuery({...login, password: 'wrong'}, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
	});

	it('serves a second real PostgreSQL major (16) beside 15', async () => {
		const {port} = await startFixture(`${registry}/library/postgres:16-alpine`, {POSTGRES_PASSWORD: 'pw'}, 5432);
		const login = {host: '127.0.0.1', port, user: 'postgres', password: 'pw', database: 'postgres'};
		await waitFor('a host login', async () => canLogin('postgres', login));
		const [row] = await pgQuery<{version: string}>(login, "SELECT current_setting('server_version') AS version");
		expect(row!.version).toMatch(/^16\./);
	});

	it('MariaDB answers from the host with MARIADB_* names', async () => {
		const {port} = await startFixture(`${registry}/library/mariadb:10.11`, {MARIADB_ROOT_PASSWORD: 'rootpw', MARIADB_DATABASE: 'shop'}, 3306);
		const login = {host: '127.0.0.1', port, user: 'root', password: 'rootpw', database: 'shop'};
		await waitFor('a host login', async () => canLogin('mysql', login), 60_000);
		const [row] = await mysqlQuery<{db: string; version: string}>(login, 'SELECT DATABASE() AS db, VERSION() AS version');
		expect(row).toMatchObject({db: 'shop'});
		expect(row!.version).toMatch(/^10\.11\..*MariaDB/);
		await expect(mysqlQuery({...login, password: 'wrong'}, 'SELECT 1')).rejects.toThrow(/Access denied/);
	});

	it('mysql is real MySQL and honours the MYSQL_* names, including a non-root user', async () => {
		const {name, port} = await startFixture(
			`${registry}/library/mysql:8.4`,
			{MYSQL_ROOT_PASSWORD: 'rootpw', MYSQL_DATABASE: 'my_app', MYSQL_USER: 'bob', MYSQL_PASSWORD: 'bobpw'},
			3306,
		);
		const bob = {host: '127.0.0.1', port, user: 'bob', password: 'bobpw', database: 'my_app'};
		await waitFor('a host login', async () => canLogin('mysql', bob), 90_000);
		const [row] = await mysqlQuery<{who: string; version: string}>(bob, 'SELECT CURRENT_USER() AS who, VERSION() AS version');
		expect(row).toEqual({who: 'bob@%', version: expect.stringMatching(/^9\.7\./) as string});
		// The user's rights are on its database (a "_" in the name is escaped, not a wildcard).
		await mysqlQuery(bob, 'CREATE TABLE mine (n int)');
		const root = {...bob, user: 'root', password: 'rootpw'};
		expect(await mysqlQuery(root, "SELECT plugin FROM mysql.user WHERE user IN ('root', 'bob') AND host = '%' ORDER BY user")).toEqual([
			{plugin: 'caching_sha2_password'},
			{plugin: 'caching_sha2_password'},
		]);
		// As in the official image (Oracle Linux slim): no tar, no mariadb client.
		expect(await execExit(name, ['sh', '-c', 'command -v tar'])).not.toBe(0);
		expect(await execExit(name, ['sh', '-c', 'command -v mariadb'])).not.toBe(0);
		expect(await execExit(name, ['sh', '-c', 'command -v mysql'])).toBe(0);
	});

	it('mysql refuses MYSQL_USER=root and a missing password, with the official messages', async () => {
		const asRoot = await startFixture(`${registry}/library/mysql:9.7`, {MYSQL_ROOT_PASSWORD: 'x', MYSQL_USER: 'root', MYSQL_PASSWORD: 'y'}, 3306);
		const noPassword = await startFixture(`${registry}/library/mysql:9.7`, {}, 3306);
		for (const {name} of [asRoot, noPassword]) {
			await waitFor('the container to exit', async () => (await docker.getContainer(name).inspect()).State.Status === 'exited', 30_000);
		}
		expect(await logsOf(asRoot.name)).toContain('MYSQL_USER="root", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user');
		expect(await logsOf(noPassword.name)).toContain('Database is uninitialized and password option is not specified');
	});

	it('MariaDB 11.8 answers with only the mariadb names, as the official 11.x images', async () => {
		const {name, port} = await startFixture(`${registry}/library/mariadb:11.8`, {MARIADB_ROOT_PASSWORD: 'rootpw'}, 3306);
		const login = {host: '127.0.0.1', port, user: 'root', password: 'rootpw', database: 'mysql'};
		await waitFor('a host login', async () => canLogin('mysql', login), 60_000);
		const [row] = await mysqlQuery<{version: string}>(login, 'SELECT VERSION() AS version');
		expect(row!.version).toMatch(/^11\.8\..*MariaDB/);
		expect(await execExit(name, ['sh', '-c', 'command -v mariadb && command -v mariadb-admin'])).toBe(0);
		expect(await execExit(name, ['sh', '-c', 'command -v mysql || command -v mysqladmin'])).not.toBe(0);
	});

	it('PostgreSQL first start is two-phase: a socket-only server answers pg_isready while TCP is refused', async () => {
		const {name, port} = await startFixture(`${registry}/library/postgres:16-alpine`, {POSTGRES_PASSWORD: 'pw', FIXTURE_INIT_HOLD_SECONDS: '5'}, 5432);
		const login = {host: '127.0.0.1', port, user: 'postgres', password: 'pw', database: 'postgres'};
		await waitFor('the temporary server', async () => (await logsOf(name)).includes('holding the temporary'));
		// The trap: inside the container, over the socket, the server looks ready...
		expect(await execExit(name, ['pg_isready'])).toBe(0);
		// ...but not over TCP, and a host client cannot log in.
		expect(await execExit(name, ['pg_isready', '-h', '127.0.0.1'])).not.toBe(0);
		expect(await canLogin('postgres', login)).toBe(false);
		// Then the real server starts and the host can log in.
		await waitFor('a host login after init', async () => canLogin('postgres', login), 30_000);
		expect(await logsOf(name)).toContain('PostgreSQL init process complete');
	});

	it('MariaDB first start is two-phase: mysqladmin ping answers over the socket while TCP is refused', async () => {
		const {name, port} = await startFixture(`${registry}/library/mariadb:10.11`, {MARIADB_ROOT_PASSWORD: 'pw', FIXTURE_INIT_HOLD_SECONDS: '5'}, 3306);
		const login = {host: '127.0.0.1', port, user: 'root', password: 'pw', database: 'mysql'};
		await waitFor('the temporary server', async () => (await logsOf(name)).includes('holding the temporary'), 60_000);
		// mysqladmin ping exits 0 here (it even does on "Access denied"): the naive probe's trap.
		expect(await execExit(name, ['mysqladmin', 'ping'])).toBe(0);
		expect(await execExit(name, ['mysqladmin', '-h', '127.0.0.1', '-uroot', '-ppw', 'status'])).not.toBe(0);
		expect(await canLogin('mysql', login)).toBe(false);
		await waitFor('a host login after init', async () => canLogin('mysql', login), 30_000);
		expect(await logsOf(name)).toContain('MariaDB init process done');
	});

	it('MySQL first start is two-phase: initialize, then mysqladmin ping answers a socket-only server while TCP is refused', async () => {
		const {name, port} = await startFixture(`${registry}/library/mysql:9.7`, {MYSQL_ROOT_PASSWORD: 'pw', FIXTURE_INIT_HOLD_SECONDS: '5'}, 3306);
		const login = {host: '127.0.0.1', port, user: 'root', password: 'pw', database: 'mysql'};
		await waitFor('the temporary server', async () => (await logsOf(name)).includes('holding the temporary'), 90_000);
		expect(await logsOf(name)).toContain('--initialize-insecure');
		expect(await execExit(name, ['mysqladmin', 'ping'])).toBe(0);
		expect(await execExit(name, ['mysqladmin', '-h', '127.0.0.1', '-uroot', '-ppw', 'status'])).not.toBe(0);
		expect(await canLogin('mysql', login)).toBe(false);
		await waitFor('a host login after init', async () => canLogin('mysql', login), 60_000);
		expect(await logsOf(name)).toContain('MySQL init process done');
	});

	// The official images pair each server with its own major's client tools; pg_dump dumps an older
	// server but refuses a newer one. No Debian suite has a 14 or 16 client: those fixtures carry 15's.
	it.each([
		['14', '15'],
		['15', '15'],
		['16', '15'],
		['17', '17'],
		['18', '18'],
	])('PostgreSQL %s: the server and its psql, pg_dump and pg_restore (%s)', async (server, client) => {
		const name = `dbarena-fixture-test-${Math.random().toString(16).slice(2, 8)}`;
		created.push(name);
		const {stdout} = await run('docker', [
			...['run', '--rm', '--name', name, '--label', 'dbarena.test=true', '--entrypoint', 'sh', `${registry}/library/postgres:${server}-alpine`],
			...['-c', 'for tool in postgres psql pg_dump pg_restore; do "$tool" --version; done'],
		]);
		const majors = stdout
			.trim()
			.split('\n')
			.map(line => /^(\S+) \(PostgreSQL\) (\d+)\./.exec(line)?.slice(1, 3).join(' '));
		expect(majors).toEqual([`postgres ${server}`, `psql ${client}`, `pg_dump ${client}`, `pg_restore ${client}`]);
	});
});
