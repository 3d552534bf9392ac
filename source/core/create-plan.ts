import type {ContainerCreateOptions} from './docker/containers.js';
import type {Engine, EngineVersion} from './engines/engine.js';
import {resolveEngine, resolveVersion} from './engines/registry.js';
import {UsageError} from './errors.js';
import {mirrorImage} from './image-ref.js';
import {buildLabels} from './labels.js';
import {generateName, validateName, volumeNameFor} from './names.js';
import {validatePort} from './ports.js';
import {defaultIntervalMs, defaultTimeoutMs} from './readiness.js';
import type {Credentials, Mode} from './types.js';

export type CreateOptions = {
	database: string;
	version?: string;
	name?: string;
	/** Host port; busy -> error. Without it: the engine's default if free, else the next free one. */
	port?: number;
	/** Address the port is published on. 127.0.0.1 unless the user asks: the password is well known. */
	hostIp?: string;
	mode?: Mode;
	/** Extra environment for the image, applied after dbarena's own. */
	env?: Record<string, string>;
	/** Use this image instead of the preset's (still mirrored if it names no registry? no: used as given). */
	image?: string;
	memoryBytes?: number;
	user?: string;
	password?: string;
	databaseName?: string;
	timeoutMs?: number;
	intervalMs?: number;
	/** Keep a container that failed to become ready, for inspection. */
	keepOnError?: boolean;
};

/**
 * Where a new container's data directory comes from. Only a fresh initialisation exists today;
 * templates and snapshots plug in here without the rest of create changing.
 */
export type DataSource = {kind: 'fresh'};

/** Everything create will do, decided up front and without touching Docker (unit-tested). */
export type CreatePlan = {
	engine: Engine;
	version: EngineVersion;
	name: string;
	nameGiven: boolean;
	image: string;
	mode: Mode;
	credentials: Credentials;
	hostIp: string;
	explicitPort?: number;
	memoryBytes: number;
	env: Record<string, string>;
	command: string[];
	dataMount?: string;
	volume?: string;
	source: DataSource;
	labels: Record<string, string>;
	timeoutMs: number;
	intervalMs: number;
	keepOnError: boolean;
};

const envKeyPattern = /^[A-Za-z_][A-Za-z\d_]*$/;

export function validateEnv(env: Record<string, string>, engine: Engine, credentials: Credentials, mode: Mode, version: string): void {
	// Credentials set through --env would silently disagree with the labels and the printed info.
	const owned = Object.keys(engine.environment(credentials, mode, version));
	for (const key of Object.keys(env)) {
		if (!envKeyPattern.test(key)) throw new UsageError(`Invalid environment variable name "${key}": use letters, digits and "_", not starting with a digit.`, 'invalid_env');
		if (owned.includes(key)) {
			throw new UsageError(`${key} is set by dbarena; use --user, --password or --database-name instead of --env ${key}=…`, 'invalid_env');
		}
	}
}

export function planCreate(options: CreateOptions, settings: {registry?: string}, now: Date = new Date()): CreatePlan {
	const engine = resolveEngine(options.database);
	const version = resolveVersion(engine, options.version);
	const mode = options.mode ?? 'fast';
	if (options.name !== undefined) validateName(options.name);
	if (options.port !== undefined) validatePort(options.port);
	const credentials: Credentials = {
		user: options.user ?? engine.defaultCredentials.user,
		password: options.password ?? engine.defaultCredentials.password,
		database: options.databaseName ?? engine.defaultCredentials.database,
	};
	if (credentials.password === '') throw new UsageError('The password must not be empty.', 'invalid_password');
	const passwordProblem = engine.passwordProblem?.(credentials.password);
	if (passwordProblem) throw new UsageError(`${passwordProblem}.`, 'invalid_password');
	if (options.memoryBytes !== undefined && (!Number.isFinite(options.memoryBytes) || options.memoryBytes < 6 * 1024 * 1024)) {
		// The engine itself refuses less than 6 MB.
		throw new UsageError('The memory limit must be at least 6 MB.', 'invalid_memory');
	}
	const userEnv = options.env ?? {};
	validateEnv(userEnv, engine, credentials, mode, version.version);

	const name = options.name ?? generateName(engine.kind, version.version);
	const dataMount = engine.dataMount(version.version);
	const volume = mode === 'fast' ? undefined : volumeNameFor(name);
	const image = options.image ?? mirrorImage(version.image, settings.registry);
	return {
		engine,
		version,
		name,
		nameGiven: options.name !== undefined,
		image,
		mode,
		credentials,
		hostIp: options.hostIp ?? '127.0.0.1',
		...(options.port === undefined ? {} : {explicitPort: options.port}),
		memoryBytes: options.memoryBytes ?? engine.memoryBytes[mode],
		env: {...engine.environment(credentials, mode, version.version), ...userEnv},
		command: engine.command(mode, version.version),
		...(dataMount ? {dataMount} : {}),
		...(volume ? {volume} : {}),
		source: {kind: 'fresh'},
		labels: buildLabels({
			database: engine.kind,
			version: version.version,
			mode,
			image,
			credentials,
			containerPort: engine.containerPort,
			...(volume ? {volume} : {}),
			createdAt: now,
		}),
		timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
		intervalMs: options.intervalMs ?? defaultIntervalMs,
		keepOnError: options.keepOnError ?? false,
	};
}

/** The engine's container configuration for a plan and the chosen host port. */
export function containerSpec(plan: CreatePlan, hostPort: number): ContainerCreateOptions {
	const portKey = `${plan.engine.containerPort}/tcp`;
	const useTmpfs = plan.mode === 'fast' && plan.dataMount !== undefined && plan.engine.kind !== 'sqlserver';
	return {
		name: plan.name,
		Image: plan.image,
		Env: Object.entries(plan.env).map(([key, value]) => `${key}=${value}`),
		...(plan.command.length > 0 ? {Cmd: plan.command} : {}),
		Labels: plan.labels,
		ExposedPorts: {[portKey]: {}},
		HostConfig: {
			PortBindings: {[portKey]: [{HostIp: plan.hostIp, HostPort: String(hostPort)}]},
			Memory: plan.memoryBytes,
			// Swap would let the container exceed the limit we print.
			MemorySwap: plan.memoryBytes,
			...(useTmpfs ? {Tmpfs: {[plan.dataMount!]: 'rw'}} : {}),
			...(plan.volume && plan.dataMount ? {Mounts: [{Type: 'volume' as const, Source: plan.volume, Target: plan.dataMount}]} : {}),
		},
	};
}
