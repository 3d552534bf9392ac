import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mysqlQuery, mysqlSession} from '../helpers/docker.js';
import {buildCli, cli, inspect, json, removeAll, uniqueName} from './cli-helpers.js';

// The mysql and mariadb presets against the real servers users run (the fixtures are real MySQL
// 9.7 and MariaDB 11.8), through the built command as a user types it.

const containers: string[] = [];

function name(prefix: string): string {
	const unique = uniqueName(prefix);
	containers.push(unique);
	return unique;
}

beforeAll(async () => {
	await buildCli();
});

afterAll(async () => {
	await removeAll(containers);
});

type Created = {
	containers: Array<{
		name: string;
		version: string;
		memoryLimitBytes: number;
		connection: {host: string; port: number; user: string; password: string; database: string};
	}>;
};

async function inspectState(container: string): Promise<{running: boolean; oomKilled: boolean}> {
	const info = (await inspect(container)) as unknown as {State: {Running: boolean; OOMKilled: boolean}} | undefined;
	return {running: info?.State.Running ?? false, oomKilled: info?.State.OOMKilled ?? false};
}

describe('real servers behind the presets', () => {
	it('create mysql --version 9.7 is MySQL, not MariaDB, and stays within 512 MiB under 16 writing clients', async () => {
		const db = name('mysql97');
		const result = await cli(['create', 'mysql', '--version', '9.7', '--name', db, '--json']);
		expect(result.code, result.stderr).toBe(0);
		const [container] = json<Created>(result).containers;
		expect(container!.memoryLimitBytes).toBe(512 * 1024 * 1024);
		const login = container!.connection;
		const [server] = await mysqlQuery<{version: string; comment: string; plugin: string}>(
			login,
			"SELECT @@version AS version, @@version_comment AS comment, (SELECT plugin FROM mysql.user WHERE user = 'root' AND host = '%') AS plugin",
		);
		expect(server!.version).toMatch(/^9\.7\.\d+/);
		// MariaDB says "MariaDB" in one or the other; Oracle's builds "MySQL Community Server - GPL",
		// Debian's build of the same source (the fixture) "(Debian)".
		expect(`${server!.version} ${server!.comment}`).not.toMatch(/mariadb/i);
		expect(server!.plugin).toBe('caching_sha2_password');

		// A write loop like a test suite's: 16 sessions inserting at once, for a few seconds.
		await mysqlQuery(login, 'CREATE TABLE load_rows (id int AUTO_INCREMENT PRIMARY KEY, body varchar(200), n int, INDEX (n))');
		const until = Date.now() + 6000;
		const counts = await Promise.all(
			Array.from({length: 16}, async (_, client) =>
				mysqlSession(login, async query => {
					let rows = 0;
					while (Date.now() < until) {
						await query(`INSERT INTO load_rows (body, n) VALUES (REPEAT('x', 200), ${client}), (REPEAT('y', 200), ${client})`);
						rows += 2;
					}
					return rows;
				}),
			),
		);
		const written = counts.reduce((sum, count) => sum + count, 0);
		expect(await mysqlQuery(login, 'SELECT COUNT(*) AS n FROM load_rows')).toEqual([{n: written}]);
		expect(await inspectState(db)).toEqual({running: true, oomKilled: false});
	});

	it('create mariadb (the default version, 11.8) works', async () => {
		const db = name('maria-default');
		const result = await cli(['create', 'mariadb', '--name', db, '--json']);
		expect(result.code, result.stderr).toBe(0);
		const [container] = json<Created>(result).containers;
		expect(container!.version).toBe('11.8');
		const [row] = await mysqlQuery<{version: string; db: string}>(container!.connection, 'SELECT VERSION() AS version, DATABASE() AS db');
		expect(row).toEqual({version: expect.stringMatching(/^11\.8\.\d+-MariaDB/) as string, db: 'testdb'});
	});
});
