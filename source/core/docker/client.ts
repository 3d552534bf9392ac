import type Docker from 'dockerode';
import {loadDockerode} from './dockerode.js';
import {DockerUnavailableError} from '../errors.js';
import {withRetry} from './retry.js';

/** The engine address as a user would write it, for messages. Honours DOCKER_HOST like the docker CLI. */
export function engineAddress(env: NodeJS.ProcessEnv = process.env): string {
	return env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock';
}

/**
 * A dockerode client for DOCKER_HOST (unix://, tcp://, ssh:// as docker-modem supports) or the
 * default socket. No API version is pinned: newer engines refuse old versions and older engines
 * (Debian's 20.10 speaks 1.41) refuse new ones, so the unversioned paths let the engine decide.
 */
export function createDocker(): Docker {
	const Dockerode = loadDockerode();
	return new Dockerode();
}

type ErrnoLike = {code?: string; message?: string; statusCode?: number};

/** True when an error means "the engine is not there" rather than "the engine said no". */
export function isUnavailable(error: unknown): boolean {
	const {code, message, statusCode} = (error ?? {}) as ErrnoLike;
	// An HTTP status means the engine answered. Its message can quote a user's name ("No such
	// container: db-timeout-1"), which the message patterns below must not mistake for a timeout.
	if (typeof statusCode === 'number') return false;
	return (
		code === 'ENOENT' ||
		code === 'ECONNREFUSED' ||
		code === 'EACCES' ||
		code === 'EHOSTUNREACH' ||
		code === 'ENOTFOUND' ||
		code === 'ETIMEDOUT' ||
		(typeof message === 'string' && /connect E\w+|timed? ?out/i.test(message))
	);
}

export function toUnavailable(error: unknown, address = engineAddress()): DockerUnavailableError {
	const {code, message} = (error ?? {}) as ErrnoLike;
	return new DockerUnavailableError(address, code ?? message, {cause: error});
}

/**
 * Check that the engine answers before doing work, failing within `timeoutMs` with a message
 * naming the address: a hang here would look like dbarena being slow, not Docker being down.
 */
export async function ensureEngine(docker: Docker, timeoutMs = 2000, address = engineAddress()): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			reject(new DockerUnavailableError(address, `no answer within ${timeoutMs / 1000}s`));
		}, timeoutMs);
	});
	try {
		// A dropped connection is retried like any API call; "nothing listens" fails at once.
		await Promise.race([withRetry(async () => docker.ping(), {baseDelayMs: 50}), timeout]);
	} catch (error) {
		if (error instanceof DockerUnavailableError) throw error;
		throw toUnavailable(error, address);
	} finally {
		clearTimeout(timer);
	}
}

/** The client type the rest of the core passes around without importing dockerode itself. */
export type DockerClient = Docker;

type StatusError = {statusCode?: number; json?: {message?: string}; message?: string};

/** The engine's own words for an API error ("Conflict. The container name ... is already in use"). */
export function engineMessage(error: unknown): string {
	const {json, message} = (error ?? {}) as StatusError;
	return json?.message ?? message ?? String(error);
}

export function statusOf(error: unknown): number | undefined {
	return (error as StatusError | undefined)?.statusCode;
}
