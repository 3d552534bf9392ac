import type {DockerClient} from './client.js';
import {statusOf} from './client.js';
import {call} from './containers.js';
import {identityOf, type EngineIdentity, type VersionDocument} from './engine-kind.js';

export type {EngineIdentity};

/** What the engine says about itself, in the few fields `doctor` reads. */
export type EngineFacts = EngineIdentity & {
	apiVersion: string;
	os: string;
	arch: string;
	rootless: boolean;
	dataRoot: string | undefined;
	/** The engine's clock, to compare with ours. */
	systemTime: Date | undefined;
};

type VersionReply = VersionDocument & {ApiVersion?: string; Os?: string; Arch?: string};
type InfoReply = {SecurityOptions?: string[]; DockerRootDir?: string; SystemTime?: string; Name?: string};

/** One version request; asked afresh each time, since an engine that restarted may be another one. */
export async function engineIdentity(docker: DockerClient): Promise<EngineIdentity> {
	return identityOf((await call(async () => docker.version())) as VersionReply);
}

export async function engineFacts(docker: DockerClient): Promise<EngineFacts> {
	const [version, info] = await Promise.all([
		call(async () => docker.version()) as Promise<VersionReply>,
		call(async () => docker.info()) as Promise<InfoReply>,
	]);
	const time = info.SystemTime ? new Date(info.SystemTime) : undefined;
	return {
		...identityOf(version),
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
