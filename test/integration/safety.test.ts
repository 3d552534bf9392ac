import {createFrom} from '../helpers/create-from.js';
import {describe, expect, it} from 'vitest';
import {ConfirmationRequiredError, UsageError} from '../../source/core/errors.js';
import {listCachedImages, pruneImages} from '../../source/core/image-cache.js';
import {ContainerManager} from '../../source/core/lifecycle.js';
import {listManagedVolumes, removeManagedVolumes} from '../../source/core/volume-store.js';
import {testArena} from '../helpers/arena.js';
import {docker, registry} from '../helpers/docker.js';

const {manager, name, track} = testArena('safe');

async function exists(kind: 'container' | 'volume', id: string): Promise<boolean> {
	const target = kind === 'container' ? docker.getContainer(id) : docker.getVolume(id);
	return target.inspect().then(
		() => true,
		() => false,
	);
}

describe('dbarena never acts on what it does not manage, and never loses a volume unasked', () => {
	it('refuses every operation on a container it does not manage, and leaves it alone', async () => {
		const foreign = track(`t-safe-foreign-${Math.random().toString(16).slice(2, 6)}`);
		await docker
			.createContainer({name: foreign, Image: `${registry}/library/postgres:16-alpine`, Entrypoint: ['sleep', '300'], Labels: {'dbarena.test': 'true'}})
			.then(async container => container.start());
		for (const operation of [
			async () => manager.stop(foreign),
			async () => manager.start(foreign),
			async () => manager.restart(foreign),
			async () => manager.destroy(foreign),
			async () => manager.reset(foreign, {confirmVolumeRemoval: true}),
			async () => manager.inspect(foreign),
		]) {
			await expect(operation()).rejects.toThrow(/not managed by dbarena/);
		}
		expect((await docker.getContainer(foreign).inspect()).State.Running).toBe(true);
		expect((await manager.list({all: true})).map(container => container.name)).not.toContain(foreign);
	});

	it('a persistent volume made by another dbarena process survives destroy, volumes rm without confirmation, and images prune', async () => {
		const containerName = name('vol');
		// Another process (another manager) made it.
		await createFrom(new ContainerManager(), {database: 'postgres', version: '16', name: containerName, mode: 'persistent'});
		const volume = `${containerName}-data`;
		await expect(removeManagedVolumes(manager.engine, [volume], {confirmed: true})).rejects.toThrow(/in use by/);
		await manager.destroy(containerName);
		expect(await exists('volume', volume)).toBe(true);
		expect((await listManagedVolumes(manager.engine)).find(entry => entry.name === volume)).toMatchObject({
			database: 'postgres',
			version: '16',
			usedBy: [],
			createdFor: containerName,
		});
		await expect(removeManagedVolumes(manager.engine, [volume], {confirmed: false})).rejects.toThrow(ConfirmationRequiredError);
		expect(await exists('volume', volume)).toBe(true);
		// Pruning images never touches volumes (and asks before removing images).
		// (Unconfirmed, so it removes nothing: other tests running now need the cached images.)
		await pruneImages(manager.engine, {confirmed: false}).catch((error: unknown) => {
			expect(error).toBeInstanceOf(ConfirmationRequiredError);
		});
		expect(await exists('volume', volume)).toBe(true);
		expect(await removeManagedVolumes(manager.engine, [volume], {confirmed: true})).toEqual([volume]);
		expect(await exists('volume', volume)).toBe(false);
	});

	it('volumes rm refuses a volume it does not manage', async () => {
		const foreign = track(`t-safe-vol-${Math.random().toString(16).slice(2, 6)}`);
		await docker.createVolume({Name: `${foreign}-data`});
		await expect(removeManagedVolumes(manager.engine, [`${foreign}-data`], {confirmed: true})).rejects.toThrow(UsageError);
		expect(await exists('volume', `${foreign}-data`)).toBe(true);
	});

	it('images list shows cached preset images and which are in use; prune keeps those in use', async () => {
		const containerName = name('img');
		await createFrom(manager, {database: 'postgres', version: '16', name: containerName, noTemplate: true});
		const cached = await listCachedImages(manager.engine);
		const pg16 = cached.find(image => image.reference === `${registry}/library/postgres:16-alpine`);
		expect(pg16).toMatchObject({database: 'postgres', version: '16'});
		expect(pg16!.usedBy).toBeGreaterThan(0);
		// Templates and snapshots are never listed (nor pruned) as plain images.
		expect(cached.some(image => image.reference.startsWith('dbarena-'))).toBe(false);
	});
});
