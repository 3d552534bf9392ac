import {createDocker, ensureEngine, type DockerClient} from './docker/client.js';
import {locateEngine, type EngineLocation} from './engine-location.js';
import {loadSettings, type Settings} from './config.js';

/**
 * What every core module needs to reach the container engine: the client, the user's settings and
 * a once-per-process reachability check. Modules take this rather than the whole ContainerManager,
 * so templates, snapshots and volumes do not depend on the lifecycle that uses them.
 */
export type EngineHandle = {
	readonly docker: DockerClient;
	readonly settings: Settings;
	/** The engine's address as a user would write it, for messages. */
	readonly address: string;
	/** Where the engine was found and how (DOCKER_HOST, a docker context, a well-known socket…). */
	readonly location: EngineLocation;
	/** Fail fast (within 2 s) with the engine's address when it is not there; checked once. */
	ensureEngine(): Promise<void>;
};

export function openEngine(options: {docker?: DockerClient; settings?: Settings; location?: EngineLocation} = {}): EngineHandle {
	const location = options.location ?? locateEngine();
	const docker = options.docker ?? createDocker(location);
	const {address} = location;
	let checked: Promise<void> | undefined;
	return {
		docker,
		settings: options.settings ?? loadSettings(),
		address,
		location,
		async ensureEngine() {
			// A failed check is not remembered: the engine may be up on the next call.
			checked ??= ensureEngine(docker, 2000, location).catch((error: unknown) => {
				checked = undefined;
				throw error;
			});
			return checked;
		},
	};
}
