import {describe, expect, it} from 'vitest';
import {containerSpec} from '../../source/core/create/container-spec.js';
import {planCreate} from '../../source/core/create/plan.js';
import {presets} from '../../source/core/presets/catalog.js';
import {cdcFromLabels} from '../../source/core/labels.js';

const now = new Date('2026-11-26T10:00:00Z');

describe('--cdc settings per engine', () => {
	it('PostgreSQL: logical WAL and room for slots, fast settings kept', () => {
		const plan = planCreate({database: 'postgres', version: '16', cdc: true}, {}, now);
		expect(plan.command).toEqual(expect.arrayContaining(['wal_level=logical', 'max_replication_slots=10', 'max_wal_senders=10', 'fsync=off']));
		expect(plan.labels).toMatchObject({'dbarena.cdc': 'true', 'dbarena.cdc_user': 'cdc'});
		expect(cdcFromLabels(plan.labels)).toEqual({user: 'cdc', password: 'dbarena', publication: 'dbarena_cdc'});
		const setup = presets.postgres.afterReady!({user: 'postgres', password: "it's", database: 'testdb'}, {cdc: true})!;
		// All or nothing, so "the role exists" (the done check) means every grant was made too.
		expect(setup.statements[0]).toBe('BEGIN');
		expect(setup.statements[1]).toContain("CREATE ROLE cdc LOGIN REPLICATION PASSWORD 'it''s'");
		expect(setup.statements.at(-2)).toContain('CREATE PUBLICATION dbarena_cdc FOR ALL TABLES');
		expect(setup.statements.at(-1)).toBe('COMMIT');
		expect(setup.done).toMatch(/^SELECT EXISTS .*pg_roles.*pg_publication.* AS done$/);
		expect(presets.postgres.afterReady!({user: 'postgres', password: 'x', database: 'testdb'}, {cdc: false})).toBeUndefined();
	});

	it('MySQL: binary log back on, row based, full images, a server id and GTIDs that are enforced', () => {
		const fast = planCreate({database: 'mysql', version: '8.4', cdc: true}, {}, now).command;
		expect(fast).not.toContain('--skip-log-bin');
		expect(fast).toEqual(
			expect.arrayContaining([
				'--log-bin=binlog',
				'--loose-binlog-format=ROW',
				'--binlog-row-image=FULL',
				'--server-id=1',
				'--gtid-mode=ON',
				'--enforce-gtid-consistency=ON',
				'--sync-binlog=0',
				'--innodb-flush-log-at-trx-commit=2',
			]),
		);
		// Real flags, not --loose-: a server that did not know them must refuse to start rather than
		// run without the GTIDs a connector was promised.
		expect(fast.filter(flag => flag.includes('gtid'))).toEqual(['--gtid-mode=ON', '--enforce-gtid-consistency=ON']);
		const durable = planCreate({database: 'mysql', mode: 'durable', cdc: true}, {}, now).command;
		expect(durable).not.toContain('--sync-binlog=0');
		const setup = presets.mysql.afterReady!({user: 'root', password: "a'b\\c", database: 'testdb'}, {cdc: true})!;
		// Out of the binary log first: a connector must not read dbarena's DDL or the password.
		expect(setup.statements.slice(0, 2)).toEqual(['SET SESSION sql_log_bin = 0', "CREATE USER IF NOT EXISTS 'cdc'@'%' IDENTIFIED BY 'a\\'b\\\\c'"]);
		expect(setup.done).toMatch(/FROM mysql\.user WHERE User = 'cdc'/);
	});

	it('MariaDB: the same without GTID flags (always on there)', () => {
		const command = planCreate({database: 'mariadb', version: '10.11', cdc: true}, {}, now).command;
		expect(command).toContain('--log-bin=binlog');
		expect(command.some(flag => flag.includes('gtid'))).toBe(false);
	});

	it('SQL Server: the Agent on, and CDC enabled on the database after start', () => {
		const plan = planCreate({database: 'sqlserver', version: '2022', cdc: true}, {}, now);
		expect(containerSpec(plan, 1433).Env).toContain('MSSQL_AGENT_ENABLED=true');
		const setup = presets.sqlserver.afterReady!({user: 'sa', password: 'x', database: 'testdb'}, {cdc: true});
		expect(setup?.statements).toEqual([
			"IF DB_ID(N'testdb') IS NULL CREATE DATABASE [testdb]",
			"USE [testdb]; IF (SELECT is_cdc_enabled FROM sys.databases WHERE name = N'testdb') = 0 EXEC sys.sp_cdc_enable_db",
		]);
		expect(planCreate({database: 'sqlserver'}, {}, now).env['MSSQL_AGENT_ENABLED']).toBeUndefined();
	});

	it('makes a different template key than the same settings without --cdc', async () => {
		const {templateKey} = await import('../../source/core/templates.js');
		expect(templateKey(planCreate({database: 'postgres', version: '16', cdc: true}, {}, now), 'i')).not.toBe(
			templateKey(planCreate({database: 'postgres', version: '16'}, {}, now), 'i'),
		);
	});
});
