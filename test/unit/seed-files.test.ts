import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {afterAll, describe, expect, it} from 'vitest';
import {planCreate} from '../../source/core/create/plan.js';
import {DbarenaError} from '../../source/core/errors.js';
import {presets} from '../../source/core/presets/catalog.js';
import {readSeed, seedFileNames, seedFromPayload, seedPayload, type Seed} from '../../source/core/seed/files.js';
import {templateKey} from '../../source/core/templates.js';

const root = mkdtempSync(path.join(tmpdir(), 'dbarena-seed-unit-'));
afterAll(() => {
	rmSync(root, {recursive: true, force: true});
});

let folders = 0;
/** A fresh folder with these files (a name ending in "/" is a sub-folder). */
function folder(files: Record<string, string | Buffer>): string {
	const dir = path.join(root, `f${++folders}`);
	mkdirSync(dir);
	for (const [name, content] of Object.entries(files)) {
		if (name.endsWith('/')) mkdirSync(path.join(dir, name));
		else writeFileSync(path.join(dir, name), content);
	}
	return dir;
}

const dump = Buffer.concat([Buffer.from('PGDMP'), Buffer.from([1, 14, 0, 4, 8, 1, 1]), Buffer.from('rest of a custom-format archive')]);

function usageError(read: () => unknown): DbarenaError {
	try {
		read();
	} catch (error) {
		expect(error).toBeInstanceOf(DbarenaError);
		return error as DbarenaError;
	}
	throw new Error('expected an error');
}

const names = (seed: Seed) => seed.entries.map(entry => entry.name);

describe('reading init paths into a seed', () => {
	it('keeps the order given, a folder in lexical (byte) order, and numbers the files so the entrypoint runs them in that order', () => {
		const dir = folder({'b.sql': 'SELECT 2;', '10-x.sql': 'SELECT 10;', '2-y.sh': 'true', 'Z.sql': 'SELECT 26;', '.hidden.sql': 'x', 'sub/': ''});
		const first = folder({'first.sql': 'SELECT 1;'});
		const seed = readSeed([path.join(first, 'first.sql'), dir], presets.postgres);
		// "10-x" before "2-y" and "Z" before "b": the C locale's glob, not a natural sort; hidden files and sub-folders skipped, as the glob does.
		expect(names(seed)).toEqual(['001-first.sql', '002-10-x.sql', '003-2-y.sh', '004-Z.sql', '005-b.sql']);
		expect(seed.entries[1]!.content.toString()).toBe('SELECT 10;');
		expect(seed.origins['002-10-x.sql']).toBe(path.join(dir, '10-x.sql'));
	});

	it('copies the other files of a folder under their own names, where a script that loads them looks, without running or listing them', () => {
		const dir = folder({'load.sh': 'psql -c "\\copy t FROM /docker-entrypoint-initdb.d/orders.csv"', 'orders.csv': '1,a\n', 'README.md': 'notes'});
		const seed = readSeed([dir], presets.postgres);
		expect(names(seed)).toEqual(['README.md', '001-load.sh', 'orders.csv']);
		expect(seed.entries.find(entry => entry.name === 'orders.csv')?.content.toString()).toBe('1,a\n');
		expect(seedFileNames(names(seed), seed.origins)).toEqual(['load.sh']);
		const twice = usageError(() => readSeed([dir, folder({'x.sql': 'SELECT 1;', 'orders.csv': '2,b\n'})], presets.postgres));
		expect(twice.message).toMatch(/Two init folders hold a file named "orders\.csv"/);
	});

	it('reads relative paths from the given directory and names them as given in messages', () => {
		const dir = folder({'schema.sql': 'CREATE TABLE t (n int);'});
		const seed = readSeed([path.basename(dir)], presets.postgres, root);
		expect(seed.origins['001-schema.sql']).toBe(path.join(path.basename(dir), 'schema.sql'));
	});

	it('decompresses .sql.gz on the host, so psql names the file in its errors and any image can run it', () => {
		const dir = folder({'data.sql.gz': gzipSync('INSERT INTO t VALUES (1);\n')});
		const seed = readSeed([dir], presets.mariadb);
		expect(names(seed)).toEqual(['001-data.sql']);
		expect(seed.entries[0]!.content.toString()).toBe('INSERT INTO t VALUES (1);\n');
		expect(seedFileNames(names(seed), seed.origins)).toEqual(['data.sql.gz']);
		expect(usageError(() => readSeed([folder({'broken.sql.gz': 'not gzip'})], presets.postgres)).code).toBe('invalid_init');
	});

	it('knows a PostgreSQL custom-format dump by its first bytes and restores it in its place with pg_restore', () => {
		const dir = folder({'1.sql': 'SELECT 1;', '2-orders.dump': dump, '3-other.backup': dump});
		const seed = readSeed([dir], presets.postgres);
		expect(names(seed)).toEqual(['001-1.sql', '002-2-orders.dump', '002-2-orders.dump.sh', '003-3-other.backup.dump', '003-3-other.backup.dump.sh']);
		const wrapper = seed.entries[2]!.content.toString();
		expect(wrapper).toContain('pg_restore --exit-on-error --no-owner --no-privileges');
		expect(wrapper).toContain("'/docker-entrypoint-initdb.d/002-2-orders.dump'");
		expect(seed.entries[1]!.content.equals(dump)).toBe(true);
		// The dump itself is neither .sql nor .sh: the entrypoint passes it over and runs the wrapper.
		expect(seedFileNames(names(seed), seed.origins)).toEqual(['1.sql', '2-orders.dump', '3-other.backup']);
		expect(seedFileNames(names(seed))).toEqual(['1.sql', '2-orders.dump', '3-other.backup.dump']);
	});

	it('refuses a .dump that is not a custom-format dump, and a PostgreSQL dump for MariaDB', () => {
		const plain = path.join(folder({'plain.dump': 'CREATE TABLE t (n int);'}), 'plain.dump');
		const error = usageError(() => readSeed([plain], presets.postgres));
		expect(error.code).toBe('invalid_init');
		expect(error.message).toMatch(/does not start like a PostgreSQL custom-format dump.*name a plain SQL dump \.sql/);
		const forMariadb = usageError(() => readSeed([path.join(folder({'x.dump': dump}), 'x.dump')], presets.mariadb));
		expect(forMariadb.code).toBe('invalid_init');
		expect(forMariadb.message).toMatch(/is a PostgreSQL dump; it cannot seed MariaDB/);
	});

	it('runs an executable .sh (mode 755) and sources any other (644), as the images decide by the mode', () => {
		const dir = folder({'a.sh': 'true', 'b.sh': 'true', 'c.sql': 'SELECT 1;'});
		chmodSync(path.join(dir, 'a.sh'), 0o755);
		chmodSync(path.join(dir, 'c.sql'), 0o755);
		expect(readSeed([dir], presets.postgres).entries.map(entry => entry.mode)).toEqual([0o755, 0o644, 0o644]);
	});

	it.each([
		['a missing path', () => [path.join(root, 'nope.sql')], /Init path ".*nope\.sql" does not exist/],
		['an empty path', () => [''], /empty/],
		['a file of another kind', () => [path.join(folder({'notes.txt': 'x'}), 'notes.txt')], /is not \.sql, \.sql\.gz, \.sh or a PostgreSQL custom-format dump/],
		['a folder with nothing to run', () => [folder({'README.md': 'x', 'sub/': ''})], /holds no \.sql, \.sql\.gz or \.sh file and no PostgreSQL dump/],
		[
			'a compression Node does not read',
			() => [folder({'a.sql': 'SELECT 1;', 'b.sql.xz': 'x'})],
			/"[^"]*b\.sql\.xz" is compressed in a way dbarena does not read/,
		],
		['neither a file nor a folder', () => ['/dev/null'], /neither a file nor a folder/],
		['a name too long for the file system', () => [`${'x'.repeat(300)}.sql`], /Cannot read init path "x+\.sql": ENAMETOOLONG/],
	])('refuses %s with a usage error naming it', (_, paths, message) => {
		const error = usageError(() => readSeed(paths(), presets.postgres));
		expect(error.code).toBe('invalid_init');
		expect(error.kind).toBe('usage');
		expect(error.message).toMatch(message);
	});

	it('is refused for SQL Server, whose image runs no init folder', () => {
		const dir = folder({'a.sql': 'SELECT 1;'});
		expect(usageError(() => planCreate({database: 'sqlserver', init: [dir]}, {})).code).toBe('unsupported');
		expect(usageError(() => planCreate({database: 'postgres', init: [dir], fromSnapshot: 's'}, {})).code).toBe('conflicting_flags');
	});
});

describe('the init files hash and the template key', () => {
	const files = {'schema.sql': 'CREATE TABLE t (n int);', 'data.sql': 'INSERT INTO t VALUES (1);'};
	const plan = (init?: string[]) => planCreate({database: 'postgres', version: '16', name: 'x', ...(init ? {init} : {})}, {}, new Date(0));

	it('is the same for the same files wherever they are, and changes with a byte, a name or the mode', () => {
		const a = readSeed([folder(files)], presets.postgres);
		expect(readSeed([folder(files)], presets.postgres).hash).toBe(a.hash);
		expect(readSeed([folder({...files, 'data.sql': 'INSERT INTO t VALUES (2);'})], presets.postgres).hash).not.toBe(a.hash);
		expect(readSeed([folder({'schema.sql': files['schema.sql'], 'data2.sql': files['data.sql']})], presets.postgres).hash).not.toBe(a.hash);
		const dir = folder({'a.sh': 'true'});
		const before = readSeed([dir], presets.postgres).hash;
		chmodSync(path.join(dir, 'a.sh'), 0o755);
		expect(readSeed([dir], presets.postgres).hash).not.toBe(before);
	});

	it('makes a seeded template its own key, one per seed, and the same seed the same key', () => {
		const unseeded = templateKey(plan(), 'sha256:img');
		const seeded = templateKey(plan([folder(files)]), 'sha256:img');
		expect(seeded).not.toBe(unseeded);
		expect(templateKey(plan([folder(files)]), 'sha256:img')).toBe(seeded);
		expect(templateKey(plan([folder({...files, 'more.sql': 'SELECT 1;'})]), 'sha256:img')).not.toBe(seeded);
	});

	it('labels the container with the init files, so a reset finds its files and listings can name them', () => {
		const p = plan([folder(files)]);
		expect(p.labels['dbarena.seed']).toBe(p.seed!.hash);
		expect(p.labels['dbarena.seed_files']).toBe('001-data.sql,002-schema.sql');
		expect(plan().labels['dbarena.seed']).toBeUndefined();
	});

	it('survives its JSON form (the background build, a reset) with the same hash, and takes only plain names', () => {
		const seed = readSeed([folder({...files, 'x.dump': dump})], presets.postgres);
		const again = seedFromPayload(JSON.parse(JSON.stringify(seedPayload(seed))));
		expect(again.hash).toBe(seed.hash);
		expect(again.entries.map(entry => entry.content.toString('base64'))).toEqual(seed.entries.map(entry => entry.content.toString('base64')));
		for (const name of ['../etc/passwd', 'a/b.sql', '.hidden', '']) {
			expect(usageError(() => seedFromPayload({entries: [{name, mode: 0o644, base64: ''}]})).code).toBe('invalid_init');
		}
		expect(usageError(() => seedFromPayload({entries: []})).code).toBe('invalid_init');
	});
});
