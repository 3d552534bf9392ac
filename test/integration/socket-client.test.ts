import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createDocker} from '../../source/core/docker/client.js';
import {locateEngine} from '../../source/core/engine-location.js';
import {buildCli, cli, removeAll, uniqueName} from './cli-helpers.js';
import {docker, ensureImage, registry, testLabel} from '../helpers/docker.js';

// The socket client answers the hot calls itself; here it must answer as dockerode does, against
// the real engine (and, in the podman project, against Podman's API).
const fast = createDocker(locateEngine());
// Small scripts in the PostgreSQL fixture image stand in for a database: this is the plumbing.
const image = `${registry}/library/postgres:15-alpine`;
const name = uniqueName('sock');
const cliDb = uniqueName('sock-cli');

/** What two clients said, the same way: the value, or the error's status and the engine's JSON. */
async function answer(call: () => Promise<unknown>): Promise<unknown> {
	try {
		return {value: await call()};
	} catch (error) {
		const {statusCode, json, reason} = error as {statusCode?: number; json?: unknown; reason?: string};
		return {statusCode, json, reason};
	}
}

beforeAll(async () => {
	await ensureImage(image);
	await docker.createContainer({name, Image: image, Labels: {[testLabel.split('=')[0]!]: 'true', 'dbarena.sock-test': name}});
});

afterAll(async () => {
	await docker
		.getContainer(name)
		.remove({force: true, v: true})
		.catch(() => undefined);
	await removeAll([cliDb]);
});

describe('the socket client against the real engine', () => {
	it('is not dockerode itself, yet inspects a container, an image and a missing one as dockerode does', async () => {
		expect(fast.constructor.name).not.toBe('Docker');
		expect(await answer(async () => fast.getContainer(name).inspect())).toEqual(await answer(async () => docker.getContainer(name).inspect()));
		expect(await answer(async () => fast.getImage(image).inspect())).toEqual(await answer(async () => docker.getImage(image).inspect()));
		const missing = await answer(async () => fast.getContainer(`${name}-missing`).inspect());
		expect(missing).toEqual(await answer(async () => docker.getContainer(`${name}-missing`).inspect()));
		expect(missing).toMatchObject({statusCode: 404, reason: 'no such container'});
		expect(await answer(async () => fast.getImage(`${registry}/no-such-image:1`).inspect())).toMatchObject({statusCode: 404});
	});

	it('lists with label filters as dockerode does', async () => {
		const filters = {label: [`dbarena.sock-test=${name}`]};
		const mine = await fast.listContainers({all: true, filters});
		expect(mine.map(container => container.Names)).toEqual([[`/${name}`]]);
		expect(mine).toEqual(await docker.listContainers({all: true, filters}));
		expect(await fast.listContainers({all: false, filters})).toEqual([]);
	});

	it('refuses a taken name as dockerode does, and starts, stops and removes', async () => {
		const taken = await answer(async () => fast.createContainer({name, Image: image}));
		// dockerd says 409; Podman 4.3 says 500. The same either way.
		expect(taken).toEqual(await answer(async () => docker.createContainer({name, Image: image})));
		expect([409, 500]).toContain((taken as {statusCode: number}).statusCode);
		expect((taken as {json: {message: string}}).json.message).toContain(name);
		const other = await fast.createContainer({name: `${name}-2`, Image: image, Labels: {[testLabel.split('=')[0]!]: 'true'}, Entrypoint: ['sleep', '60']});
		try {
			await fast.getContainer(other.id).start();
			expect((await docker.getContainer(other.id).inspect()).State.Running).toBe(true);
			// A second start: the 304 that startContainer takes as "already running".
			expect(await answer(async () => fast.getContainer(other.id).start())).toMatchObject({statusCode: 304});
			// One-shot stats, the dashboard's polls: the same shape as dockerode's (the figures move).
			const oneShot = {stream: false, 'one-shot': true} as {stream: false};
			const [mine, theirs] = await Promise.all([fast.getContainer(other.id).stats(oneShot), docker.getContainer(other.id).stats(oneShot)]);
			expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).sort());
			expect(mine.memory_stats.usage).toBeGreaterThan(0);
			expect(mine.cpu_stats.cpu_usage.total_usage).toBeGreaterThan(0);
			// Podman's 404 here has an empty body, which dockerode keeps as a Buffer and we as text.
			const {statusCode, reason} = (await answer(async () => docker.getContainer(`${name}-missing`).stats(oneShot))) as {statusCode: number; reason: string};
			expect(await answer(async () => fast.getContainer(`${name}-missing`).stats(oneShot))).toMatchObject({statusCode, reason});
			await fast.getContainer(other.id).stop({t: 0});
			expect((await docker.getContainer(other.id).inspect()).State.Running).toBe(false);
		} finally {
			await fast.getContainer(other.id).remove({force: true, v: true});
		}
		expect(await answer(async () => docker.getContainer(other.id).inspect())).toMatchObject({statusCode: 404});
	});

	it('follows a log as dockerode does: the same framed bytes, live, ending when the container stops; a missing one is the same 404', async () => {
		const talker = await fast.createContainer({
			name: `${name}-log`,
			Image: image,
			Labels: {[testLabel.split('=')[0]!]: 'true'},
			Entrypoint: ['sh', '-c', 'echo one; echo err >&2; sleep 0.5; echo two; sleep 1; echo three'],
		});
		const read = async (stream: NodeJS.ReadableStream, until?: string) =>
			new Promise<Buffer>((resolve, reject) => {
				const chunks: Buffer[] = [];
				stream.on('data', (chunk: Buffer) => {
					chunks.push(chunk);
					if (until && Buffer.concat(chunks).includes(until)) resolve(Buffer.concat(chunks));
				});
				stream.on('end', () => resolve(Buffer.concat(chunks)));
				stream.on('error', reject);
			});
		try {
			const options = {follow: true, stdout: true, stderr: true} as const;
			// Started first: a follow on a container that is not running ends at once, for both.
			await fast.getContainer(talker.id).start();
			const [mine, theirs] = await Promise.all([fast.getContainer(talker.id).logs(options), docker.getContainer(talker.id).logs(options)]);
			// Live: "two" arrives while the container still runs (it ends a second later).
			const early = await read(mine, 'two');
			expect((await docker.getContainer(talker.id).inspect()).State.Running).toBe(true);
			expect(early.toString('latin1')).toContain('one');
			const [rest, all] = await Promise.all([read(mine), read(theirs)]);
			expect(Buffer.concat([early, rest])).toEqual(all);
			expect(all.toString('latin1')).toContain('three');
			const missing = {follow: true, stdout: true} as const;
			const {statusCode, reason} = (await answer(async () => docker.getContainer(`${name}-missing`).logs(missing))) as {statusCode: number; reason: string};
			expect(await answer(async () => fast.getContainer(`${name}-missing`).logs(missing))).toMatchObject({statusCode, reason});
		} finally {
			await fast.getContainer(talker.id).remove({force: true, v: true});
		}
	});
});

describe('a CLI create', () => {
	beforeAll(async () => {
		await buildCli();
	});

	it('never loads dockerode: creates, starts and follows the log for readiness on the plain socket', async () => {
		const created = await cli(['create', 'postgres', '--version', '16', '--name', cliDb, '--json'], {env: {DBARENA_TRACE: '1'}});
		expect(created.code, created.stderr).toBe(0);
		const phases = created.stderr
			.split('\n')
			.filter(line => line.startsWith('trace'))
			.map(line => line.replace(/^trace\s+[\d.]+ ms\s+\+\s+[\d.]+ ms\s+/, ''));
		const at = (phase: string) => phases.findIndex(line => line.startsWith(phase));
		expect(at('container created')).toBeGreaterThan(-1);
		expect(at('ready')).toBeGreaterThan(at('container created'));
		expect(at('dockerode loaded'), phases.join('\n')).toBe(-1);
	});
});
