import {tracePhase} from '../trace.js';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import {locateEngine, type EngineLocation} from '../engine-location.js';
import {loadDockerode} from './dockerode.js';
import {socketClient} from './socket-client.js';
import {DockerUnavailableError} from '../errors.js';
import {withRetry} from './retry.js';
import {tlsProblem} from './tls-errors.js';

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
 * A dockerode client for the engine's location (unix://, tcp:// with or without TLS). An ssh://
 * engine is reached through a local socket that forwards over one SSH connection (remote.ts),
 * whose path is given here as `socketPath`. No API version is pinned: newer engines refuse old
 * versions and older engines (Debian's 20.10 speaks 1.41) refuse new ones, so the unversioned
 * paths let it decide.
 */
export function createDocker(location: EngineLocation = locateEngine(), socketPath?: string): Docker {
	const dockerode = (options?: Docker.DockerOptions): Docker => {
		const Dockerode = loadDockerode();
		tracePhase('dockerode loaded');
		return new Dockerode(options);
	};
	if (socketPath !== undefined) {
		// docker-modem reads DOCKER_HOST itself and would take its ssh:// host over socketPath:
		// the host, port and protocol it read are cleared on purpose.
		return socketClient(socketPath, () => dockerode({socketPath, host: undefined, port: undefined, protocol: 'http', username: undefined}));
	}
	const url = new URL(location.address);
	const tls = location.tls;
	if (url.protocol === 'unix:') return socketClient(url.pathname, () => dockerode({socketPath: url.pathname}));
	// docker-modem reads DOCKER_HOST itself, as the CLI does; TLS is set up here, as the CLI reads
	// DOCKER_TLS_VERIFY (any non-empty value but 0, where docker-modem only knows "1").
	if (location.source === 'DOCKER_HOST' && !(url.protocol === 'tcp:' && tls)) return dockerode();
	const port = url.port === '' ? undefined : Number(url.port);
	if (!tls) return dockerode({protocol: 'http', host: url.hostname, port: port ?? 2375});
	const [ca, cert, key] = readCertificates(location.address, tls.certPath);
	return dockerode({
		protocol: 'https',
		host: url.hostname,
		port: port ?? 2376,
		ca,
		cert,
		key,
		// A context stored with SkipTLSVerify still talks TLS, without checking the server's name.
		...(tls.verify ? {} : {checkServerIdentity: () => undefined}),
	});
}

/** ca.pem, cert.pem and key.pem from the certificate folder, or an error naming what is missing. */
function readCertificates(address: string, certPath: string): [Buffer, Buffer, Buffer] {
	const names = ['ca.pem', 'cert.pem', 'key.pem'] as const;
	const read = names.map(name => {
		try {
			return readFileSync(path.join(certPath, name));
		} catch (error) {
			return (error as NodeJS.ErrnoException).code ?? 'unreadable';
		}
	});
	const missing = names.filter((_, index) => typeof read[index] === 'string');
	if (missing.length > 0) {
		throw new DockerUnavailableError(address, undefined, {
			code: 'engine_access_denied',
			message:
				`TLS is asked for (DOCKER_TLS_VERIFY), but ${missing.join(', ')} cannot be read in ${certPath}. ` +
				'Set DOCKER_CERT_PATH to the folder with the CA, client certificate and key made for this engine.',
		});
	}
	return read as [Buffer, Buffer, Buffer];
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
		throw tlsProblem(error, location) ?? toUnavailable(error, location);
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
