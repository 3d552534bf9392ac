import {docker, registry} from '../helpers/docker.js';

/**
 * Someone else's work on the same engine: a plain container (no labels of its own, an unrelated
 * name) created, started and removed over and over, with a named volume beside it. The fixture
 * image declares a VOLUME, so every container also brings an anonymous volume and takes it away.
 */
export type BusyLoop = {
	/** How many containers and volumes the loop has created or removed so far. */
	changes(): number;
	/** Errors the loop met (it keeps going; a test may want to see them). */
	errors(): string[];
	/** Stop the loop and remove whatever it still has on the engine. */
	stop(): Promise<void>;
};

export const busyImage = `${registry}/library/postgres:16-alpine`;

export function startBusyLoop(prefix: string): BusyLoop {
	let changes = 0;
	let running = true;
	const errors: string[] = [];
	const step = async (index: number) => {
		const name = `${prefix}-${index}`;
		const container = await docker.createContainer({name, Image: busyImage, Entrypoint: ['sleep'], Cmd: ['600']});
		changes++;
		await container.start();
		await docker.createVolume({Name: `${name}-vol`});
		changes++;
		await container.remove({force: true, v: true});
		changes++;
		await docker.getVolume(`${name}-vol`).remove();
		changes++;
	};
	const loop = (async () => {
		for (let index = 0; running; index++) {
			await step(index).catch((error: unknown) => {
				errors.push(String(error));
			});
		}
	})();
	return {
		changes: () => changes,
		errors: () => errors,
		async stop() {
			running = false;
			await loop;
			await removeLeftovers(prefix);
		},
	};
}

/** Everything named after the loop's prefix: what a failed step left behind. */
async function removeLeftovers(prefix: string): Promise<void> {
	const containers = await docker.listContainers({all: true, filters: {name: [prefix]}});
	await Promise.all(containers.map(async ({Id}) => docker.getContainer(Id).remove({force: true, v: true})));
	const {Volumes} = await docker.listVolumes({filters: {name: [prefix]}});
	await Promise.all((Volumes ?? []).map(async ({Name}) => docker.getVolume(Name).remove()));
}
