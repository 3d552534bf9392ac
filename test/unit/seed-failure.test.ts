import {describe, expect, it} from 'vitest';
import {exitCodeFor} from '../../source/cli/exit-codes.js';
import {findInitFailure, InitScriptError} from '../../source/core/seed/failure.js';

// Log lines as the fixture entrypoints and the official images print them.
const officialPg = (file: string) => `/usr/local/bin/docker-entrypoint.sh: running /docker-entrypoint-initdb.d/${file}`;
const officialMaria = (file: string) =>
	`2026-11-26 10:00:00+00:00 [Note] [Entrypoint]: /usr/local/bin/docker-entrypoint.sh: running /docker-entrypoint-initdb.d/${file}`;

describe('finding the failed init script in the log', () => {
	it('psql running a file: the file and line psql names, the server message without its padding', () => {
		const lines = [
			'running /docker-entrypoint-initdb.d/001-schema.sql',
			'CREATE TABLE',
			'running /docker-entrypoint-initdb.d/002-data.sql',
			'INSERT 0 1',
			'psql:/docker-entrypoint-initdb.d/002-data.sql:3: ERROR:  relation "nope" does not exist',
			'LINE 1: INSERT INTO nope VALUES (2);',
			'2026-11-26 10:00:00.000 UTC [48] ERROR:  relation "nope" does not exist at character 13',
		];
		expect(findInitFailure(lines)).toEqual({file: '002-data.sql', line: 3, message: 'ERROR: relation "nope" does not exist'});
	});

	it('the official image prefixes its "running" line with its own path', () => {
		const lines = [officialPg('001-a.sql'), 'psql:/docker-entrypoint-initdb.d/001-a.sql:12: ERROR:  syntax error at or near "CREAT"'];
		expect(findInitFailure(lines)).toEqual({file: '001-a.sql', line: 12, message: 'ERROR: syntax error at or near "CREAT"'});
	});

	it('psql fed by a shell script (a heredoc): the script, and the line of the SQL it sent', () => {
		const lines = [officialPg('003-load.sh'), 'psql:<stdin>:2: ERROR:  duplicate key value violates unique constraint "orders_pkey"'];
		expect(findInitFailure(lines)).toEqual({
			file: '003-load.sh',
			line: 2,
			lineOfInput: true,
			message: 'ERROR: duplicate key value violates unique constraint "orders_pkey"',
		});
	});

	it('the MariaDB/MySQL client: the file from the "running" line, its line and the error', () => {
		const lines = [officialMaria('001-schema.sql'), officialMaria('002-data.sql'), "ERROR 1146 (42S02) at line 3: Table 'testdb.nope' doesn't exist"];
		expect(findInitFailure(lines)).toEqual({file: '002-data.sql', line: 3, message: "ERROR 1146 (42S02): Table 'testdb.nope' doesn't exist"});
		const fromScript = ['running /docker-entrypoint-initdb.d/003-x.sh', 'ERROR 1064 (42000) at line 1: You have an error in your SQL syntax'];
		expect(findInitFailure(fromScript)).toMatchObject({file: '003-x.sh', line: 1, lineOfInput: true});
	});

	it('the client\'s error logged before the "running" line it follows: stdout and stderr reach the log apart', () => {
		// The engine copies the two streams to the log separately; under load the client's error on
		// stderr can land before the entrypoint's "running" line on stdout (seen in CI on MariaDB).
		const lines = [
			'running /docker-entrypoint-initdb.d/001-schema.sql',
			"ERROR 1064 (42000) at line 3: You have an error in your SQL syntax; check the manual near 'SELEC nope' at line 1",
			'running /docker-entrypoint-initdb.d/002-bad.sql',
		];
		expect(findInitFailure(lines)).toEqual({
			file: '002-bad.sql',
			line: 3,
			message: "ERROR 1064 (42000): You have an error in your SQL syntax; check the manual near 'SELEC nope' at line 1",
		});
	});

	it('a shell script: the file and line bash names', () => {
		const lines = ['running /docker-entrypoint-initdb.d/003-load.sh', '/docker-entrypoint-initdb.d/003-load.sh: line 4: nosuch: command not found'];
		expect(findInitFailure(lines)).toEqual({file: '003-load.sh', line: 4, message: 'nosuch: command not found'});
	});

	it('pg_restore of a dump: the dump wrapper and the server message', () => {
		const lines = [
			officialPg('002-orders.dump.sh'),
			'pg_restore: error: could not execute query: ERROR:  relation "orders" already exists',
			'Command was: CREATE TABLE public.orders (',
		];
		expect(findInitFailure(lines)).toEqual({file: '002-orders.dump.sh', message: 'could not execute query: ERROR: relation "orders" already exists'});
	});

	it('a script that fails without a word, and a start that failed before any script', () => {
		expect(findInitFailure(['running /docker-entrypoint-initdb.d/001-x.sh'])).toEqual({file: '001-x.sh'});
		expect(findInitFailure(['initdb: error: could not create directory', 'ERROR:  something'])).toBeUndefined();
		// An error line of an earlier script that went on (the server's own log) is not the failure.
		expect(findInitFailure(['running /docker-entrypoint-initdb.d/001-a.sql', 'ERROR:  x', 'running /docker-entrypoint-initdb.d/002-b.sh'])).toEqual({
			file: '002-b.sh',
		});
	});
});

describe('the error a user sees', () => {
	it('names the file as the user gave it, the line and the message; exit 1 with code init_failed', () => {
		const error = new InitScriptError(
			{file: '002-data.sql', line: 3, message: 'ERROR: relation "nope" does not exist'},
			{origins: {'002-data.sql': 'db/seed/data.sql'}},
		);
		expect(error.message).toBe('Init script db/seed/data.sql failed at line 3: ERROR: relation "nope" does not exist');
		expect(error.code).toBe('init_failed');
		expect(exitCodeFor(error)).toBe(1);
	});

	it('without a message it says how the script ended and shows the last log lines; without origins the file as the user knows it', () => {
		const error = new InitScriptError({file: '003-load.sh'}, {origins: {}}, {exitCode: 1, logTail: ['running /docker-entrypoint-initdb.d/003-load.sh']});
		expect(error.message.split('\n')[0]).toBe('Init script load.sh failed: it exited with code 1 without an error message');
		expect(error.message).toContain('Last log lines:\n  running /docker-entrypoint-initdb.d/003-load.sh');
	});
});
