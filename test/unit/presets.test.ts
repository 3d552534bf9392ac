import {describe, expect, it} from 'vitest';
import {presetList, presets, resolvePreset, resolveVersion} from '../../source/core/presets/catalog.js';
import {sqlServerPasswordProblem} from '../../source/core/presets/sqlserver.js';
import {UnknownDatabaseError, UnknownVersionError} from '../../source/core/errors.js';

describe('engine presets', () => {
	it('covers the supported versions with image tags that exist in 2026', () => {
		const images = Object.fromEntries(presetList.map(preset => [preset.kind, preset.versions.map(v => v.image)]));
		expect(images).toEqual({
			postgres: ['postgres:14-alpine', 'postgres:15-alpine', 'postgres:16-alpine', 'postgres:17-alpine', 'postgres:18-alpine'],
			// No -debian variants: they never existed for 8.4 and 9.x.
			mysql: ['mysql:8.0', 'mysql:8.4', 'mysql:9.7'],
			mariadb: ['mariadb:10.11', 'mariadb:11.4', 'mariadb:11.8'],
			sqlserver: ['mcr.microsoft.com/mssql/server:2019-latest', 'mcr.microsoft.com/mssql/server:2022-latest', 'mcr.microsoft.com/mssql/server:2025-latest'],
		});
	});

	it.each(presetList.flatMap(preset => preset.versions.map(version => [preset.kind, version.version] as const)))(
		'%s %s resolves to an image, a port, credentials and a URL',
		(kind, version) => {
			const preset = presets[kind];
			expect(resolveVersion(preset, version).version).toBe(version);
			const env = preset.environment(preset.defaultCredentials, 'fast', version);
			expect(Object.values(env)).toContain(preset.defaultCredentials.password);
			expect(preset.url({...preset.defaultCredentials, host: '127.0.0.1', port: 1234})).toContain('127.0.0.1:1234');
			expect(preset.passwordProblem?.(preset.defaultCredentials.password)).toBeUndefined();
		},
	);

	it('has a default version that is one of its versions', () => {
		for (const preset of presetList) expect(preset.versions.map(v => v.version)).toContain(preset.defaultVersion);
	});

	it('resolves the aliases users type', () => {
		expect(resolvePreset('pg').kind).toBe('postgres');
		expect(resolvePreset('PostgreSQL').kind).toBe('postgres');
		expect(resolvePreset('mssql').kind).toBe('sqlserver');
		expect(resolvePreset('maria').kind).toBe('mariadb');
		expect(resolveVersion(presets.postgres, '16-alpine').version).toBe('16');
		expect(resolveVersion(presets.sqlserver, '2022-latest').version).toBe('2022');
		expect(resolveVersion(presets.postgres).version).toBe(presets.postgres.defaultVersion);
	});

	it('lists what is supported when the database or version is unknown', () => {
		expect(() => resolvePreset('oracle')).toThrow(UnknownDatabaseError);
		expect(() => resolvePreset('oracle')).toThrow('Supported: postgres, mysql, mariadb, sqlserver');
		expect(() => resolveVersion(presets.postgres, '13')).toThrow(UnknownVersionError);
		expect(() => resolveVersion(presets.postgres, '13')).toThrow('Supported: 14, 15, 16, 17, 18');
		expect(() => resolveVersion(presets.mysql, '5.7')).toThrow('Supported: 8.0, 8.4, 9.7');
	});

	it('keeps PostgreSQL 18 data where its image declares the volume', () => {
		expect(presets.postgres.dataMount('17')).toBe('/var/lib/postgresql/data');
		expect(presets.postgres.dataMount('18')).toBe('/var/lib/postgresql');
	});

	it('turns durability off only outside durable mode', () => {
		expect(presets.postgres.command('fast', '16')).toContain('fsync=off');
		expect(presets.postgres.command('durable', '16')).not.toContain('fsync=off');
		expect(presets.postgres.environment(presets.postgres.defaultCredentials, 'fast', '16')['POSTGRES_INITDB_ARGS']).toBe('--no-sync');
		expect(presets.mysql.command('fast', '8.4')).toContain('--skip-log-bin');
		expect(presets.mariadb.command('durable', '11.8')).toEqual([]);
	});

	it('fits real MySQL with performance_schema into 512 MiB in fast mode, and sends it no MariaDB-only flag', () => {
		// Measured on MySQL 9.7: its defaults plus a 256 MB buffer pool idle at about 490 MiB (RSS).
		const fast = presets.mysql.command('fast', '9.7');
		expect(fast).toEqual(
			expect.arrayContaining([
				'--innodb-buffer-pool-size=128M',
				'--innodb-log-buffer-size=16M',
				'--performance-schema-digests-size=1000',
				'--performance-schema-events-statements-history-long-size=1000',
			]),
		);
		expect(fast.some(flag => flag.includes('performance-schema=') || flag === '--skip-performance-schema')).toBe(false);
		// MySQL 9 has no innodb_log_file_size (it logs "unknown variable" at every start).
		expect(fast.some(flag => flag.includes('innodb-log-file-size'))).toBe(false);
		expect(presets.mysql.command('persistent', '8.4')).toEqual(fast);
		expect(presets.mysql.command('durable', '9.7')).toEqual([]);
		// MariaDB keeps its own sizes.
		expect(presets.mariadb.command('fast', '11.8')).toContain('--innodb-buffer-pool-size=256M');
	});

	it('limits memory by default: 256 MiB for PostgreSQL, 512 MiB for MySQL and MariaDB, 2 GiB for SQL Server', () => {
		expect(presets.postgres.memoryBytes.fast).toBe(256 * 1024 * 1024);
		expect(presets.mysql.memoryBytes.fast).toBe(512 * 1024 * 1024);
		expect(presets.mariadb.memoryBytes.persistent).toBe(512 * 1024 * 1024);
		expect(presets.sqlserver.memoryBytes.fast).toBe(2 * 1024 * 1024 * 1024);
	});

	it('maps a non-root MySQL user onto the image variables', () => {
		expect(presets.mysql.environment({user: 'root', password: 'p', database: 'd'}, 'fast', '8.4')).toEqual({MYSQL_ROOT_PASSWORD: 'p', MYSQL_DATABASE: 'd'});
		expect(presets.mariadb.environment({user: 'app', password: 'p', database: 'd'}, 'fast', '11.8')).toEqual({
			MARIADB_ROOT_PASSWORD: 'p',
			MARIADB_USER: 'app',
			MARIADB_PASSWORD: 'p',
			MARIADB_DATABASE: 'd',
		});
	});

	it('percent-encodes credentials in URLs', () => {
		expect(presets.postgres.url({user: 'a@b', password: 'p:w/d', database: 'x y', host: 'h', port: 1})).toBe('postgresql://a%40b:p%3Aw%2Fd@h:1/x%20y');
	});
});

describe('SQL Server password rule', () => {
	it.each([
		['short1!', true],
		['alllowercase', true],
		['lowercase123', true], // two classes only
		['Lowercase123', false],
		['Dbarena_Pass123!', false],
		['UPPER_lower', false],
	])('%s -> rejected: %s', (password, rejected) => {
		expect(sqlServerPasswordProblem(password) !== undefined).toBe(rejected);
	});

	it('builds the database creation the image cannot do itself, quoting names', () => {
		expect(presets.sqlserver.afterReady?.({user: 'sa', password: 'x', database: "it's]db"}, {cdc: false})?.statements).toEqual([
			"IF DB_ID(N'it''s]db') IS NULL CREATE DATABASE [it's]]db]",
		]);
	});
});

describe('what each PostgreSQL mode survives', () => {
	const setting = (flags: string[], name: string) => flags[flags.indexOf(`${name}=off`)] ?? flags.find(flag => flag.startsWith(`${name}=`));
	it('commits synchronously wherever data must outlive the server process: persistent, and every --cdc database', () => {
		expect(setting(presets.postgres.command('fast', '16'), 'synchronous_commit')).toBe('synchronous_commit=off');
		expect(setting(presets.postgres.command('persistent', '16'), 'synchronous_commit')).toBeUndefined();
		expect(setting(presets.postgres.command('durable', '16'), 'synchronous_commit')).toBeUndefined();
		const cdcFast = presets.postgres.cdc!.command(presets.postgres.command('fast', '16'), '16');
		expect(setting(cdcFast, 'synchronous_commit')).toBeUndefined();
		expect(cdcFast).toContain('wal_level=logical');
		// fsync may stay off: only a host crash, not a killed server, can lose data then.
		expect(cdcFast).toContain('fsync=off');
	});

	it('knows where the data directory is, below the volume for 18', () => {
		expect(presets.postgres.dataDir('18')).toBe('/var/lib/postgresql/18/docker');
		expect(presets.postgres.dataMount('18')).toBe('/var/lib/postgresql');
		expect(presets.postgres.dataDir('16')).toBe(presets.postgres.dataMount('16'));
	});
});
