import {describe, expect, it} from 'vitest';
import {keptRoles} from '../../source/core/seed/container.js';

describe('the roles reset --data kept while running the init files again', () => {
	it('reads them from the "kept:" lines of PostgreSQL, MariaDB and MySQL, once each', () => {
		const stderr = [
			'running /docker-entrypoint-initdb.d/01.sql',
			'kept: psql:/docker-entrypoint-initdb.d/01.sql:1: ERROR:  role "app" already exists',
			'kept: psql:/docker-entrypoint-initdb.d/01.sql:2: ERROR:  database "other" already exists',
			"kept: ERROR 1396 (HY000) at line 1: Operation CREATE USER failed for 'app'@'%'",
			"kept: ERROR 1396 (HY000) at line 2: Operation CREATE USER failed for 'reader'@'%' (User account already exists)",
			"kept: ERROR 1396 (HY000) at line 3: Operation CREATE ROLE failed for 'a'@'localhost','b'@'%'",
			'kept: psql:/docker-entrypoint-initdb.d/02.sql:1: ERROR:  role "app" already exists',
			// Not kept lines: an error the rerun failed on names no role.
			'psql:/docker-entrypoint-initdb.d/03.sql:1: ERROR:  role "ghost" already exists',
		].join('\n');
		expect(keptRoles(stderr)).toEqual(['app', 'app@%', 'reader@%', 'a@localhost', 'b@%']);
	});

	it('is empty without kept lines', () => {
		expect(keptRoles('running /docker-entrypoint-initdb.d/01.sql\n')).toEqual([]);
	});
});
