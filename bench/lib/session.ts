import {randomBytes} from 'node:crypto';
import {docker, removeForce} from './docker.js';

/**
 * Everything one bench run creates carries its session id: containers it starts itself get the
 * labels below; containers dbarena creates for it get names with the session prefix. Cleanup
 * removes exactly those and nothing else on the machine.
 */
export const session = randomBytes(3).toString('hex');
export const namePrefix = `dbb-${session}-`;
export const labels: Record<string, string> = {'dbarena.bench': 'true', 'dbarena.bench.session': session};

let counter = 0;
const tracked = new Set<string>();

/** A fresh container name for this session, tracked for cleanup. */
export function containerName(tag: string): string {
	counter += 1;
	const name = `${namePrefix}${tag}-${counter}`;
	tracked.add(name);
	return name;
}

/** Track something created under a name or id we did not choose (testcontainers, parallel creates). */
export function track(nameOrId: string): void {
	tracked.add(nameOrId);
}

export function labelArgs(): string[] {
	return Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
}

/** Remove one container now (the cases clean up right after each measurement). */
export async function discard(nameOrId: string): Promise<void> {
	await removeForce(nameOrId);
	tracked.delete(nameOrId);
}

/** Remove everything of this session: tracked names, our labels, our name prefix. */
export async function cleanupSession(): Promise<string[]> {
	const removed: string[] = [];
	const all = await docker.listContainers({all: true});
	const ours = all.filter(
		container => container.Labels?.['dbarena.bench.session'] === session || container.Names.some(name => name.startsWith(`/${namePrefix}`)),
	);
	const targets = new Set([...tracked, ...ours.map(container => container.Id)]);
	for (const target of targets) {
		try {
			await removeForce(target);
			removed.push(target);
		} catch {
			// Keep going: one stuck container must not leave the others behind.
		}
	}
	tracked.clear();
	// dbarena may have made volumes for our names (only in persistent mode, which the bench does not use).
	const {Volumes: volumes} = await docker.listVolumes();
	for (const volume of volumes ?? []) {
		if (volume.Name.startsWith(namePrefix) || volume.Labels?.['dbarena.bench.session'] === session) {
			await docker
				.getVolume(volume.Name)
				.remove()
				.catch(() => {});
		}
	}
	return removed;
}
