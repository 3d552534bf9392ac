import {describe, expect, it} from 'vitest';
import {containerSpec} from '../../source/core/create/container-spec.js';
import {planCreate} from '../../source/core/create/plan.js';
import {UsageError} from '../../source/core/errors.js';
import {mirrorImage, splitReference} from '../../source/core/image-ref.js';
import {connectionFromLabels, describeLabels} from '../../source/core/labels.js';

const now = new Date('2026-11-26T10:00:00Z');

describe('registry mirror', () => {
	it.each([
		['postgres:16-alpine', '127.0.0.1:5000', '127.0.0.1:5000/library/postgres:16-alpine'],
		['mcr.microsoft.com/mssql/server:2022-latest', 'mirror.example/hub/', 'mirror.example/hub/mssql/server:2022-latest'],
		['bitnami/postgresql:16', 'http://m.local:5000', 'm.local:5000/bitnami/postgresql:16'],
		['postgres:16-alpine', undefined, 'postgres:16-alpine'],
	])('%s via %s -> %s', (reference, registry, expected) => {
		expect(mirrorImage(reference, registry)).toBe(expected);
	});

	it('splits references without mistaking a registry port for a tag', () => {
		expect(splitReference('127.0.0.1:5000/library/postgres:16-alpine')).toEqual({repository: '127.0.0.1:5000/library/postgres', tag: '16-alpine'});
		expect(splitReference('127.0.0.1:5000/library/postgres')).toEqual({repository: '127.0.0.1:5000/library/postgres', tag: 'latest'});
	});
});

describe('create plan', () => {
	it('fast PostgreSQL 16: mirrored image, data on disk (never tmpfs), durability off, labels that rebuild the connection', () => {
		const plan = planCreate({database: 'pg', version: '16', name: 'orders'}, {registry: '127.0.0.1:5000'}, now);
		expect(plan.image).toBe('127.0.0.1:5000/library/postgres:16-alpine');
		const spec = containerSpec(plan, 5433);
		// tmpfs is charged to the memory limit and goes with every stop: the data is in the image's anonymous volume.
		expect(spec.HostConfig?.Tmpfs).toBeUndefined();
		expect(spec.HostConfig?.Mounts).toBeUndefined();
		expect(spec.HostConfig?.PortBindings).toEqual({'5432/tcp': [{HostIp: '127.0.0.1', HostPort: '5433'}]});
		expect(spec.HostConfig?.Memory).toBe(256 * 1024 * 1024);
		expect(spec.Cmd).toContain('fsync=off');
		expect(spec.Env).toEqual(expect.arrayContaining(['POSTGRES_PASSWORD=dbarena', 'POSTGRES_DB=testdb', 'POSTGRES_INITDB_ARGS=--no-sync']));
		expect(spec.Labels).toMatchObject({
			'dbarena.managed': 'true',
			'dbarena.database': 'postgres',
			'dbarena.version': '16',
			'dbarena.mode': 'fast',
			'dbarena.created_at': now.toISOString(),
		});
		expect(connectionFromLabels(spec.Labels!, '127.0.0.1', 5433)?.url).toBe('postgresql://postgres:dbarena@127.0.0.1:5433/testdb');
		expect(describeLabels(spec.Labels!)).toMatchObject({database: 'postgres', version: '16', mode: 'fast', containerPort: 5432});
	});

	it('persistent PostgreSQL 18 mounts a named volume where 18 declares it', () => {
		const plan = planCreate({database: 'postgres', version: '18', name: 'keep', mode: 'persistent'}, {}, now);
		const spec = containerSpec(plan, 5432);
		expect(spec.HostConfig?.Mounts).toEqual([{Type: 'volume', Source: 'keep-data', Target: '/var/lib/postgresql'}]);
		expect(spec.HostConfig?.Tmpfs).toBeUndefined();
		expect(spec.Labels?.['dbarena.volume']).toBe('keep-data');
	});

	it('durable mode keeps the engine defaults and gets more memory', () => {
		const plan = planCreate({database: 'mariadb', version: '10.11', mode: 'durable'}, {}, now);
		expect(plan.command).toEqual([]);
		expect(plan.memoryBytes).toBe(1024 * 1024 * 1024);
		expect(plan.volume).toMatch(/^dbarena-mariadb-10\.11-[\da-f]{4}-data$/);
	});

	it('binds to 127.0.0.1 unless asked, and takes overrides', () => {
		const plan = planCreate(
			{database: 'mysql', hostIp: '0.0.0.0', memory: 300 * 1024 * 1024, image: 'my/mysql:custom', env: {TZ: 'UTC'}, password: 'x'},
			{registry: 'r'},
			now,
		);
		expect(plan.hostIp).toBe('0.0.0.0');
		expect(plan.image).toBe('my/mysql:custom');
		expect(plan.memoryBytes).toBe(300 * 1024 * 1024);
		expect(plan.env).toMatchObject({TZ: 'UTC', MYSQL_ROOT_PASSWORD: 'x'});
		expect(plan.version.version).toBe('8.4');
	});

	it.each([
		[{database: 'postgres', name: 'bad name'}, 'Invalid container name'],
		[{database: 'postgres', port: 70_000}, 'Invalid port'],
		[{database: 'postgres', env: {POSTGRES_PASSWORD: 'x'}}, 'POSTGRES_PASSWORD is set by dbarena'],
		[{database: 'postgres', env: {'1BAD': 'x'}}, 'Invalid environment variable name'],
		[{database: 'postgres', env: {PGDATA: '/tmp/pgd'}, mode: 'persistent' as const}, 'PGDATA would move the data directory away'],
		[{database: 'sqlserver', env: {MSSQL_DATA_DIR: '/tmp/d'}}, 'MSSQL_DATA_DIR would move the data directory away'],
		[{database: 'postgres', memory: 1024}, 'at least 6 MB'],
		[{database: 'postgres', password: ''}, 'must not be empty'],
		[{database: 'sqlserver', password: 'weak'}, 'SQL Server needs a password'],
		[{database: 'cassandra'}, 'Unknown database'],
		[{database: 'postgres', version: '9.6'}, 'Unknown postgres version'],
	])('rejects %j before anything is created', (options, message) => {
		expect(() => planCreate(options, {}, now)).toThrow(UsageError);
		expect(() => planCreate(options, {}, now)).toThrow(message);
	});
});

describe('random passwords', () => {
	it("are 24 characters, differ per container, meet SQL Server's rule, and go into the labels", async () => {
		const {randomPassword} = await import('../../source/core/create/plan.js');
		const {sqlServerPasswordProblem} = await import('../../source/core/presets/sqlserver.js');
		const a = planCreate({database: 'sqlserver', randomPassword: true}, {}, now);
		const b = planCreate({database: 'postgres', randomPassword: true}, {}, now);
		expect(a.credentials.password).toHaveLength(24);
		expect(a.credentials.password).not.toBe(b.credentials.password);
		expect(sqlServerPasswordProblem(a.credentials.password)).toBeUndefined();
		expect(b.labels['dbarena.password']).toBe(b.credentials.password);
		expect(b.env['POSTGRES_PASSWORD']).toBe(b.credentials.password);
		expect(randomPassword(size => Buffer.alloc(size, 0))).toBe(`${'A'.repeat(20)}Aa1_`);
		expect(encodeURIComponent(b.credentials.password)).toBe(b.credentials.password);
	});

	it('cannot be combined with an explicit password', () => {
		expect(() => planCreate({database: 'postgres', randomPassword: true, password: 'x'}, {}, now)).toThrow('not both');
	});
});
