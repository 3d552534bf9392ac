import {PassThrough} from 'node:stream';
import type {ContainerCreateOptions, ContainerInfo, ContainerInspectInfo} from 'dockerode';
import type {DockerClient} from './client.js';
import {engineMessage, isUnavailable, statusOf, toUnavailable} from './client.js';
import {engineKind} from './engine-kind.js';
import {familiarReference} from './image-names.js';
import {isConnectionLoss, withRetry, type RetryOptions} from './retry.js';

export type {ContainerCreateOptions, ContainerInfo, ContainerInspectInfo};

/** Run an API call with retries, turning "engine not there" into the typed error. */
export async function call<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
	try {
		return await withRetry(operation, options);
	} catch (error) {
		if (isUnavailable(error)) throw toUnavailable(error);
		throw error;
	}
}

/**
 * Podman (4.3) reports a container it has killed but not yet cleaned up as "stopped", a state
 * dockerd does not have; its exit code is already there. dockerd calls that "exited", and so does
 * every consumer here (the dashboard waited for "exited" that no further event would bring).
 */
function dockerState(state: string): string {
	return state === 'stopped' ? 'exited' : state;
}

export async function inspectContainer(docker: DockerClient, nameOrId: string): Promise<ContainerInspectInfo | undefined> {
	try {
		const info = await call(async () => docker.getContainer(nameOrId).inspect());
		return {...info, State: {...info.State, Status: dockerState(info.State.Status)}};
	} catch (error) {
		if (statusOf(error) === 404) return undefined;
		throw error;
	}
}

export async function listContainers(docker: DockerClient, options: {all: boolean; label: string[]; volume?: string}): Promise<ContainerInfo[]> {
	const filters = {label: options.label, ...(options.volume === undefined ? {} : {volume: [options.volume]})};
	const containers = await call(async () => docker.listContainers({all: options.all, filters}));
	return containers.map(container => ({...container, Image: familiarReference(container.Image), State: dockerState(container.State)}));
}

export async function createContainer(docker: DockerClient, spec: ContainerCreateOptions): Promise<string> {
	const container = await call(async () => docker.createContainer(await forEngine(docker, spec)));
	return container.id;
}

/**
 * Podman 4.3 (netavark 1.4) takes a published port's HostIp "0.0.0.0" literally: its forwarding
 * rules then match only packets sent to the address 0.0.0.0, and the database is reachable
 * nowhere (its logins time out) while the port shows as published. An empty HostIp is Podman's
 * (and the API's) "every address" and works; dockerd keeps the 0.0.0.0 it was given, which there
 * means IPv4 only, where "" would also publish on IPv6.
 */
async function forEngine(docker: DockerClient, spec: ContainerCreateOptions): Promise<ContainerCreateOptions> {
	const bindings = spec.HostConfig?.PortBindings as Record<string, Array<{HostIp?: string; HostPort?: string}>> | undefined;
	const anyAddress = Object.values(bindings ?? {}).some(list => list.some(binding => binding.HostIp === '0.0.0.0'));
	if (!anyAddress || (await engineKind(docker)) !== 'podman') return spec;
	const everywhere = Object.fromEntries(
		Object.entries(bindings!).map(([port, list]) => [port, list.map(binding => (binding.HostIp === '0.0.0.0' ? {...binding, HostIp: ''} : binding))]),
	);
	return {...spec, HostConfig: {...spec.HostConfig, PortBindings: everywhere}};
}

export async function startContainer(docker: DockerClient, id: string): Promise<void> {
	try {
		// A 500 from a start is the runtime refusing it (a port taken, a limit it may not set): the
		// same request gets the same answer. Only a request that got no answer at all is sent again.
		await call(async () => docker.getContainer(id).start(), {retryable: isConnectionLoss});
	} catch (error) {
		if (statusOf(error) === 304) return; // already running
		throw error;
	}
}

export async function unpauseContainer(docker: DockerClient, id: string): Promise<void> {
	await call(async () => docker.getContainer(id).unpause());
}

/**
 * How long a stop waits for the server to shut down before killing it, when the caller does not
 * say: dockerd's own default. Always sent, because Podman (4.3) takes a missing value as 0 and
 * kills at once: exit code 137 and a server that never shut down cleanly.
 */
export const defaultStopSeconds = 10;

export async function stopContainer(docker: DockerClient, id: string, timeoutSeconds = defaultStopSeconds): Promise<void> {
	try {
		await call(async () => docker.getContainer(id).stop({t: timeoutSeconds}));
	} catch (error) {
		if (statusOf(error) === 304) return; // already stopped
		throw error;
	}
}

export async function restartContainer(docker: DockerClient, id: string, timeoutSeconds = defaultStopSeconds): Promise<void> {
	await call(async () => docker.getContainer(id).restart({t: timeoutSeconds}));
}

/** What Podman puts into every container's environment besides the image's and the user's. */
const podmanMarker = 'container=podman';
const podmanAdded = /^(HOSTNAME|HOME|TERM)=/;

/**
 * The entries of a container's environment that its creator gave: neither the image's own nor
 * what the engine added. dockerd adds nothing to the configured environment; Podman adds
 * container=podman, HOSTNAME, HOME and TERM (from its containers.conf), which are dropped when
 * that marker is there (a HOME or TERM a user set on Podman goes with them).
 */
export function userEnvironment(env: string[], imageEnv: string[]): string[] {
	const image = new Set(imageEnv);
	const podman = env.includes(podmanMarker);
	return env.filter(entry => !image.has(entry) && !(podman && (entry === podmanMarker || podmanAdded.test(entry))));
}

/** Remove with its anonymous volumes; named volumes are never touched here. */
export async function removeContainer(docker: DockerClient, id: string): Promise<void> {
	try {
		await call(async () => docker.getContainer(id).remove({force: true, v: true}));
	} catch (error) {
		// Already gone, or being removed by someone else: the outcome the caller wanted.
		if (statusOf(error) === 404 || (statusOf(error) === 409 && /already in progress/i.test(engineMessage(error)))) return;
		throw error;
	}
}

export type ExecResult = {exitCode: number; stdout: string; stderr: string};

/** Run a command in a running container and collect its output and exit code. */
export async function execInContainer(
	docker: DockerClient,
	id: string,
	command: string[],
	env: string[] = [],
	options: {user?: string} = {},
): Promise<ExecResult> {
	const exec = await call(async () =>
		docker.getContainer(id).exec({
			Cmd: command,
			AttachStdout: true,
			AttachStderr: true,
			...(env.length > 0 ? {Env: env} : {}),
			...(options.user ? {User: options.user} : {}),
		}),
	);
	const stream = await exec.start({hijack: true, stdin: false});
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	stdout.on('data', (chunk: Buffer) => out.push(chunk));
	stderr.on('data', (chunk: Buffer) => err.push(chunk));
	docker.modem.demuxStream(stream, stdout, stderr);
	await new Promise<void>((resolve, reject) => {
		stream.on('end', resolve);
		stream.on('close', resolve);
		stream.on('error', reject);
	});
	const {ExitCode: exitCode} = await exec.inspect();
	return {exitCode: exitCode ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8')};
}
