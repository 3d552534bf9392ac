import {afterAll} from 'vitest';
import {ContainerManager} from '../../source/core/lifecycle.js';
import {removeContainers, removeVolumes} from './docker.js';

/** A manager for tests, and a cleanup that removes whatever a test file made, even on failure. */
export function testArena(prefix: string): {manager: ContainerManager; name: (suffix: string) => string; track: (name: string) => string} {
	const manager = new ContainerManager();
	const names: string[] = [];
	const run = Math.random().toString(16).slice(2, 6);
	afterAll(async () => {
		await removeContainers(names);
		await removeVolumes(names.map(name => `${name}-data`));
	});
	const track = (name: string) => {
		names.push(name);
		return name;
	};
	return {manager, track, name: suffix => track(`t-${prefix}-${run}-${suffix}`)};
}
