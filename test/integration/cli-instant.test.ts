import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mysqlQuery, pgQuery, waitFor} from '../helpers/docker.js';
import {buildCli, cli, docker, json, removeAll, startCli, uniqueName} from './cli-helpers.js';

// The instant-database and CDC commands as users run them: create --cdc, snapshot,
// create --from-snapshot, snapshot list/rm, templates build/list, and the background template.

type Created = {
	containers: Array<{
		name: string;
		source: string;
		connection: {host: string; port: number; user: string; password: string; database: string; url: string};
		cdc: {user: string; password: string; publication: string | null} | null;
	}>;
};

const containers: string[] = [];
const tags: string[] = [];
const images: string[] = [];
const name = (suffix: string) => {
	const value = uniqueName(suffix);
	containers.push(value);
	return value;
};

beforeAll(async () => {
	await buildCli();
});
afterAll(async () => {
	await removeAll(containers);
	for (const reference of [...tags.map(tag => `dbarena-snapshot:${tag}`), ...images]) await docker(['rmi', '-f', reference]).catch(() => '');
});

describe('create --cdc', () => {
	it('prints the replication login and reports it in --json; inspect reads the settings back', async () => {
		const db = name('cdc');
		const created = await cli(['create', 'postgres', '--version', '16', '--cdc', '--name', db]);
		expect(created.code, created.stderr).toBe(0);
		expect(created.stdout).toContain('CDC user: cdc (password: dbarena), publication: dbarena_cdc');
		const inspected = await cli(['inspect', db, '--json']);
		const body = json<{cdc: {user: string; publication: string}; cdcStatus: {ready: boolean; settings: Record<string, string>}}>(inspected);
		expect(body.cdc).toEqual({user: 'cdc', password: 'dbarena', publication: 'dbarena_cdc'});
		expect(body.cdcStatus).toMatchObject({ready: true, settings: {wal_level: 'logical'}});
		const text = await cli(['inspect', db]);
		expect(text.stdout).toMatch(/CDC:\s+ready \(max_replication_slots=10, max_wal_senders=10, wal_level=logical\)/);
		const list = json<{containers: Array<{name: string; cdc: Record<string, unknown> | null}>}>(await cli(['list', '--json']));
		// list shows that CDC is on, never the password.
		expect(list.containers.find(container => container.name === db)?.cdc).toEqual({user: 'cdc', publication: 'dbarena_cdc'});
	});

	it('mariadb --cdc --json has a cdc field; without --cdc it is null', async () => {
		const withCdc = json<Created>(await cli(['create', 'mariadb', '--version', '10.11', '--cdc', '--name', name('mcdc'), '--json']));
		expect(withCdc.containers[0]!.cdc).toEqual({user: 'cdc', password: 'dbarena', publication: null});
		const [row] = await mysqlQuery<{Value: string}>(withCdc.containers[0]!.connection, "SHOW VARIABLES LIKE 'binlog_format'");
		expect(row!.Value).toBe('ROW');
		const without = json<Created>(await cli(['create', 'postgres', '--version', '16', '--name', name('nocdc'), '--json']));
		expect(without.containers[0]!.cdc).toBeNull();
	});
});

describe('snapshots from the command line', () => {
	it('snapshot, create --from-snapshot (no database needed), list, rm', async () => {
		const source = name('snapsrc');
		const created = json<Created>(await cli(['create', 'postgres', '--version', '16', '--name', source, '--no-template', '--json']));
		expect(created.containers[0]!.source).toBe('fresh');
		await pgQuery(created.containers[0]!.connection, 'CREATE TABLE kept AS SELECT 42 AS answer');
		const tag = `cli-${source}`;
		tags.push(tag);
		const taken = await cli(['snapshot', source, '--tag', tag]);
		expect(taken.code, taken.stderr).toBe(0);
		expect(taken.stdout).toMatch(new RegExp(`✓ Snapshot ${tag} of ${source} taken in [\\d.]+m?s \\(paused [\\d.]+m?s`));
		const copy = json<Created>(await cli(['create', '--from-snapshot', tag, '--name', name('snapcopy'), '--json']));
		expect(copy.containers[0]!.source).toBe('snapshot');
		expect(await pgQuery(copy.containers[0]!.connection, 'SELECT answer FROM kept')).toEqual([{answer: 42}]);
		const listed = await cli(['snapshot', 'list']);
		expect(listed.stdout).toMatch(new RegExp(`${tag}\\s+postgres\\s+16\\s+${source}`));
		// In use by the copy: refused, and it stays.
		const busy = await cli(['snapshot', 'rm', tag, '--yes']);
		expect(busy.code).toBe(2);
		expect(busy.stderr).toContain('in use by a container');
		await cli(['destroy', copy.containers[0]!.name, '--yes']);
		const removed = await cli(['snapshot', 'rm', tag, '--yes']);
		expect(removed.code, removed.stderr).toBe(0);
		expect((await cli(['snapshot', 'list', '--json'])).stdout).not.toContain(tag);
	});

	it('refuses bad input and touches nothing', async () => {
		const missing = await cli(['create', '--from-snapshot', 'no-such-snapshot-here']);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain('No snapshot tagged "no-such-snapshot-here"');
		const badTag = await cli(['snapshot', 'whatever', '--tag', 'bad tag']);
		expect(badTag.code).toBe(2);
		const noRm = await cli(['snapshot', 'rm']);
		expect(noRm.code).toBe(2);
		const withoutYes = await cli(['snapshot', 'rm', 'no-such-snapshot-here']);
		expect(withoutYes.code).toBe(2);
	});
});

describe('templates from the command line', () => {
	it('a fresh create builds the template in the background; the next create starts from it', async () => {
		// A password of this test's own makes a template key nobody else has built.
		const password = `Bg-${Math.random().toString(16).slice(2, 10)}`;
		const templates = async () =>
			json<{templates: Array<{reference: string}>}>(await cli(['templates', 'list', '--json'])).templates.map(template => template.reference);
		const before = new Set(await templates());
		const first = await cli(['create', 'postgres', '--version', '16', '--password', password, '--name', name('bg1')], {env: {DBARENA_TEMPLATES: undefined}});
		expect(first.code, first.stderr).toBe(0);
		expect(first.stdout).toContain('initialising a template in the background');
		const reference = await waitFor(
			'the background template',
			async () => {
				if (!(await templates()).some(reference_ => reference_.startsWith('dbarena-template/postgres-16:') && !before.has(reference_))) return undefined;
				// The template this password built is the image a create with it starts from (other
				// files may build PostgreSQL 16 templates of their own meanwhile): removed after the file.
				const probe = name('probe');
				const created = await cli(['create', 'postgres', '--version', '16', '--password', password, '--name', probe, '--json', '--timeout', '30']);
				if (!created.stdout.includes('"source": "template"')) return undefined;
				return (await docker(['inspect', '--format', '{{.Config.Image}}', probe])).trim();
			},
			60_000,
			500,
		);
		expect(before.has(reference)).toBe(false);
		images.push(reference);
		const second = json<Created>(await cli(['create', 'postgres', '--version', '16', '--password', password, '--name', name('bg2'), '--json']));
		expect(second.containers[0]!.source).toBe('template');
		expect(await pgQuery(second.containers[0]!.connection, 'SELECT current_user AS who')).toEqual([{who: 'postgres'}]);
	});

	it('templates build builds now; --no-template skips it', async () => {
		const password = `Tb-${Math.random().toString(16).slice(2, 10)}`;
		const built = await cli(['templates', 'build', 'mariadb:10.11', '--password', password, '--json']);
		expect(built.code, built.stderr).toBe(0);
		const body = json<{reference: string; built: boolean}>(built);
		images.push(body.reference);
		expect(body.built).toBe(true);
		const from = json<Created>(await cli(['create', 'mariadb', '--version', '10.11', '--password', password, '--name', name('tb'), '--json']));
		expect(from.containers[0]!.source).toBe('template');
		const fresh = json<Created>(
			await cli(['create', 'mariadb', '--version', '10.11', '--password', password, '--no-template', '--name', name('tbf'), '--json']),
		);
		expect(fresh.containers[0]!.source).toBe('fresh');
	});
});

describe('logs --follow says why it ended', () => {
	it('a container stopped from outside: the follower says so and exits 0', async () => {
		const db = name('follow');
		expect((await cli(['create', 'postgres', '--version', '16', '--name', db])).code).toBe(0);
		const running = startCli(['logs', db, '--follow', '--tail', '2']);
		await running.waitFor(/ready to accept connections/);
		await docker(['stop', db]);
		const result = await running.done;
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/shutting down|received fast shutdown/);
		expect(result.stderr.trim()).toMatch(new RegExp(`^${db} stopped \\(exit code \\d+\\)\\.$`));
	});
});
