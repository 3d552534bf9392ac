import {execInContainer, inspectContainer} from './docker/containers.js';
import {followLogs, readLogs} from './docker/logs.js';
import type {EngineHandle} from './engine-handle.js';
import {OperationError} from './errors.js';
import {presets} from './presets/catalog.js';
import type {Preset} from './presets/preset.js';
import {hostProbe, sqlcmdCommands, sqlcmdMissing} from './probes.js';
import {withSession} from './sessions.js';
import {waitUntilReady} from './readiness.js';
import type {ConnectionInfo, DatabaseKind, Health, ManagedContainer, ProgressListener} from './types.js';

/**
 * Readiness of one container: wait until a host client logs in, probe once, and run what the
 * image's environment cannot do once it is up. Shared by create and by start/restart.
 */

type Probe = Preset['probe'];

export type WaitOptions = {
	signal?: AbortSignal;
	onProgress?: ProgressListener;
	timeoutMs?: number;
	intervalMs?: number;
};

export async function waitReady(
	handle: EngineHandle,
	id: string,
	name: string,
	probe: Probe,
	connection: ConnectionInfo,
	options: WaitOptions,
): Promise<number> {
	const {docker} = handle;
	return waitUntilReady({
		name,
		probe: async () => probeOnce(handle, id, probe, connection),
		containerState: async () => {
			const info = await inspectContainer(docker, id);
			return {
				running: info?.State.Running ?? false,
				exitCode: info?.State.ExitCode ?? -1,
				oomKilled: info?.State.OOMKilled ?? false,
				...(info?.HostConfig.Memory ? {memoryLimitBytes: info.HostConfig.Memory} : {}),
			};
		},
		logTail: async () => readLogs(docker, id, {tail: 15}).catch(() => []),
		...(options.timeoutMs === undefined ? {} : {timeoutMs: options.timeoutMs}),
		...(options.intervalMs === undefined ? {} : {intervalMs: options.intervalMs}),
		...(options.signal ? {signal: options.signal} : {}),
		// Every log line is a moment the server's state may have changed ("ready to accept
		// connections"): probe then instead of at the next tick, so detection lag stays small
		// without polling hard.
		subscribeWake: wake => {
			const follower = followLogs(docker, id, {tail: 0, onLine: wake});
			return () => {
				follower.stop();
			};
		},
		onState: (state, detail) => {
			if (state === 'starting') options.onProgress?.({type: 'waiting', name, elapsedMs: detail.elapsedMs});
		},
	});
}

export async function probeOnce(handle: EngineHandle, id: string, probe: Probe, connection: ConnectionInfo): Promise<void> {
	const fromHost = hostProbe(probe);
	if (fromHost) {
		// Through the printed address, or over the engine's SSH connection when that address is on its host.
		await fromHost(await handle.reachable(connection));
		return;
	}
	await sqlcmd(handle, id, connection.password, 'SELECT 1');
}

/** Is a running container ready right now? One probe, no waiting. */
export async function healthOf(handle: EngineHandle, container: ManagedContainer): Promise<Health> {
	if (container.state !== 'running') return 'stopped';
	if (!container.connection) return 'unhealthy';
	try {
		await probeOnce(handle, container.id, presets[container.database].probe, container.connection);
		return 'healthy';
	} catch {
		// A database still in its first minute is most likely still starting.
		const age = container.startedAt ? Date.now() - container.startedAt.getTime() : Number.POSITIVE_INFINITY;
		return age < 60_000 ? 'starting' : 'unhealthy';
	}
}

/**
 * What the image's environment cannot do (SQL Server's database, CDC users), looked at on every
 * start and run only when missing: a start must not write into the stream a connector reads.
 */
export async function afterReady(
	handle: EngineHandle,
	id: string,
	kind: DatabaseKind,
	connection: ConnectionInfo,
	cdc: boolean,
	options: {force?: boolean} = {},
): Promise<void> {
	const preset = presets[kind];
	const setup = preset.afterReady?.(connection, {cdc});
	if (!setup || setup.statements.length === 0) return;
	if (preset.probe === 'sqlserver') {
		for (const statement of setup.statements) await sqlcmd(handle, id, connection.password, statement);
		return;
	}
	await withSession(preset.probe, await handle.reachable(connection), async query => {
		// force: the data was just reset, so what lived in it (grants on its schema) must be made again.
		if (setup.done && !options.force) {
			const [row] = await query(setup.done);
			// pg gives a boolean, MySQL and MariaDB a 0/1 number.
			if (row?.['done'] === true || Number(row?.['done']) === 1) return;
		}
		for (const statement of setup.statements) await query(statement);
	});
}

export async function sqlcmd(handle: EngineHandle, id: string, password: string, query: string): Promise<void> {
	let lastError = 'sqlcmd not found in the image';
	const {commands, env} = sqlcmdCommands(password, query);
	for (const command of commands) {
		const result = await execInContainer(handle.docker, id, command, env);
		if (result.exitCode === 0) return;
		// This sqlcmd is not in this image: try the older location.
		if (sqlcmdMissing(result)) continue;
		lastError = (result.stderr || result.stdout).trim().split('\n').at(-1) ?? `exit ${result.exitCode}`;
		break;
	}
	throw new OperationError(lastError);
}
