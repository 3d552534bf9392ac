import {mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {writeDotenv} from '../../source/cli/dotenv-file.js';
import type {Variables} from '../../source/core/connection-formats.js';
import {dotenvValue, fromBytes, toBytes, updateDotenv} from '../../source/core/dotenv.js';

const pg: Variables = [
	['DATABASE_URL', 'postgresql://postgres:dbarena@127.0.0.1:5433/testdb'],
	['PGHOST', '127.0.0.1'],
	['PGPORT', '5433'],
];

const update = (file: string, variables: Variables = pg) => updateDotenv(file, variables).text;

describe('updateDotenv: only our keys change, every other byte stays', () => {
	it('appends to a file that has none of them, after its last line', () => {
		const file = '# app settings\nAPP_ENV=dev\n\nSECRET="a b # not a comment"\n';
		expect(update(file)).toBe(`${file}DATABASE_URL=postgresql://postgres:dbarena@127.0.0.1:5433/testdb\nPGHOST=127.0.0.1\nPGPORT=5433\n`);
	});

	it('replaces values in place, keeping export, spacing around =, inline comments and the order', () => {
		const file = 'PGPORT=5432 # the old one\nAPP=1\nexport PGHOST = localhost\n  DATABASE_URL="postgres://old"  # was\n';
		expect(update(file)).toBe(
			'PGPORT=5433 # the old one\nAPP=1\nexport PGHOST = 127.0.0.1\n  DATABASE_URL=postgresql://postgres:dbarena@127.0.0.1:5433/testdb  # was\n',
		);
	});

	it('keeps CRLF line endings, and writes new lines with CRLF too', () => {
		const file = 'A=1\r\nPGHOST=old\r\n# c\r\n';
		expect(update(file)).toBe('A=1\r\nPGHOST=127.0.0.1\r\n# c\r\nDATABASE_URL=postgresql://postgres:dbarena@127.0.0.1:5433/testdb\r\nPGPORT=5433\r\n');
	});

	it('keeps a missing final newline when nothing is appended, and adds one only to append', () => {
		expect(update('X=1\nPGHOST=old\nPGPORT=1\nDATABASE_URL=x')).toBe(
			'X=1\nPGHOST=127.0.0.1\nPGPORT=5433\nDATABASE_URL=postgresql://postgres:dbarena@127.0.0.1:5433/testdb',
		);
		expect(update('X=1', [['PGHOST', 'h']])).toBe('X=1\nPGHOST=h\n');
	});

	it('takes a multi-line quoted value of another key as one value, whatever its lines look like', () => {
		const file = 'CERT="-----BEGIN\nPGHOST=not-a-key\n-----END"\nKEY=\'one\ntwo\'\n';
		expect(update(file, [['PGHOST', 'h']])).toBe(`${file}PGHOST=h\n`);
	});

	it('replaces a multi-line value of ours with one line', () => {
		expect(update('A=1\nPGHOST="x\ny"  # old\nB=2\n', [['PGHOST', 'h']])).toBe('A=1\nPGHOST=h  # old\nB=2\n');
	});

	it('replaces every copy of a key, so no stale one can win', () => {
		expect(update('PGHOST=a\nPGHOST=b\n', [['PGHOST', 'h']])).toBe('PGHOST=h\nPGHOST=h\n');
	});

	it('leaves similar names, commented-out assignments and junk alone', () => {
		const file = 'MY_PGHOST=x\n#PGHOST=y\n# PGHOST=z\nPGHOSTS=w\nnot an assignment\n=5\n';
		expect(update(file, [['PGHOST', 'h']])).toBe(`${file}PGHOST=h\n`);
	});

	it('keeps a byte-order mark and bytes that are not UTF-8', () => {
		const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('A=caf'), Buffer.from([0xe9, 0xff]), Buffer.from('\nPGHOST=old\n')]);
		const out = toBytes(update(fromBytes(bytes), [['PGHOST', 'h']]));
		expect(out).toEqual(Buffer.concat([bytes.subarray(0, bytes.length - 'old\n'.length), Buffer.from('h\n')]));
	});

	it('writes a value with UTF-8 as UTF-8', () => {
		expect(toBytes(update('', [['PGPASSWORD', 'пароль']]))).toEqual(Buffer.from("PGPASSWORD='пароль'\n", 'utf8'));
	});

	it('an empty file gets just our lines', () => {
		expect(update('')).toBe('DATABASE_URL=postgresql://postgres:dbarena@127.0.0.1:5433/testdb\nPGHOST=127.0.0.1\nPGPORT=5433\n');
	});

	it('says what it replaced and what it added', () => {
		expect(updateDotenv('PGPORT=1\n', pg)).toMatchObject({replaced: ['PGPORT'], added: ['DATABASE_URL', 'PGHOST']});
	});
});

describe('dotenvValue', () => {
	it.each([
		['dbarena', 'dbarena'],
		['postgresql://postgres:dbarena@127.0.0.1:5432/testdb', 'postgresql://postgres:dbarena@127.0.0.1:5432/testdb'],
		// & and ? would background and glob in `. ./.env`
		['sqlserver://sa:x@h:1?database=d&encrypt=true', "'sqlserver://sa:x@h:1?database=d&encrypt=true'"],
		['two words', "'two words'"],
		['$HOME', "'$HOME'"],
		['', ''],
		["it's", `"it's"`],
		['a"b\'c$d', `"a\\"b'c\\$d"`],
		['line\nbreak', '"line\\nbreak"'],
	])('%j is written as %s', (value, written) => {
		expect(dotenvValue(value)).toBe(written);
	});
});

describe('writeDotenv', () => {
	const made: string[] = [];
	const directory = () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'dbarena-dotenv-'));
		made.push(dir);
		return dir;
	};
	afterEach(() => {
		for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true});
	});

	it('creates a new file readable by its owner only (it holds a password)', () => {
		const file = path.join(directory(), '.env');
		expect(writeDotenv(file, pg)).toEqual({replaced: [], added: ['DATABASE_URL', 'PGHOST', 'PGPORT']});
		expect(readFileSync(file, 'utf8')).toBe('DATABASE_URL=postgresql://postgres:dbarena@127.0.0.1:5433/testdb\nPGHOST=127.0.0.1\nPGPORT=5433\n');
		expect(statSync(file).mode & 0o777).toBe(0o600);
	});

	it("keeps an existing file's permissions, and writes through a symlink to its target", () => {
		const dir = directory();
		const target = path.join(dir, 'real.env');
		writeFileSync(target, 'A=1\r\n', {mode: 0o640});
		const link = path.join(dir, '.env');
		symlinkSync(target, link);
		writeDotenv(link, [['PGHOST', 'h']]);
		expect(readFileSync(target, 'latin1')).toBe('A=1\r\nPGHOST=h\r\n');
		expect(statSync(target).mode & 0o777).toBe(0o640);
		expect(readFileSync(link, 'latin1')).toBe('A=1\r\nPGHOST=h\r\n');
	});
});
