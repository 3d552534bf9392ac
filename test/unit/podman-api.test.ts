import {PassThrough, Readable} from 'node:stream';
import tarStream from 'tar-stream';
import {describe, expect, it} from 'vitest';
import type {DockerClient} from '../../source/core/docker/client.js';
import {reroot} from '../../source/core/docker/archive.js';
import {createContainer, inspectContainer, listContainers, restartContainer, stopContainer, userEnvironment} from '../../source/core/docker/containers.js';
import {parseEvent} from '../../source/core/docker/events.js';
import {familiarReference} from '../../source/core/docker/image-names.js';
import {canPull} from '../../source/core/docker/engine-info.js';
import {imageCheck} from '../../source/core/doctor.js';
import type {EngineHandle} from '../../source/core/engine-handle.js';
import {presets} from '../../source/core/presets/catalog.js';
import {listImages, pullImage} from '../../source/core/docker/images.js';
import {advanceCursor, splitLogStamp, unseenAfter, type LogCursor} from '../../source/core/log-stream.js';
import {ImageNotFoundError} from '../../source/core/errors.js';
import type {ProgressEvent} from '../../source/core/types.js';

/*
 * What Podman's Docker-compatible API (4.3, rootful) answers differently from dockerd, each as
 * recorded from `podman system service` here, and what the docker layer makes of it: the rest of
 * dbarena sees one engine.
 */

describe('image names', () => {
	it.each([
		// Podman qualifies every name it stores; dockerd shows the same images by these names.
		['docker.io/library/dbarena-snapshot:t1', 'dbarena-snapshot:t1'],
		['docker.io/dbarena-template/postgres-16:0123abcd', 'dbarena-template/postgres-16:0123abcd'],
		['docker.io/library/postgres:16-alpine', 'postgres:16-alpine'],
		// Names with a registry are the same on both engines.
		['127.0.0.1:5000/library/postgres:16-alpine', '127.0.0.1:5000/library/postgres:16-alpine'],
		['mcr.microsoft.com/mssql/server:2022-latest', 'mcr.microsoft.com/mssql/server:2022-latest'],
		['localhost/dbarena-snapshot:t1', 'localhost/dbarena-snapshot:t1'],
		['dbarena-snapshot:t1', 'dbarena-snapshot:t1'],
	])('%s is %s', (stored, familiar) => {
		expect(familiarReference(stored)).toBe(familiar);
	});

	it('listImages gives the tags as dockerd would name them', async () => {
		const docker = {
			listImages: async () => [
				{Id: 'sha256:aa', RepoTags: ['docker.io/library/dbarena-snapshot:t1'], Size: 1, Created: 1_795_846_092, Labels: {}},
				{Id: 'sha256:bb', RepoTags: ['docker.io/dbarena-template/postgres-16:k'], Size: 1, Created: 1_795_846_092, Labels: null},
			],
		} as unknown as DockerClient;
		expect((await listImages(docker)).map(image => image.tags)).toEqual([['dbarena-snapshot:t1'], ['dbarena-template/postgres-16:k']]);
	});

	it('listContainers gives the image of each container as dockerd would name it', async () => {
		const docker = {
			listContainers: async () => [{Id: 'c1', Image: 'docker.io/library/dbarena-snapshot:t1', ImageID: 'sha256:aa'}],
		} as unknown as DockerClient;
		expect((await listContainers(docker, {all: true, label: []}))[0]).toMatchObject({Image: 'dbarena-snapshot:t1', ImageID: 'sha256:aa'});
	});
});

describe('stop and restart', () => {
	// Podman 4.3 reads a missing t as 0 and kills the server at once (exit 137, no clean
	// shutdown); dockerd waits 10 s. Sending dockerd's default makes both shut down cleanly.
	it.each([
		['stop', stopContainer],
		['restart', restartContainer],
	] as const)('%s without a timeout asks for the 10 s dockerd waits by default', async (action, operation) => {
		const sent: unknown[] = [];
		const record = async (options: unknown) => {
			sent.push(options);
		};
		const docker = {getContainer: () => ({stop: record, restart: record})} as unknown as DockerClient;
		await operation(docker, 'c1');
		await operation(docker, 'c1', 3);
		expect(sent, action).toEqual([{t: 10}, {t: 3}]);
	});
});

describe('a container’s own environment', () => {
	const imageEnv = ['PATH=/usr/local/bin:/usr/bin:/bin', 'PG_MAJOR=16'];

	it('leaves out what Podman adds to every container (container=podman, HOSTNAME, HOME, TERM)', () => {
		const env = [
			'HOME=/root',
			'HOSTNAME=a09becd3f223',
			'PATH=/usr/local/bin:/usr/bin:/bin',
			'PG_MAJOR=16',
			'POSTGRES_PASSWORD=dbarena',
			'TZ=Europe/Paris',
			'TERM=xterm',
			'container=podman',
		];
		expect(userEnvironment(env, imageEnv)).toEqual(['POSTGRES_PASSWORD=dbarena', 'TZ=Europe/Paris']);
	});

	it('keeps HOME, HOSTNAME and TERM on dockerd, which adds none of them', () => {
		const env = ['HOME=/data', 'PATH=/usr/local/bin:/usr/bin:/bin', 'TERM=xterm', 'TZ=UTC'];
		expect(userEnvironment(env, imageEnv)).toEqual(['HOME=/data', 'TERM=xterm', 'TZ=UTC']);
	});
});

describe('events', () => {
	const id = 'f6e25f0fc6e388c8d12fb2e72ffaa44c979cf5fd917e8336b428485c9b3cb346';
	// As `GET /events` sent them for a labelled container (podman run, exec, kill, rm).
	function podmanEvent(action: string, extra: Record<string, string> = {}) {
		return {
			status: action,
			id,
			from: '127.0.0.1:5000/library/postgres:16-alpine',
			Type: 'container',
			Action: action,
			Actor: {
				ID: id,
				Attributes: {
					containerExitCode: '0',
					'dbarena.managed': 'true',
					image: '127.0.0.1:5000/library/postgres:16-alpine',
					name: 'podman-ev',
					podId: '',
					...extra,
				},
			},
			scope: 'local',
			time: 1_795_846_092,
			// biome-ignore lint/correctness/noPrecisionLoss: the engine sends timeNano as a JSON number past 2^53, as here
			timeNano: 1_795_846_092_239_915_903,
		};
	}

	it('names them as dockerd does: remove is destroy, exec and exec_died are exec events', () => {
		expect(parseEvent(podmanEvent('remove'))?.action).toBe('destroy');
		expect(parseEvent(podmanEvent('exec'))?.action).toBe('exec_start');
		expect(parseEvent(podmanEvent('exec_died'))?.action).toBe('exec_die');
		expect(parseEvent(podmanEvent('die', {containerExitCode: '137', exitCode: '137'}))).toMatchObject({action: 'die', exitCode: 137});
	});

	it('drops the steps dockerd has no event for (init before a start, cleanup after a die)', () => {
		expect(parseEvent(podmanEvent('init'))).toBeUndefined();
		expect(parseEvent(podmanEvent('cleanup'))).toBeUndefined();
	});

	it('keeps Podman’s own attributes out of the labels', () => {
		expect(parseEvent(podmanEvent('start'))?.labels).toEqual({'dbarena.managed': 'true'});
	});
});

describe('pulling a tag the registry does not have', () => {
	// dockerd refuses the request (404); Podman answers 200 and streams only the error.
	function podmanPull(messages: unknown[]): DockerClient {
		return {
			pull: async () => new PassThrough(),
			modem: {
				followProgress(_stream: unknown, onFinished: (error: Error | null) => void, onProgress: (message: unknown) => void) {
					for (const message of messages) onProgress(message);
					onFinished(null);
				},
			},
		} as unknown as DockerClient;
	}

	it('is an image-not-found error without saying it started pulling', async () => {
		const events: ProgressEvent[] = [];
		const error = 'initializing source docker://127.0.0.1:5000/library/mariadb:11.8: reading manifest 11.8 in 127.0.0.1:5000/library/mariadb: manifest unknown';
		const pulling = pullImage(podmanPull([{progressDetail: {}, errorDetail: {message: error}, error}]), 'r/library/mariadb:11.8', {
			onProgress: event => events.push(event),
		});
		await expect(pulling).rejects.toThrow(ImageNotFoundError);
		await expect(pulling).rejects.toThrow(/manifest unknown/);
		expect(events).toEqual([]);
	});

	it('a pull that does stream says it started before its first layer', async () => {
		const events: ProgressEvent[] = [];
		await pullImage(podmanPull([{status: 'Pulling fs layer', progressDetail: {}, id: '514b058e8272'}]), 'r/library/postgres:14-alpine', {
			onProgress: event => events.push(event),
		});
		expect(events.map(event => event.type)).toEqual(['pull-start', 'pull-progress']);
	});
});

describe('a log follow resumed after a restart', () => {
	// Podman stamps log lines to the whole second (2026-11-28T06:23:29Z), dockerd to the
	// nanosecond; a restart's last old lines and first new ones share a second on Podman.
	const stream = (stamps: string[]) => stamps.map((stamp, index) => splitLogStamp(`${stamp} line ${index}`));

	it('prints the lines that share the last printed line’s second but came after it, and no line twice', () => {
		const before = stream(['2026-11-28T06:23:28Z', '2026-11-28T06:23:29Z', '2026-11-28T06:23:29Z']);
		let cursor: LogCursor | undefined;
		for (const {time} of before) cursor = advanceCursor(cursor, time!);
		// Resumed with since = that second: the engine sends the same-second lines again, then new ones.
		const resumed = stream(['2026-11-28T06:23:29Z', '2026-11-28T06:23:29Z', '2026-11-28T06:23:29Z', '2026-11-28T06:23:29Z', '2026-11-28T06:23:30Z']);
		const isNew = unseenAfter(cursor!);
		expect(resumed.filter(({time}) => isNew(time)).map(({line}) => line)).toEqual(['line 2', 'line 3', 'line 4']);
	});

	it('with dockerd’s nanosecond stamps, only what came after the last printed line', () => {
		const cursor = advanceCursor(undefined, splitLogStamp('2026-11-28T06:23:29.500000001Z x').time!);
		const isNew = unseenAfter(cursor);
		const resumed = stream(['2026-11-28T06:23:29.5Z', '2026-11-28T06:23:29.500000001Z', '2026-11-28T06:23:29.600000001Z']);
		expect(resumed.filter(({time}) => isNew(time)).map(({line}) => line)).toEqual(['line 2']);
	});
});

describe('a plain-HTTP registry Podman was not told to trust', () => {
	it('says how to let the engine use it, instead of only Go’s words', () => {
		const detail =
			'initializing source docker://localhost:5000/library/postgres:14-alpine: pinging container registry localhost:5000: ' +
			'Get "https://localhost:5000/v2/": http: server gave HTTP response to HTTPS client';
		const {message} = new ImageNotFoundError('localhost:5000/library/postgres:14-alpine', detail);
		expect(message).toContain('The registry speaks plain HTTP');
		expect(message).toContain('insecure = true in /etc/containers/registries.conf.d/');
		expect(new ImageNotFoundError('r/x:1', 'manifest unknown').message).toContain('Check the name and tag');
	});
});

describe('asking whether an image can be pulled (doctor)', () => {
	// As docker-modem rejects a non-2xx answer: the parsed body, or the raw text when it is not JSON.
	const answering = (statusCode: number, json: unknown, text: string) =>
		({
			getImage: () => ({
				distribution: async () => {
					throw Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${text} `), {statusCode, json});
				},
			}),
		}) as unknown as DockerClient;

	it('on Podman, which has no /distribution endpoint (a plain-text 404), is "cannot say", not a raw API error', async () => {
		expect(await canPull(answering(404, 'Not Found\n', 'Not Found\n'), 'r/mssql/server:2022-latest')).toBeUndefined();
	});

	it('doctor warns, with a way to find out, when the image is not here and the engine cannot say (not a pass)', async () => {
		const notFound = (text: string) => Object.assign(new Error(`(HTTP code 404) unexpected - ${text} `), {statusCode: 404, json: text});
		const docker = {
			getImage: () => ({
				// Not here…
				inspect: async () => {
					throw notFound('no such image');
				},
				// …and Podman's plain-text 404 for the registry question.
				distribution: async () => {
					throw notFound('Not Found\n');
				},
			}),
		} as unknown as DockerClient;
		const handle = {docker, settings: {registry: 'r'}} as unknown as EngineHandle;
		const check = await imageCheck(handle, presets.sqlserver);
		expect(check).toMatchObject({status: 'warn', detail: expect.stringContaining('the engine cannot say whether it can pull it') as unknown});
		expect(check.fix).toBe('Pull it now to find out: "dbarena images pull sqlserver" (the first create would pull it anyway).');
	});

	it('on dockerd, a registry without the image is a clear no in the registry’s words', async () => {
		const json = {message: 'manifest unknown: manifest unknown'};
		expect(await canPull(answering(404, json, json.message), 'r/mssql/server:2022-latest')).toEqual({ok: false, reason: json.message});
	});
});

describe('publishing on every address (--bind 0.0.0.0)', () => {
	function engine(component: string) {
		const specs: unknown[] = [];
		const docker = {
			version: async () => ({Components: [{Name: component}]}),
			createContainer: async (spec: unknown) => {
				specs.push(spec);
				return {id: 'c1'};
			},
		} as unknown as DockerClient;
		return {docker, specs};
	}
	const spec = {
		Image: 'postgres:16-alpine',
		HostConfig: {Memory: 1, PortBindings: {'5432/tcp': [{HostIp: '0.0.0.0', HostPort: '5432'}]}},
	};

	// Podman 4.3 (netavark 1.4) made rules that match only packets sent to 0.0.0.0: unreachable.
	it('is asked of Podman as an empty HostIp, its "every address"', async () => {
		const {docker, specs} = engine('Podman Engine');
		await createContainer(docker, spec);
		expect(specs).toEqual([{...spec, HostConfig: {Memory: 1, PortBindings: {'5432/tcp': [{HostIp: '', HostPort: '5432'}]}}}]);
	});

	it('is left as it is for dockerd, where 0.0.0.0 means IPv4 only', async () => {
		const {docker, specs} = engine('Engine');
		await createContainer(docker, spec);
		expect(specs).toEqual([spec]);
	});
});

describe('a container just killed', () => {
	// Between the kill and Podman's cleanup, inspect says "stopped" (seen 60 times in 1426
	// inspects around five kills here), with the exit code already set.
	it('is "exited", as dockerd says, with its exit code', async () => {
		const docker = {
			getContainer: () => ({inspect: async () => ({Id: 'c1', State: {Status: 'stopped', Running: false, ExitCode: 137}})}),
			listContainers: async () => [{Id: 'c1', Image: 'x', State: 'stopped'}],
		} as unknown as DockerClient;
		expect((await inspectContainer(docker, 'c1'))?.State).toEqual({Status: 'exited', Running: false, ExitCode: 137});
		expect((await listContainers(docker, {all: true, label: []}))[0]?.State).toBe('exited');
	});
});

describe('the archive of a paused container’s data directory', () => {
	// Podman (4.3) names its entries from the directory itself ("/", "/PG_VERSION"); dockerd, and
	// Podman for a running container, from its basename ("data/", "data/PG_VERSION").
	async function names(stream: Readable): Promise<string[]> {
		const extract = tarStream.extract();
		const read: string[] = [];
		const done = new Promise<void>((resolve, reject) => {
			extract.on('entry', (header, body, next) => {
				read.push(header.name);
				body.on('end', next);
				body.resume();
			});
			extract.on('finish', resolve);
			extract.on('error', reject);
			stream.on('error', reject);
		});
		stream.pipe(extract);
		await done;
		return read;
	}

	it('is moved to the snapshot data path like dockerd’s', async () => {
		const pack = tarStream.pack();
		pack.entry({name: '/', type: 'directory', mode: 0o700});
		pack.entry({name: '/PG_VERSION', mode: 0o600}, '16\n');
		pack.entry({name: '/base/', type: 'directory', mode: 0o700});
		pack.finalize();
		expect(await names(reroot(Readable.from(pack), 'data', '/var/lib/dbarena/pgdata'))).toEqual([
			'var/lib/dbarena/pgdata/',
			'var/lib/dbarena/pgdata/PG_VERSION',
			'var/lib/dbarena/pgdata/base/',
		]);
	});
});
