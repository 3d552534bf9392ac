import type {ConnectionInfo, Health, ManagedContainer} from '../core/types.js';
import {containerStatus, type StatusWord} from '../core/container-state.js';
import {label} from '../core/labels.js';

/**
 * The JSON shapes of --json output. Dates are ISO strings, absent values are null (not missing),
 * so consumers can rely on every key being there.
 */
export type ContainerJson = {
	name: string;
	id: string;
	database: string;
	version: string;
	image: string;
	mode: string;
	/** The engine's own state word (running, paused, exited…). */
	state: string;
	health: Health | null;
	/** dbarena's word for it: healthy, starting, paused, created, stopped, killed, oom-killed, exited… */
	status: StatusWord;
	/** The sentence list and inspect print, e.g. "killed: out of memory (limit 256 MiB)". */
	statusText: string;
	/** What to do about it, when there is something to do. */
	hint: string | null;
	oomKilled: boolean;
	/** The exit code of its last stop; null while it runs or has never stopped. */
	exitCode: number | null;
	hostIp: string;
	hostPort: number | null;
	containerPort: number;
	volume: string | null;
	memoryLimitBytes: number | null;
	createdAt: string;
	/** The last start, also of a container that is no longer running. */
	startedAt: string | null;
	finishedAt: string | null;
	/** onEngineHost: the engine's address when host:port are on its host, not reachable from here as they are; else null. */
	connection: (Partial<Omit<ConnectionInfo, 'onEngineHost'>> & {onEngineHost: string | null}) | null;
	/** Where the data came from: fresh initialisation, a template or a snapshot. */
	source: ManagedContainer['source'];
	/** Present (not null) when created with --cdc: how a connector logs in. */
	cdc: {user: string; password?: string; publication: string | null} | null;
};

/**
 * `secrets: false` (list) leaves the password and the URL (which contains it) out: a listing is
 * the output people paste into tickets and chats.
 */
export function containerJson(container: ManagedContainer, options: {health?: Health; secrets: boolean}): ContainerJson {
	const connection = container.connection;
	const status = containerStatus(container, options.health);
	return {
		name: container.name,
		id: container.id,
		database: container.database,
		version: container.version,
		image: container.image,
		mode: container.mode,
		state: container.state,
		health: options.health ?? null,
		status: status.word,
		statusText: status.text,
		hint: status.hint ?? null,
		oomKilled: container.oomKilled,
		exitCode: container.finishedAt ? container.exitCode : null,
		hostIp: container.hostIp,
		hostPort: container.hostPort ?? null,
		containerPort: container.containerPort,
		volume: container.volume ?? null,
		memoryLimitBytes: container.memoryLimitBytes ?? null,
		createdAt: container.createdAt.toISOString(),
		startedAt: container.startedAt?.toISOString() ?? null,
		finishedAt: container.finishedAt?.toISOString() ?? null,
		connection: connection ? connectionJson(connection, options.secrets) : null,
		source: container.source,
		cdc: container.cdc
			? {user: container.cdc.user, ...(options.secrets ? {password: container.cdc.password} : {}), publication: container.cdc.publication ?? null}
			: null,
	};
}

/** Labels without the password (inspect shows it in connection, once). */
export function publicLabels(labels: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(labels).filter(([key]) => key !== label.password));
}

/** The connection for --json: every key present (onEngineHost null for an address this machine reaches as it is). */
export function connectionJson(connection: ConnectionInfo, secrets: boolean): NonNullable<ContainerJson['connection']> {
	const {host, port, user, database} = connection;
	const onEngineHost = connection.onEngineHost ?? null;
	return secrets ? {host, port, user, password: connection.password, database, url: connection.url, onEngineHost} : {host, port, user, database, onEngineHost};
}
