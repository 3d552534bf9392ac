import {tracePhase} from '../trace.js';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import {locateEngine, type EngineLocation} from '../engine-location.js';
import {loadDockerode} from './dockerode.js';
import {DockerUnavailableError} from '../errors.js';
import {withRetry} from './retry.js';

/** Where the engine is, or (when a named context does not exist) the default, for messages. */
function locateQuietly(env: NodeJS.ProcessEnv): EngineLocation {
	try {
		return locateEngine({env});
	} catch {
		return {address: 'unix:///var/run/docker.sock', foundBy: 'the default socket', source: 'default-socket', tried: []};
	}
}

/** The engine address as a user would write it, for messages; found as the docker CLI finds it. */
export function engineAddress(env: NodeJS.ProcessEnv = process.env): string {
	return locateQuietly(env).address;
}

/**
 * A dockerode client for the engine's location (unix://, tcp:// with or without TLS, ssh:// as
 * docker-modem supports). No API version is pinned: newer engines refuse old versions and older
 * engines (Debian's 20.10 speaks 1.41) refuse new ones, so the unversioned paths let it decide.
 */
export function createDocker(location: EngineLocation = locateEngine()): Docker {
	const Dockerode = loadDockerode();
	tracePhase('dockerode loaded');
	// docker-modem reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH itself, as the CLI does.
	if (location.source === 'DOCKER_HOST') return new Dockerode();
	const url = new URL(location.address);
	if (url.protocol === 'unix:') return new Dockerode({socketPath: url.pathname});
	const port = url.port === '' ? undefined : Number(url.port);
	if (url.protocol === 'ssh:') {
		return new Dockerode({protocol: 'ssh', host: url.hostname, ...(port ? {port} : {}), ...(url.username ? {username: url.username} : {})});
	}
	const tls = location.tls;
	if (!tls) return new Dockerode({protocol: 'http', host: url.hostname, port: port ?? 2375});
	const read = (file: string) => readFileSync(path.join(tls.certPath, file));
	return new Dockerode({
		protocol: 'https',
		host: url.hostname,
		port: port ?? 2376,
		ca: read('ca.pem'),
		cert: read('cert.pem'),
		key: read('key.pem'),
		// A context stored with SkipTLSVerify still talks TLS, without checking the server's name.
		...(tls.verify ? {} : {checkServerIdentity: () => undefined}),
	});
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

export function toUnavailable(error: unknown, location: EngineLocation | string = locateQuietly(process.env)): DockerUnavailableError {
	const {code, message} = (error ?? {}) as ErrnoLike;
	return unavailable(location, code ?? message, error);
}

function unavailable(location: EngineLocation | string, detail: string | undefined, cause?: unknown): DockerUnavailableError {
	if (typeof location === 'string') return new DockerUnavailableError(location, detail, cause === undefined ? undefined : {cause});
	const where = {foundBy: location.foundBy, tried: location.tried, nothingFound: location.source === 'none'};
	return new DockerUnavailableError(location.address, detail, cause === undefined ? undefined : {cause}, where);
}

/**
 * Check that the engine answers before doing work, failing within `timeoutMs` with a message
 * naming the address: a hang here would look like dbarena being slow, not Docker being down.
 */
export async function ensureEngine(docker: Docker, timeoutMs = 2000, location: EngineLocation | string = locateQuietly(process.env)): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			reject(unavailable(location, `no answer within ${timeoutMs / 1000}s`));
		}, timeoutMs);
	});
	try {
		// A dropped connection is retried like any API call; "nothing listens" fails at once.
		await Promise.race([withRetry(async () => docker.ping(), {baseDelayMs: 50}), timeout]);
		tracePhase('engine answered (ping)');
	} catch (error) {
		if (error instanceof DockerUnavailableError) throw error;
		throw toUnavailable(error, location);
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
