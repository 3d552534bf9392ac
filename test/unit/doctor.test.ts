import {describe, expect, it} from 'vitest';
import type {DockerClient} from '../../source/core/docker/client.js';
import type {EngineFacts} from '../../source/core/docker/engine-info.js';
import {clockCheck, diskCheck, portChecks, runDoctor, storedImagesCheck} from '../../source/core/doctor.js';
import type {EngineHandle} from '../../source/core/engine-handle.js';
import {imageLabel, label, templateImageLabels} from '../../source/core/labels.js';

/*
 * `dbarena doctor`'s checks of this machine and of what is stored, each on fake inputs: the
 * free space, the ports, the clocks and the images are what the test says they are, so every
 * warning and failure (and the fix it prints) is exercised, not only the passes a healthy machine gives.
 */

const gib = 1024 ** 3;

const facts: EngineFacts = {
	product: 'Docker Engine',
	version: '20.10.24',
	apiVersion: '1.41',
	os: 'linux',
	arch: 'amd64',
	rootless: false,
	dataRoot: '/var/lib/docker',
	systemTime: new Date('2026-11-28T12:00:00.000Z'),
};

type Summary = {Id: string; Names: string[]; Image: string; State: string; Labels: Record<string, string>; Ports: Array<{PublicPort?: number}>};
type Image = {Id: string; RepoTags: string[]; Size: number; Created: number; Labels: Record<string, string>};

/** A local engine whose containers and images are these; it filters by `all` as an engine does. */
function engine(options: {address?: string; containers?: Summary[]; images?: Image[]} = {}): EngineHandle {
	const docker = {
		listContainers: async ({all}: {all: boolean}) => (options.containers ?? []).filter(container => all || container.State === 'running'),
		listImages: async () => options.images ?? [],
	} as unknown as DockerClient;
	return {
		docker,
		address: options.address ?? 'unix:///var/run/docker.sock',
		settings: {},
		reach: {kind: 'local'},
		ensureEngine: async () => undefined,
	} as unknown as EngineHandle;
}

/** A container dbarena made, claiming a host port in its labels. */
function managed(name: string, state: 'running' | 'exited', port: number): Summary {
	return {
		Id: name,
		Names: [`/${name}`],
		Image: '127.0.0.1:5000/library/postgres:16-alpine',
		State: state,
		Labels: {[label.managed]: 'true', [label.hostPort]: String(port)},
		Ports: state === 'running' ? [{PublicPort: port}] : [],
	};
}

describe("doctor: disk space of the engine's data root", () => {
	const freeSpace = (bytes: number) => async (path: string) => {
		expect(path).toBe('/var/lib/docker');
		return bytes;
	};
	const fix = 'Free space: "dbarena templates prune", "dbarena images prune", "docker system prune".';

	it('fails under 1 GiB, saying how much is left where, and how to free space', async () => {
		expect(await diskCheck(engine(), facts, freeSpace(512 * 1024 ** 2))).toEqual({
			id: 'disk',
			title: "Disk space of the engine's data root",
			status: 'fail',
			detail: '512 MiB free on /var/lib/docker',
			fix,
		});
	});

	it('warns under 5 GiB, with the same fix', async () => {
		expect(await diskCheck(engine(), facts, freeSpace(3.5 * gib))).toMatchObject({status: 'warn', detail: '3.5 GiB free on /var/lib/docker', fix});
	});

	it('passes from 5 GiB, with nothing to fix', async () => {
		const check = await diskCheck(engine(), facts, freeSpace(5 * gib));
		expect(check).toMatchObject({status: 'pass', detail: '5.0 GiB free on /var/lib/docker'});
		expect(check.fix).toBeUndefined();
	});

	it('does not guess about a data root it cannot read, or one on another machine', async () => {
		const unreadable = async () => {
			throw Object.assign(new Error('no such file'), {code: 'ENOENT'});
		};
		expect(await diskCheck(engine(), facts, unreadable)).toMatchObject({
			status: 'pass',
			detail: 'not checked: /var/lib/docker is not readable here (ENOENT)',
		});
		expect(await diskCheck(engine({address: 'tcp://build-box:2376'}), facts, freeSpace(0))).toMatchObject({
			status: 'pass',
			detail: "not checked: the engine's data root is not on this machine (tcp://build-box:2376)",
		});
	});
});

describe('doctor: default ports on 127.0.0.1', () => {
	const takenOnly =
		(...taken: number[]) =>
		async (port: number, host: string) => {
			expect(host).toBe('127.0.0.1');
			return !taken.includes(port);
		};
	const fix = 'dbarena then picks the next free port and prints it; to keep the usual one, stop what listens there (ss -ltnp shows it).';

	it('warns naming each default port another process holds, and says what to do', async () => {
		expect(await portChecks(engine(), takenOnly(5432, 1433))).toEqual({
			id: 'ports',
			title: 'Default ports on 127.0.0.1',
			status: 'warn',
			detail: '5432, 1433 taken by another process',
			fix,
		});
	});

	it('passes when the holder is a running dbarena container, and says so', async () => {
		const check = await portChecks(engine({containers: [managed('pg', 'running', 5432)]}), takenOnly(5432));
		expect(check).toEqual({
			id: 'ports',
			title: 'Default ports on 127.0.0.1',
			status: 'pass',
			detail: '5432, 3306, 1433 free or ours (5432 held by dbarena containers)',
		});
	});

	it('warns when another process holds a port a stopped dbarena container claims: that container cannot start on it', async () => {
		const check = await portChecks(engine({containers: [managed('pg-stopped', 'exited', 5432), managed('my-old', 'exited', 3306)]}), takenOnly(5432));
		expect(check).toMatchObject({
			status: 'warn',
			detail: '5432 taken by another process; the stopped dbarena container pg-stopped claims 5432 and cannot start until it is free',
			fix: `${fix} A stopped container keeps its port: free it before "dbarena start pg-stopped".`,
		});
	});

	it('passes with every port free; not checked for an engine on another host', async () => {
		expect(await portChecks(engine(), takenOnly())).toMatchObject({status: 'pass', detail: '5432, 3306, 1433 free or ours'});
		expect(await portChecks(engine({address: 'ssh://root@build-box'}), takenOnly(5432))).toMatchObject({
			status: 'pass',
			detail: 'not checked: the engine publishes ports on its own host',
		});
	});
});

describe("doctor: the clock against the engine's", () => {
	const at = (offsetMs: number) => () => facts.systemTime!.getTime() - offsetMs;
	const fix = "Synchronise the clocks (timedatectl, or restart the VM your engine runs in): uptimes and `logs --follow` resumption use the engine's times.";

	it('warns past 2 s either way, with the fix', () => {
		expect(clockCheck(facts, at(2500))).toEqual({id: 'clock', title: "Clock against the engine's", status: 'warn', detail: 'engine ahead by 2500 ms', fix});
		expect(clockCheck(facts, at(-2001))).toMatchObject({status: 'warn', detail: 'engine behind by 2001 ms', fix});
	});

	it('fails past 30 s', () => {
		expect(clockCheck(facts, at(-90_000))).toMatchObject({status: 'fail', detail: 'engine behind by 90000 ms', fix});
		expect(clockCheck(facts, at(30_001))).toMatchObject({status: 'fail', detail: 'engine ahead by 30001 ms', fix});
	});

	it('passes within 2 s, and says when the engine does not tell its time', () => {
		const check = clockCheck(facts, at(2000));
		expect(check).toMatchObject({status: 'pass', detail: 'engine ahead by 2000 ms'});
		expect(check.fix).toBeUndefined();
		expect(clockCheck({...facts, systemTime: undefined}, at(0))).toMatchObject({status: 'pass', detail: 'not checked: the engine does not report its time'});
	});
});

describe('doctor: templates and snapshots on disk', () => {
	const created = Date.parse('2026-11-28T10:00:00Z') / 1000;
	const source = '127.0.0.1:5000/library/postgres:16-alpine';
	const template = (id: string, sourceImageId: string): Image => ({
		Id: id,
		RepoTags: [`dbarena-template/postgres-16:${id}`],
		Size: 300 * 1024 ** 2,
		Created: created,
		Labels: templateImageLabels({
			key: id,
			sourceImageId,
			sourceRef: source,
			dataPath: '/var/lib/postgresql/data',
			mode: 'fast',
			database: 'postgres',
			version: '16',
		}),
	});
	const snapshot: Image = {
		Id: 'sha256:snap',
		RepoTags: ['dbarena-snapshot:before-migration'],
		Size: 200 * 1024 ** 2,
		Created: created,
		Labels: {[imageLabel.snapshot]: 'true', [label.database]: 'postgres', [label.version]: '16'},
	};
	// The tag the templates were made from now points to a newer image than one of them.
	const base: Image = {Id: 'sha256:new', RepoTags: [source], Size: 100 * 1024 ** 2, Created: created, Labels: {}};

	it('warns when a template was made from an image its tag no longer names, and says how to remove it', async () => {
		const check = await storedImagesCheck(engine({images: [base, template('sha256:t-old', 'sha256:old'), template('sha256:t-new', 'sha256:new'), snapshot]}));
		expect(check).toEqual({
			id: 'stored',
			title: 'Templates and snapshots',
			status: 'warn',
			detail: '2 templates (600 MiB), 1 stale; 1 snapshot (200 MiB)',
			fix: 'Remove stale templates: "dbarena templates prune --stale --yes".',
		});
	});

	it('passes when every template is current, counting what is stored', async () => {
		const check = await storedImagesCheck(engine({images: [base, template('sha256:t-new', 'sha256:new')]}));
		expect(check).toEqual({id: 'stored', title: 'Templates and snapshots', status: 'pass', detail: '1 template (300 MiB); 0 snapshots (0 B)'});
	});
});

describe('doctor: a check the engine answers with an error', () => {
	it('fails that check with the engine’s words and a fix, and every other check still reports', async () => {
		const refused = Object.assign(new Error('(HTTP code 400) unexpected - invalid filter "dangling"'), {statusCode: 400});
		const docker = {
			version: async () => ({Version: '20.10.24', ApiVersion: '1.41', Os: 'linux', Arch: 'amd64'}),
			info: async () => ({DockerRootDir: '/var/lib/docker', SystemTime: new Date(1_000_000).toISOString(), SecurityOptions: []}),
			getImage: () => ({inspect: async () => ({Id: 'sha256:here'})}),
			listContainers: async () => [],
			listImages: async () => Promise.reject(refused),
		} as unknown as DockerClient;
		const handle = {
			...engine(),
			docker,
			location: {address: 'unix:///var/run/docker.sock', foundBy: 'the default socket', source: 'default-socket', tried: []},
		} as unknown as EngineHandle;
		const report = await runDoctor(handle, {
			now: () => 1_000_000,
			nodeStart: {v8StartMs: 4, extraCaCerts: undefined},
			freeBytes: async () => 50 * gib,
			portFree: async () => true,
		});
		expect(report.engineUnavailable).toBe(false);
		expect(report.checks.map(check => [check.id, check.status])).toEqual([
			['engine', 'pass'],
			['registry', 'pass'],
			['image:postgres', 'pass'],
			['image:mysql', 'pass'],
			['image:mariadb', 'pass'],
			['image:sqlserver', 'pass'],
			['disk', 'pass'],
			['ports', 'pass'],
			['clock', 'pass'],
			['stored', 'fail'],
			['node-start', 'pass'],
		]);
		expect(report.checks.find(check => check.id === 'stored')).toEqual({
			id: 'stored',
			title: 'Templates and snapshots',
			status: 'fail',
			detail: 'could not be checked: the engine answered (HTTP code 400) unexpected - invalid filter "dangling"',
			fix: 'Run "dbarena doctor" again; if the engine answers the same, its own log says why (journalctl -u docker, or the Podman service\'s log).',
		});
	});
});
