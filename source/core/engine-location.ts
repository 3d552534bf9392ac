import {createHash} from 'node:crypto';
import {existsSync, readFileSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {UsageError} from './errors.js';

/**
 * Where the container engine is, found the way the user's own tools find it: DOCKER_HOST, then
 * DOCKER_CONTEXT, then the docker CLI's current context, then the default socket, then the sockets
 * Podman, Colima, OrbStack, Rancher Desktop and Docker Desktop put in well-known places. "Could
 * not find a working container runtime" on exactly those setups is what users hold against
 * other tools; saying how the engine was found makes the rare wrong guess easy to see.
 */
export type EngineLocation = {
	/** unix://, tcp:// or ssh://, as a user would write it. */
	address: string;
	/** How it was found, in words ("DOCKER_HOST", "docker context \"colima\"", "Podman's rootful socket"…). */
	foundBy: string;
	/** Which rule found it, for --json. */
	source: 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'docker-context' | 'default-socket' | 'well-known-socket' | 'none';
	/** tcp:// with TLS: the certificates to use (from DOCKER_CERT_PATH or the context's TLS folder). */
	tls?: {verify: boolean; certPath: string};
	/** Every place looked at, in order, for the message when nothing answers. */
	tried: string[];
};

export type LocateOptions = {
	env?: NodeJS.ProcessEnv;
	home?: string;
	uid?: number;
	/** Whether a path is a unix socket (a test may point this at plain files). */
	isSocket?: (file: string) => boolean;
};

const defaultSocket = '/var/run/docker.sock';

function realIsSocket(file: string): boolean {
	try {
		return statSync(file).isSocket();
	} catch {
		return false;
	}
}

/** The docker CLI's configuration directory: DOCKER_CONFIG, else ~/.docker. */
function dockerConfigDir(env: NodeJS.ProcessEnv, home: string): string {
	return env['DOCKER_CONFIG'] && env['DOCKER_CONFIG'] !== '' ? env['DOCKER_CONFIG'] : path.join(home, '.docker');
}

type ContextEndpoint = {host: string; skipTlsVerify: boolean; tlsDir?: string};

/** A context's endpoint, as `docker context create` stores it (meta/<sha256 of the name>/meta.json). */
function readContext(configDir: string, name: string): ContextEndpoint | undefined {
	const id = createHash('sha256').update(name).digest('hex');
	const metaFile = path.join(configDir, 'contexts', 'meta', id, 'meta.json');
	let meta: unknown;
	try {
		meta = JSON.parse(readFileSync(metaFile, 'utf8'));
	} catch {
		return undefined;
	}
	const endpoint = (meta as {Endpoints?: {docker?: {Host?: unknown; SkipTLSVerify?: unknown}}}).Endpoints?.docker;
	if (typeof endpoint?.Host !== 'string' || endpoint.Host === '') return undefined;
	const tlsDir = path.join(configDir, 'contexts', 'tls', id, 'docker');
	return {host: endpoint.Host, skipTlsVerify: endpoint.SkipTLSVerify === true, ...(existsSync(tlsDir) ? {tlsDir} : {})};
}

function currentContext(configDir: string): string | undefined {
	try {
		const config = JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')) as {currentContext?: unknown};
		return typeof config.currentContext === 'string' && config.currentContext !== '' ? config.currentContext : undefined;
	} catch {
		return undefined;
	}
}

/** Sockets other engines leave in well-known places, in the order we try them. */
function wellKnownSockets(env: NodeJS.ProcessEnv, home: string, uid: number): Array<[string, string]> {
	const runtime = env['XDG_RUNTIME_DIR'] && env['XDG_RUNTIME_DIR'] !== '' ? env['XDG_RUNTIME_DIR'] : `/run/user/${uid}`;
	return [
		['/run/podman/podman.sock', "Podman's rootful socket"],
		[path.join(runtime, 'podman', 'podman.sock'), "Podman's rootless socket"],
		[path.join(home, '.colima', 'default', 'docker.sock'), "Colima's socket"],
		[path.join(home, '.colima', 'docker.sock'), "Colima's socket"],
		[path.join(home, '.orbstack', 'run', 'docker.sock'), "OrbStack's socket"],
		[path.join(home, '.rd', 'docker.sock'), "Rancher Desktop's socket"],
		[path.join(home, '.docker', 'run', 'docker.sock'), "Docker Desktop's socket"],
		[path.join(home, '.docker', 'desktop', 'docker.sock'), "Docker Desktop's socket"],
	];
}

function tlsFor(address: string, env: NodeJS.ProcessEnv, configDir: string): EngineLocation['tls'] {
	if (!address.startsWith('tcp://')) return undefined;
	const verify = env['DOCKER_TLS_VERIFY'] !== undefined && env['DOCKER_TLS_VERIFY'] !== '' && env['DOCKER_TLS_VERIFY'] !== '0';
	const certPath = env['DOCKER_CERT_PATH'] && env['DOCKER_CERT_PATH'] !== '' ? env['DOCKER_CERT_PATH'] : configDir;
	return verify ? {verify, certPath} : undefined;
}

function fromContext(configDir: string, name: string, source: 'DOCKER_CONTEXT' | 'docker-context', tried: string[]): EngineLocation | undefined {
	const where = source === 'DOCKER_CONTEXT' ? `DOCKER_CONTEXT=${name}` : `docker context "${name}" (current in ${path.join(configDir, 'config.json')})`;
	// "default" is the CLI's name for DOCKER_HOST or the default socket: nothing stored for it.
	if (name === 'default') return undefined;
	const endpoint = readContext(configDir, name);
	if (!endpoint) {
		throw new UsageError(
			`${where} names a docker context that does not exist in ${path.join(configDir, 'contexts')}. ` +
				'List them with "docker context ls", or unset it to use the default engine.',
			'unknown_context',
		);
	}
	tried.push(`${where}: ${endpoint.host}`);
	const tls = endpoint.host.startsWith('tcp://') && endpoint.tlsDir ? {verify: !endpoint.skipTlsVerify, certPath: endpoint.tlsDir} : undefined;
	return {address: endpoint.host, foundBy: where, source, ...(tls ? {tls} : {}), tried};
}

export function locateEngine(options: LocateOptions = {}): EngineLocation {
	const env = options.env ?? process.env;
	const home = options.home ?? homedir();
	const uid = options.uid ?? process.getuid?.() ?? 0;
	const isSocket = options.isSocket ?? realIsSocket;
	const configDir = dockerConfigDir(env, home);
	const tried: string[] = [];

	const host = env['DOCKER_HOST'];
	if (host !== undefined && host !== '') {
		const tls = tlsFor(host, env, configDir);
		return {address: host, foundBy: 'DOCKER_HOST', source: 'DOCKER_HOST', ...(tls ? {tls} : {}), tried: [`DOCKER_HOST=${host}`]};
	}
	tried.push('DOCKER_HOST (unset)');
	const named = env['DOCKER_CONTEXT'];
	if (named !== undefined && named !== '') {
		const found = fromContext(configDir, named, 'DOCKER_CONTEXT', tried);
		if (found) return found;
	} else {
		const current = currentContext(configDir);
		const found = current ? fromContext(configDir, current, 'docker-context', tried) : undefined;
		if (found) return found;
		tried.push(current ? `docker context "${current}" (the default engine)` : `no current docker context in ${configDir}`);
	}
	if (isSocket(defaultSocket)) return {address: `unix://${defaultSocket}`, foundBy: 'the default socket', source: 'default-socket', tried};
	tried.push(defaultSocket);
	for (const [socket, what] of wellKnownSockets(env, home, uid)) {
		if (isSocket(socket)) return {address: `unix://${socket}`, foundBy: what, source: 'well-known-socket', tried};
		tried.push(socket);
	}
	// Nothing anywhere: the default address, so the error names where an engine is expected.
	return {address: `unix://${defaultSocket}`, foundBy: 'nothing found; the default socket', source: 'none', tried};
}
