import type {DockerClient} from './client.js';
import {statusOf} from './client.js';
import {call} from './containers.js';

/** What the engine says about itself, in the few fields `doctor` reads. */
export type EngineFacts = {
	product: string;
	version: string;
	apiVersion: string;
	os: string;
	arch: string;
	rootless: boolean;
	dataRoot: string | undefined;
	/** The engine's clock, to compare with ours. */
	systemTime: Date | undefined;
};

type VersionReply = {Version?: string; ApiVersion?: string; Os?: string; Arch?: string; Components?: Array<{Name?: string}>};
type InfoReply = {SecurityOptions?: string[]; DockerRootDir?: string; SystemTime?: string; Name?: string};

export async function engineFacts(docker: DockerClient): Promise<EngineFacts> {
	const [version, info] = await Promise.all([
		call(async () => docker.version()) as Promise<VersionReply>,
		call(async () => docker.info()) as Promise<InfoReply>,
	]);
	// Podman's compatible API names itself in the components of its version reply.
	const podman = version.Components?.some(component => /podman/i.test(component.Name ?? '')) ?? false;
	const time = info.SystemTime ? new Date(info.SystemTime) : undefined;
	return {
		product: podman ? 'Podman' : 'Docker Engine',
		version: version.Version ?? '?',
		apiVersion: version.ApiVersion ?? '?',
		os: version.Os ?? '?',
		arch: version.Arch ?? '?',
		rootless: info.SecurityOptions?.some(option => option.includes('rootless')) ?? false,
		dataRoot: info.DockerRootDir,
		systemTime: time && !Number.isNaN(time.getTime()) ? time : undefined,
	};
}

/**
 * Whether the engine could pull this reference now: it asks the registry for the manifest
 * (GET /distribution/{name}/json) without pulling any layer. undefined: the engine has no such
 * endpoint (some compatible engines), so nothing can be said.
 */
export async function canPull(docker: DockerClient, reference: string): Promise<{ok: true} | {ok: false; reason: string} | undefined> {
	try {
		await call(async () => docker.getImage(reference).distribution());
		return {ok: true};
	} catch (error) {
		const status = statusOf(error);
		const json = (error as {json?: unknown}).json;
		const message = typeof json === 'object' && json !== null ? (json as {message?: unknown}).message : undefined;
		// A 404 without the engine's JSON error is a route the engine lacks (Podman 4 has no
		// /distribution; old dockerd said "404 page not found"), not an answer about the image.
		if (status === 404 && typeof message !== 'string') return undefined;
		const reason = typeof message === 'string' ? message : (error as Error).message;
		return {ok: false, reason};
	}
}
