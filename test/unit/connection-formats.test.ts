import {describe, expect, it} from 'vitest';
import {cdcConnectionInfo, connectionInfo} from '../../source/core/connection.js';
import {connectionString, connectionVariables, dotnetConnectionString, jdbcUrl, withPrefix} from '../../source/core/connection-formats.js';
import {presets} from '../../source/core/presets/catalog.js';
import type {DatabaseKind} from '../../source/core/types.js';

const login = (database: DatabaseKind, password = 'dbarena', hostIp = '127.0.0.1') =>
	connectionInfo(database, {...presets[database].defaultCredentials, password}, hostIp, 5440);

describe('connectionVariables', () => {
	it('PostgreSQL: DATABASE_URL and the five libpq variables', () => {
		expect(connectionVariables('postgres', login('postgres'))).toEqual([
			['DATABASE_URL', 'postgresql://postgres:dbarena@127.0.0.1:5440/testdb'],
			['PGHOST', '127.0.0.1'],
			['PGPORT', '5440'],
			['PGUSER', 'postgres'],
			['PGPASSWORD', 'dbarena'],
			['PGDATABASE', 'testdb'],
		]);
	});

	it.each(['mysql', 'mariadb'] as const)('%s: only what the mysql client reads (it has no user or database variable)', database => {
		expect(connectionVariables(database, login(database))).toEqual([
			['DATABASE_URL', 'mysql://root:dbarena@127.0.0.1:5440/testdb'],
			['MYSQL_HOST', '127.0.0.1'],
			['MYSQL_TCP_PORT', '5440'],
			['MYSQL_PWD', 'dbarena'],
		]);
	});

	it("SQL Server: sqlcmd's variables, the server as host,port", () => {
		expect(connectionVariables('sqlserver', login('sqlserver', 'Dbarena_Pass123!')).slice(1)).toEqual([
			['SQLCMDSERVER', '127.0.0.1,5440'],
			['SQLCMDUSER', 'sa'],
			['SQLCMDPASSWORD', 'Dbarena_Pass123!'],
			['SQLCMDDBNAME', 'testdb'],
		]);
	});

	it('with a prefix, for several databases in one file', () => {
		const variables = connectionVariables('postgres', login('postgres'));
		expect(withPrefix(variables, 'ORDERS').map(([name]) => name)).toEqual([
			'ORDERS_DATABASE_URL',
			'ORDERS_PGHOST',
			'ORDERS_PGPORT',
			'ORDERS_PGUSER',
			'ORDERS_PGPASSWORD',
			'ORDERS_PGDATABASE',
		]);
		expect(withPrefix(variables, 'orders_')[0]![0]).toBe('orders_DATABASE_URL');
		expect(withPrefix(variables, undefined)).toBe(variables);
	});
});

describe('connection strings', () => {
	it('JDBC, for each database, with the password encoded', () => {
		expect(jdbcUrl('postgres', login('postgres', 'p&w=1'))).toBe('jdbc:postgresql://127.0.0.1:5440/testdb?user=postgres&password=p%26w%3D1');
		expect(jdbcUrl('mysql', login('mysql'))).toBe('jdbc:mysql://127.0.0.1:5440/testdb?user=root&password=dbarena');
		expect(jdbcUrl('mariadb', login('mariadb'))).toBe('jdbc:mariadb://127.0.0.1:5440/testdb?user=root&password=dbarena');
		expect(jdbcUrl('sqlserver', login('sqlserver', 'Pa;ss}1!'))).toBe(
			'jdbc:sqlserver://127.0.0.1:5440;databaseName=testdb;user=sa;password={Pa;ss}}1!};encrypt=true;trustServerCertificate=true',
		);
		expect(jdbcUrl('postgres', login('postgres', 'dbarena', '::1'))).toBe('jdbc:postgresql://[::1]:5440/testdb?user=postgres&password=dbarena');
	});

	it('.NET, quoting a value with ; or a quote', () => {
		expect(dotnetConnectionString('postgres', login('postgres'))).toBe('Host=127.0.0.1;Port=5440;Database=testdb;Username=postgres;Password=dbarena');
		expect(dotnetConnectionString('mariadb', login('mariadb', 'a;"b'))).toBe('Server=127.0.0.1;Port=5440;Database=testdb;User ID=root;Password="a;""b"');
		expect(dotnetConnectionString('sqlserver', login('sqlserver', 'Dbarena_Pass123!'))).toBe(
			'Server=127.0.0.1,5440;Database=testdb;User ID=sa;Password=Dbarena_Pass123!;Encrypt=True;TrustServerCertificate=True',
		);
	});

	it('url is the URL every other output prints', () => {
		const info = login('postgres');
		expect(connectionString('url', 'postgres', info)).toBe(info.url);
	});
});

describe('cdcConnectionInfo', () => {
	it("is the connector's login on the same database and address", () => {
		const connection = login('postgres', 's3cret', '0.0.0.0');
		const container = {database: 'postgres' as const, hostIp: '0.0.0.0', connection, cdc: {user: 'cdc', password: 's3cret', publication: 'dbarena_cdc'}};
		expect(cdcConnectionInfo(container)).toEqual({
			user: 'cdc',
			password: 's3cret',
			database: 'testdb',
			host: '127.0.0.1',
			port: 5440,
			url: 'postgresql://cdc:s3cret@127.0.0.1:5440/testdb',
		});
		expect(cdcConnectionInfo({...container, cdc: undefined})).toBeUndefined();
	});
});
