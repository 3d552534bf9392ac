import {randomBytes} from 'node:crypto';
import {isLoopback, parseEnv, parseHostIp, parseImage, parseMemory, parsePort} from './values.js';
import type {Preset, PresetVersion} from '../presets/preset.js';
import {resolvePreset, resolveVersion} from '../presets/catalog.js';
import {UsageError} from '../errors.js';
import {mirrorImage} from '../image-ref.js';
import {buildLabels, sourceLabels} from '../labels.js';
import {generateName, validateName, volumeNameFor} from '../names.js';
import {defaultIntervalMs, defaultTimeoutMs} from '../readiness.js';
import {readSeed, seedFileNames, seedFromPayload, type Seed, type SeedPayload} from '../seed/files.js';
import type {Credentials, Mode} from '../types.js';

/**
 * What a user asks for, as either face builds it: the command line from its flags, the dashboard
 * from its form. Values a user types may come as the text they typed (port, memory, env entries);
 * the plan reads and checks each of them once.
 */
export type CreateOptions = {
	database: string;
	version?: string;
	name?: string;
	/** Host port; busy -> error. Without it: the engine's default if free, else the next free one. */
	port?: number | string;
	/** Address the port is published on. 127.0.0.1 unless the user asks: the password is well known. */
	hostIp?: string;
	mode?: Mode;
	/** Extra environment for the image, applied after dbarena's own: a map or KEY=VALUE entries. */
	env?: Readonly<Record<string, string>> | readonly string[];
	/** Use this image instead of the preset's, as given (no registry mirror is applied). */
	image?: string;
	/** Memory limit: bytes, or a size such as 512m or 1.5GiB. */
	memory?: number | string;
	user?: string;
	password?: string;
	databaseName?: string;
	timeoutMs?: number;
	intervalMs?: number;
	/** Keep a container that failed to become ready, for inspection. */
	keepOnError?: boolean;
	/** Initialise afresh even when a template for these settings exists. */
	noTemplate?: boolean;
	/** Start from this snapshot's data (its engine, version and credentials come with it). */
	fromSnapshot?: string;
	/** Configure the engine for change data capture (logical decoding / binary log, a replication user). */
	cdc?: boolean;
	/** A random password for this container instead of the well-known default. */
	randomPassword?: boolean;
	/**
	 * Init files run at the first start (seed data): .sql, .sql.gz, .sh, PostgreSQL custom-format
	 * dumps, or folders of them; relative paths are read from the current directory.
	 */
	init?: readonly string[];
	/** A seed already read (the background template build, a reset): instead of `init`. */
	seed?: SeedPayload;
};

/**
 * 20 characters from letters and digits (safe in URLs and shells), plus one each of upper, lower,
 * digit and "_" so SQL Server's complexity rule always holds.
 */
export function randomPassword(bytes: (size: number) => Buffer = randomBytes): string {
	const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
	const body = [...bytes(20)].map(byte => alphabet[byte % alphabet.length]).join('');
	return `${body}Aa1_`;
}

/**
 * Where a new container's data directory comes from: a fresh initialisation by the image's
 * entrypoint, or an image that already holds initialised data (a template, or a snapshot of a
 * container's data). The rest of create does not change with it.
 */
export type DataSource = {kind: 'fresh'} | {kind: 'template'; image: string; key: string} | {kind: 'snapshot'; image: string; tag: string};

/** Everything create will do, decided up front and without touching Docker (unit-tested). */
export type CreatePlan = {
	preset: Preset;
	version: PresetVersion;
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
	/** The image's declared data volume (its VOLUME); a named volume goes here in persistent and durable mode. */
	dataMount?: string;
	/**
	 * Set when the data lives elsewhere than the image's default (templates, snapshots, and volumes
	 * first filled from them); the server is pointed there and the volume or layer holds it.
	 */
	dataPath?: string;
	volume?: string;
	source: DataSource;
	useTemplates: boolean;
	cdc: boolean;
	/** The init files and their hash, when seeded: copied into the container before its first start. */
	seed?: Seed;
	labels: Record<string, string>;
	timeoutMs: number;
	intervalMs: number;
	keepOnError: boolean;
};

export function validateEnv(env: Record<string, string>, preset: Preset, credentials: Credentials, mode: Mode, version: string): void {
	// Credentials set through --env would silently disagree with the labels and the printed info.
	const owned = Object.keys(preset.environment(credentials, mode, version));
	for (const key of Object.keys(env)) {
		// The data must stay where the volume, template or snapshot keeps it: data written elsewhere
		// would be lost on destroy while dbarena says "data kept", or missing from a snapshot.
		if (preset.dataEnv.includes(key)) {
			throw new UsageError(
				`${key} would move the data directory away from where dbarena keeps it (its volume, template or snapshot); leave it out.`,
				'invalid_env',
			);
		}
		if (owned.includes(key)) {
			throw new UsageError(
				`${key} is set by dbarena; use the user, password or database name settings instead of setting ${key} in the environment.`,
				'invalid_env',
			);
		}
	}
}

/**
 * Check every value and decide everything create will do, without touching the engine. Made
 * once per create; the pipeline only adds what needs the engine (the data source, the port).
 */
export function planCreate(options: CreateOptions, settings: {registry?: string}, now: Date = new Date()): CreatePlan {
	const preset = resolvePreset(options.database);
	const version = resolveVersion(preset, options.version);
	const mode = options.mode ?? 'fast';
	if (options.name !== undefined) validateName(options.name);
	const port = options.port === undefined ? undefined : parsePort(options.port);
	const hostIp = options.hostIp === undefined ? '127.0.0.1' : parseHostIp(options.hostIp);
	const memoryBytes = options.memory === undefined ? undefined : parseMemory(options.memory);
	const credentials: Credentials = {
		user: options.user ?? preset.defaultCredentials.user,
		password: options.password ?? (options.randomPassword ? randomPassword() : preset.defaultCredentials.password),
		database: options.databaseName ?? preset.defaultCredentials.database,
	};
	if (options.randomPassword && options.password !== undefined)
		throw new UsageError('Give either a password or ask for a random one, not both.', 'invalid_password');
	if (credentials.password === '') throw new UsageError('The password must not be empty.', 'invalid_password');
	// A published port beyond this machine with the password everyone knows is an open database.
	if (!isLoopback(hostIp) && options.password === undefined && !options.randomPassword) {
		throw new UsageError(
			`Publishing on ${hostIp} makes the database reachable from the network, and its default password "${credentials.password}" is well known. ` +
				'Give it a password of your own or a random one.',
			'exposed_default_password',
		);
	}
	const userProblem = preset.userProblem?.(credentials.user);
	if (userProblem) throw new UsageError(`${userProblem}.`, 'invalid_user');
	const passwordProblem = preset.passwordProblem?.(credentials.password);
	if (passwordProblem) throw new UsageError(`${passwordProblem}.`, 'invalid_password');
	const cdc = options.cdc ?? false;
	if (cdc && !preset.cdc) throw new UsageError(`--cdc is not supported for ${preset.title}.`, 'unsupported');
	const userEnv = parseEnv(options.env ?? {});
	validateEnv(userEnv, preset, credentials, mode, version.version);
	const seed = planSeed(options, preset);

	const name = options.name ?? generateName(preset.kind, version.version);
	const dataMount = preset.dataMount(version.version);
	const volume = mode === 'fast' ? undefined : volumeNameFor(name);
	const image = options.image === undefined ? mirrorImage(version.image, settings.registry) : parseImage(options.image);
	return {
		preset,
		version,
		name,
		nameGiven: options.name !== undefined,
		image,
		mode,
		credentials,
		hostIp,
		...(port === undefined ? {} : {explicitPort: port}),
		memoryBytes: memoryBytes ?? preset.memoryBytes[mode],
		env: {...preset.environment(credentials, mode, version.version), ...(cdc ? preset.cdc?.environment?.() : {}), ...userEnv},
		command: cdc && preset.cdc ? preset.cdc.command(preset.command(mode, version.version), version.version) : preset.command(mode, version.version),
		cdc,
		...(dataMount ? {dataMount} : {}),
		...(volume ? {volume} : {}),
		...(seed ? {seed} : {}),
		source: {kind: 'fresh'},
		useTemplates: !options.noTemplate && preset.template !== undefined && options.image === undefined,
		labels: buildLabels({
			database: preset.kind,
			version: version.version,
			mode,
			image,
			credentials,
			containerPort: preset.containerPort,
			...(volume ? {volume} : {}),
			...(cdc && preset.cdc ? {cdcUser: preset.cdc.user} : {}),
			...(seed ? {seed: {hash: seed.hash, files: seed.entries.map(entry => entry.name)}} : {}),
			createdAt: now,
		}),
		timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
		intervalMs: options.intervalMs ?? defaultIntervalMs,
		keepOnError: options.keepOnError ?? false,
	};
}

/** The init files of a create: read from the user's paths, or given already read; none without either. */
function planSeed(options: CreateOptions, preset: Preset): Seed | undefined {
	const paths = options.init ?? [];
	if (paths.length === 0 && options.seed === undefined) return undefined;
	if (options.fromSnapshot !== undefined) {
		throw new UsageError(
			'A snapshot already holds its data; init scripts would not run on it. Leave out the init scripts or the snapshot.',
			'conflicting_flags',
		);
	}
	if (!preset.init) throw new UsageError(`Init scripts are not supported for ${preset.title}: its image runs none at its first start.`, 'unsupported');
	if (options.seed !== undefined) return seedFromPayload(options.seed);
	return readSeed(paths, preset);
}

/** The init files as a user knows them, for messages and listings. */
export function seedNames(seed: Seed): string[] {
	return seedFileNames(
		seed.entries.map(entry => entry.name),
		seed.origins,
	);
}

/** Point a plan at data kept outside the image's declared volume (template, snapshot, or such a volume). */
export function withDataPath(plan: CreatePlan, dataPath: string, source: DataSource = plan.source): CreatePlan {
	const support = plan.preset.template;
	if (!support) return plan;
	return {
		...plan,
		source,
		dataPath,
		env: {...plan.env, ...support.environment(dataPath)},
		command: [...plan.command, ...support.args(dataPath)],
		// The image label stays the base image: recreating (reset) starts from the preset again.
		labels: {...plan.labels, ...sourceLabels(dataPath, source)},
	};
}
