/** The databases dbarena knows. Aliases users type are resolved in presets/catalog.ts. */
export type DatabaseKind = 'postgres' | 'mysql' | 'mariadb' | 'sqlserver';

/**
 * fast: data on disk until destroy, durability off (the default; for tests that reset often).
 * persistent: data on a named volume that outlives the container, fast settings.
 * durable: named volume, the engine's default durability, more memory.
 */
export type Mode = 'fast' | 'persistent' | 'durable';
export const modes: readonly Mode[] = ['fast', 'persistent', 'durable'];

/** What dbarena says about a container. `starting` lasts until a host client can really log in. */
export type Health = 'starting' | 'healthy' | 'unhealthy' | 'stopped';

export type Credentials = {
	user: string;
	password: string;
	database: string;
};

export type ConnectionInfo = Credentials & {
	host: string;
	port: number;
	url: string;
	/**
	 * Set when host and port are an address on a remote engine's host that this machine cannot
	 * reach directly (its 127.0.0.1): the engine's address (ssh://user@host). Absent when a client
	 * here connects to host:port as printed.
	 */
	onEngineHost?: string;
};

/** How a CDC connector logs in to a --cdc container. */
export type CdcInfo = {
	user: string;
	password: string;
	/** PostgreSQL: a publication FOR ALL TABLES, ready for pgoutput. */
	publication?: string;
};

/** A managed container as both faces show it, rebuilt from the engine's view (labels) alone. */
export type ManagedContainer = {
	id: string;
	name: string;
	database: DatabaseKind;
	version: string;
	image: string;
	mode: Mode;
	/** Engine state: created, running, paused, restarting, removing, exited, dead. */
	state: string;
	/** Engine health if the image defines one; dbarena's own readiness lives in the store. */
	status: string;
	createdAt: Date;
	/** The last start, also when it is no longer running (absent if it never started). */
	startedAt?: Date;
	/** When it last stopped, crashed or was killed (absent while it has never stopped). */
	finishedAt?: Date;
	/** The last exit code (meaningful when state is exited). */
	exitCode: number;
	/** The kernel killed a process of it for want of memory (the engine's OOMKilled). */
	oomKilled: boolean;
	hostIp: string;
	hostPort?: number;
	containerPort: number;
	volume?: string;
	/** Where its data came from: a fresh initialisation, a template, a snapshot, or a volume kept from before. */
	source: 'fresh' | 'template' | 'snapshot' | 'volume';
	/** The template or snapshot image it started from. */
	sourceImage?: string;
	/** The snapshot tag it started from. */
	sourceSnapshot?: string;
	memoryLimitBytes?: number;
	connection?: ConnectionInfo;
	/** Present when created with --cdc. */
	cdc?: CdcInfo;
	labels: Record<string, string>;
};

/** Progress of a long operation, rendered by each face in its own way. */
export type ProgressEvent =
	| {type: 'image-cached'; image: string}
	| {type: 'pull-start'; image: string}
	| {type: 'pull-progress'; image: string; layer: string; status: string; current?: number; total?: number}
	| {type: 'pull-done'; image: string; ms: number}
	| {type: 'volume'; name: string; reused: boolean}
	| {type: 'template'; image: string}
	| {type: 'container-created'; name: string; id: string}
	| {type: 'container-started'; name: string; hostPort: number}
	| {type: 'port-retry'; name: string; port: number}
	| {type: 'waiting'; name: string; elapsedMs: number}
	| {type: 'ready'; name: string; ms: number}
	| {type: 'cleanup'; name: string; reason: string}
	/** A reset moves the new server's WAL past where the old one's ended (PostgreSQL). */
	| {type: 'wal-advance'; name: string; past: string}
	| {type: 'wal-advanced'; name: string; past: string; ms: number};

export type ProgressListener = (event: ProgressEvent) => void;
