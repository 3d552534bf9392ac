import {createDocker, ensureEngine, type DockerClient} from './docker/client.js';
import type {LocalForward} from './docker/local-forward.js';
import {openSshEngine, type SshEngine} from './docker/remote.js';
import {locateEngine, type EngineLocation} from './engine-location.js';
import {engineReach, type EngineReach} from './engine-reach.js';
import {loadSettings, type Settings} from './config.js';
import {DockerUnavailableError, OperationError, PortInUseError} from './errors.js';
import type {ConnectionInfo} from './types.js';

/** A local port forwarded to a database on the engine's host, until closed. */
export type Tunnel = {
	/** The local end: 127.0.0.1 and the forwarded port. */
	host: string;
	port: number;
	close(): Promise<void>;
};

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
	/** Whether published ports are on this machine, on a tcp:// engine's host, or behind SSH. */
	readonly reach: EngineReach;
	/** Fail fast (within 2 s; an SSH login within 10 s) with the engine's address when it is not there; checked once. */
	ensureEngine(): Promise<void>;
	/**
	 * Where a client on this machine connects to log in to `connection`: the connection itself, or
	 * (a database on an ssh:// engine host's 127.0.0.1) a local forward over the SSH connection,
	 * kept until close(). Readiness probes, CDC reads and reset's WAL work all log in through this.
	 */
	reachable(connection: ConnectionInfo): Promise<ConnectionInfo>;
	/** Forward a local port (0 or absent: any free one) on 127.0.0.1 to a database on an ssh:// engine's host. */
	openTunnel(connection: ConnectionInfo, options?: {port?: number}): Promise<Tunnel>;
	/** End the SSH connection and its forwards (nothing to do for a local engine). */
	close(): Promise<void>;
};

export function openEngine(options: {docker?: DockerClient; settings?: Settings; location?: EngineLocation} = {}): EngineHandle {
	const location = options.location ?? locateEngine();
	const reach = engineReach(location.address);
	const ssh: SshEngine | undefined = !options.docker && reach.kind === 'ssh' ? openSshEngine(location.address) : undefined;
	const docker = options.docker ?? createDocker(location, ssh?.socketPath);
	const {address} = location;
	let checked: Promise<void> | undefined;
	const forwards = new Map<string, Promise<LocalForward>>();

	const unreachable = (connection: ConnectionInfo) =>
		new OperationError(
			`Port ${connection.port} is published on ${connection.host} of the engine's host (${address}), which this machine cannot reach ` +
				'without SSH. Publish it on an address of that host (with a password of its own), or reach the engine over ssh://.',
		);

	return {
		docker,
		settings: options.settings ?? loadSettings(),
		address,
		location,
		reach,
		async ensureEngine() {
			// A failed check is not remembered: the engine may be up on the next call.
			checked ??= (async () => {
				// The login first, so a refused key or an unknown host key is said as such rather
				// than as an API call that found nothing at the other end of the socket.
				if (ssh) await ssh.link.connect();
				await ensureEngine(docker, 2000, location).catch((error: unknown) => {
					// Logged in, but nothing answered at the other end: say what the remote said.
					const problem = ssh?.link.engineProblem;
					if (!problem) throw error;
					throw new DockerUnavailableError(address, undefined, {
						message:
							`Logged in to ${address}, but its engine did not answer (${problem}). ` +
							`Check that the engine runs there and that ${ssh!.link.target.username} may use its socket (the docker group).`,
						cause: error,
					});
				});
			})().catch((error: unknown) => {
				checked = undefined;
				throw error;
			});
			return checked;
		},
		async reachable(connection) {
			if (!connection.onEngineHost) return connection;
			if (!ssh) throw unreachable(connection);
			const key = `${connection.host}:${connection.port}`;
			let forward = forwards.get(key);
			if (!forward) {
				forward = ssh.forward({host: connection.host, port: connection.port}, {host: '127.0.0.1', port: 0});
				forwards.set(key, forward);
				forward.catch(() => forwards.delete(key));
			}
			const {host, port} = await forward;
			const through: ConnectionInfo = {...connection, host: host!, port: port!};
			delete through.onEngineHost;
			return through;
		},
		async openTunnel(connection, tunnelOptions = {}) {
			if (!connection.onEngineHost) throw new OperationError(`${connection.host}:${connection.port} is reachable from this machine without a tunnel.`);
			if (!ssh) throw unreachable(connection);
			const port = tunnelOptions.port ?? 0;
			const forward = await ssh.forward({host: connection.host, port: connection.port}, {host: '127.0.0.1', port}).catch((error: unknown) => {
				if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(port, '127.0.0.1');
				throw error;
			});
			return {host: forward.host!, port: forward.port!, close: async () => forward.close()};
		},
		async close() {
			forwards.clear();
			await ssh?.close();
		},
	};
}
