import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {buildCli, cli, docker, json, removeAll, uniqueName, volumeExists} from './cli-helpers.js';

const registry = process.env['DBARENA_REGISTRY']!;
// The same local registry under another spelling: images pulled through it are new references
// that no other test uses, so they can be pulled and removed here without touching theirs.
const otherSpelling = registry.replace(/^127\.0\.0\.1(?=:)/, 'localhost');
// A registry name nobody pulls from: prune tests tag their own tiny image under it, so
// `images prune --yes` with this mirror setting can only ever see (and remove) that image.
const pruneMirror = `prune-${randomBytes(3).toString('hex')}.invalid:5000`;
const pruneRef = `${pruneMirror}/library/postgres:14-alpine`;
const volume = uniqueName('vol');

beforeAll(async () => {
	await buildCli();
});

afterAll(async () => {
	await removeAll([], [volume]);
	await docker(['rmi', `${otherSpelling}/library/postgres:14-alpine`, pruneRef]).catch(() => '');
});

// Independent of each other (each pull or prune uses its own mirror spelling): run side by side.
describe.concurrent('images', () => {
	it('list --json shows the cached fixture images with their database and version', async () => {
		const result = await cli(['images', 'list', '--json']);
		expect(result.code, result.stderr).toBe(0);
		const {images} = json<{
			images: Array<{reference: string; database: string; version: string; id: string; sizeBytes: number; created: string; usedBy: number}>;
		}>(result);
		const pg16 = images.find(image => image.reference === `${registry}/library/postgres:16-alpine`);
		expect(pg16).toMatchObject({database: 'postgres', version: '16', id: expect.stringMatching(/^sha256:/) as string});
		expect(pg16!.sizeBytes).toBeGreaterThan(1_000_000);
		expect(pg16!.usedBy).toBeGreaterThanOrEqual(0);
		expect(new Date(pg16!.created).getTime()).not.toBeNaN();

		const text = await cli(['images', 'list']);
		expect(text.stdout.split('\n')[0]).toMatch(/^IMAGE +DATABASE +VERSION +SIZE +CREATED +CONTAINERS$/);
		expect(text.stdout).toMatch(new RegExp(`^${registry.replaceAll('.', '\\.')}/library/postgres:16-alpine +postgres +16 +\\d`, 'm'));
	});

	it('pull fetches a missing image with progress lines, then finds it cached', async () => {
		const image = `${otherSpelling}/library/postgres:14-alpine`;
		await docker(['rmi', image]).catch(() => '');
		const env = {DBARENA_REGISTRY: otherSpelling};
		const pulled = await cli(['images', 'pull', 'postgres:14'], {env});
		expect(pulled.code, pulled.stderr).toBe(0);
		expect(pulled.stdout).toMatch(new RegExp(`^⚠ Image ${image} not cached, pulling\\.\\.\\.\\n✓ Image ${image} pulled \\(\\d+\\.\\ds\\)\\n$`));
		expect(await docker(['image', 'inspect', '--format', '{{.Id}}', image])).toMatch(/^sha256:/);

		const again = await cli(['images', 'pull', 'postgres:14', '--json'], {env});
		expect(again.code, again.stderr).toBe(0);
		expect(json(again)).toEqual({images: [{database: 'postgres', version: '14', image, pulled: false, ms: null, error: null}], errors: []});
	});

	it('pull of an image the registry does not have exits 1 and names it', async () => {
		// SQL Server is the one database without a fixture (it is not in Debian).
		const result = await cli(['images', 'pull', 'sqlserver:2022']);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(new RegExp(`^✗ Image ${registry.replaceAll('.', '\\.')}/mssql/server:2022-latest: Image .* could not be pulled`));
		expect(result.stderr).toMatch(
			/^Error: .*mssql\/server:2022-latest: Image .* could not be pulled: .*Check the name and tag, the registry \(DBARENA_REGISTRY\), and your network\.\n$/,
		);
	});

	it('pull --all tries every supported version; what the registry lacks fails with exit 1', async () => {
		const result = await cli(['images', 'pull', '--all', '--json']);
		expect(result.code).toBe(1);
		type Pulled = {database: string; version: string; image: string; pulled: boolean; ms: number | null; error: string | null};
		const document = json<{images: Pulled[]; errors: Array<{image: string; code: string}>; error: {code: string; exitCode: number}}>(result);
		expect(document.images.map(image => `${image.database}:${image.version}`)).toEqual([
			'postgres:14',
			'postgres:15',
			'postgres:16',
			'postgres:17',
			'postgres:18',
			'mysql:8.0',
			'mysql:8.4',
			'mysql:9.7',
			'mariadb:10.11',
			'mariadb:11.4',
			'mariadb:11.8',
			'sqlserver:2019',
			'sqlserver:2022',
			'sqlserver:2025',
		]);
		// The local registry holds the postgres, mysql and mariadb fixtures and nothing else.
		const missing = document.images.filter(image => image.error !== null).map(image => `${image.database}:${image.version}`);
		expect(missing).toEqual(['sqlserver:2019', 'sqlserver:2022', 'sqlserver:2025']);
		expect(document.errors.map(error => error.code)).toEqual(Array.from({length: 3}, () => 'image_not_found'));
		expect(document.error).toMatchObject({code: 'image_not_found', exitCode: 1});
		expect(document.images.find(image => image.database === 'sqlserver')!.image).toBe(`${registry}/mssql/server:2019-latest`);
	});

	it('pull needs databases or --all, and known ones', async () => {
		expect(await cli(['images', 'pull'])).toMatchObject({code: 2, stderr: 'Error: Name what to pull (postgres, postgres:16, ...) or use --all.\n'});
		expect(await cli(['images', 'pull', 'db2'])).toMatchObject({
			code: 2,
			stderr: 'Error: Unknown database "db2". Supported: postgres, mysql, mariadb, sqlserver.\n',
		});
	});

	it('prune refuses without --yes (no terminal), then removes only unused images with it', async () => {
		// A tiny image of our own, used by no container: an empty archive (1024 zero bytes) imported.
		await new Promise<void>((resolve, reject) => {
			const child = execFile('docker', ['import', '-', pruneRef], error => {
				if (error) reject(error);
				else resolve();
			});
			child.stdin!.end(Buffer.alloc(1024));
		});
		const env = {DBARENA_REGISTRY: pruneMirror};
		const refused = await cli(['images', 'prune'], {env});
		expect(refused.code).toBe(2);
		expect(refused.stderr).toBe('Error: Refusing to remove 1 image(s) without confirmation: there is no terminal to ask on. Add --yes.\n');
		expect(await docker(['image', 'inspect', '--format', '{{.Id}}', pruneRef])).toMatch(/^sha256:/);

		const pruned = await cli(['images', 'prune', '--yes', '--json'], {env});
		expect(pruned.code, pruned.stderr).toBe(0);
		expect(json(pruned)).toEqual({removed: [pruneRef], kept: []});
		await expect(docker(['image', 'inspect', pruneRef])).rejects.toThrow();
		// The real fixture images were outside this mirror setting and are untouched.
		expect(await docker(['image', 'inspect', '--format', '{{.Id}}', `${registry}/library/postgres:16-alpine`])).toMatch(/^sha256:/);

		const nothing = await cli(['images', 'prune'], {env});
		expect(nothing).toMatchObject({code: 0, stdout: 'Nothing to prune: no unused database images are cached.\n'});
	});
});

describe('volumes', () => {
	beforeAll(async () => {
		// A volume as dbarena labels them, without spending a container on it.
		await docker([
			'volume',
			'create',
			'--label',
			'dbarena.managed=true',
			'--label',
			'dbarena.database=postgres',
			'--label',
			'dbarena.version=16',
			'--label',
			`dbarena.container=${volume}`,
			volume,
		]);
	});

	it('list shows dbarena volumes; --json has every field', async () => {
		const text = await cli(['volumes', 'list']);
		expect(text.code, text.stderr).toBe(0);
		expect(text.stdout.split('\n')[0]).toMatch(/^NAME +DATABASE +VERSION +CREATED +USED BY$/);
		expect(text.stdout).toMatch(new RegExp(`^${volume} +postgres +16 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +-$`, 'm'));

		const result = await cli(['volumes', 'list', '--json']);
		const mine = json<{volumes: Array<Record<string, unknown>>}>(result).volumes.find(entry => entry.name === volume);
		expect(mine).toEqual({
			name: volume,
			database: 'postgres',
			version: '16',
			createdAt: expect.stringMatching(/^\d{4}-/) as string,
			createdFor: volume,
			usedBy: [],
		});
	});

	it('rm needs --yes, suggests names on a typo, and removes with --yes', async () => {
		const refused = await cli(['volumes', 'rm', volume]);
		expect(refused).toMatchObject({code: 2, stdout: '', stderr: `Error: Removing ${volume} deletes the data in it; confirm with --yes.\n`});
		expect(await volumeExists(volume)).toBe(true);

		const typo = await cli(['volumes', 'rm', `${volume}x`, '--yes']);
		expect(typo.code).toBe(2);
		expect(typo.stderr).toBe(`Error: No dbarena volume named "${volume}x". Did you mean: ${volume}?\n`);
		expect(await volumeExists(volume)).toBe(true);

		const removed = await cli(['volumes', 'rm', volume, '--yes', '--json']);
		expect(removed.code, removed.stderr).toBe(0);
		expect(json(removed)).toEqual({removed: [volume]});
		expect(await volumeExists(volume)).toBe(false);
	});

	it('rm refuses a volume dbarena does not manage', async () => {
		const foreign = uniqueName('foreign');
		await docker(['volume', 'create', foreign]);
		try {
			const result = await cli(['volumes', 'rm', foreign, '--yes']);
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(new RegExp(`^Error: No dbarena volume named "${foreign}"\\.`));
			expect(await volumeExists(foreign)).toBe(true);
		} finally {
			await removeAll([], [foreign]);
		}
	});
});
