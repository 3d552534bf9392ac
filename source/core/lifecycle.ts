import type {DockerClient} from './docker/client.js';
import {createDocker, engineAddress, engineMessage, ensureEngine, statusOf} from './docker/client.js';
import {
	createContainer, execInContainer, inspectContainer, listContainers, removeContainer,
	restartContainer, startContainer, stopContainer,
} from './docker/containers.js';
import {imageEnvironment, localImageId, pullImage} from './docker/images.js';
import {followLogs, readLogs} from './docker/logs.js';
import {createVolume, inspectVolume, removeVolume} from './docker/volumes.js';
import {containerSpec, planCreate, withDataPath, type CreateOptions, type CreatePlan} from './create-plan.js';
import {findTemplate} from './templates.js';
import {snapshotSource} from './snapshots.js';
import {mirrorImage} from './image-ref.js';
import {presets} from './presets/catalog.js';
import {ConfirmationRequiredError, DbarenaError, InterruptedError, NameConflictError, NotFoundError, OperationError, PortInUseError, UsageError} from './errors.js';
import {fromInspect} from './inventory.js';
import {clientHost, credentialsFromLabels, isManaged, label, managedFilter} from './labels.js';
import {closestNames} from './names.js';
import {choosePort} from './ports.js';
import {hostProbe, runStatements, sqlcmdCommands} from './probes.js';
import {preloadDriver} from './sessions.js';
import {waitUntilReady} from './readiness.js';
import {loadSettings, type Settings} from './config.js';
import type {ConnectionInfo, DatabaseKind, Health, ManagedContainer, ProgressListener} from './types.js';

export type {CreateOptions} from './create-plan.js';

export type OperationOptions = {
	signal?: AbortSignal;
	onProgress?: ProgressListener;
};

export type CreateResult = {
	container: ManagedContainer;
	connection: ConnectionInfo;
	/** Whether the image had to be pulled. */
	pulled: boolean;
	/** From the container's start to the first successful login. */
	readyMs: number;
	/** The whole operation, as the user waited for it. */
	totalMs: number;
	volumeReused: boolean;
};

export type DestroyOptions = {
	removeVolume?: boolean;
	/**
	 * Removing the named volume of a persistent or durable container loses data; the caller must
	 * say so explicitly, separately from asking for the removal.
	 */
	confirmVolumeRemoval?: boolean;
};

const portRetries = 10;

function portConflict(error: unknown): boolean {
	return /port is already allocated|address already in use/i.test(engineMessage(error));
}

/**
 * The one API both faces use for container lifecycle (the seed's ContainerManager). It acts only
 * on containers labelled dbarena.managed=true.
 */
export class ContainerManager {
	readonly docker: DockerClient;
	readonly settings: Settings;
	readonly address: string;
	private engineChecked = false;

	constructor(options: {docker?: DockerClient; settings?: Settings} = {}) {
		this.docker = options.docker ?? createDocker();
		this.settings = options.settings ?? loadSettings();
		this.address = engineAddress();
	}

	/** Fail fast (within 2 s) with the engine's address when Docker is not there. */
	async ensureEngine(): Promise<void> {
		if (this.engineChecked) return;
		await ensureEngine(this.docker, 2000, this.address);
		this.engineChecked = true;
	}

	plan(options: CreateOptions): CreatePlan {
		return planCreate(options, this.settings);
	}

	/** Pull if missing -> volume -> create -> start -> wait until a host client can log in. */
	async create(options: CreateOptions, operation: OperationOptions = {}): Promise<CreateResult> {
		const began = Date.now();
		const {onProgress} = operation;
		await this.ensureEngine();
		const snapshot = options.fromSnapshot ? await snapshotSource(this, options.fromSnapshot, options) : undefined;
		const plan = this.plan(snapshot?.options ?? options);
		if (await inspectContainer(this.docker, plan.name)) throw new NameConflictError(plan.name);

		// A snapshot image carries every layer it needs; only a fresh or template start needs the base.
		const base = snapshot ? {pulled: false, id: undefined} : await this.ensureImageId(plan.image, operation);
		const {plan: effective, volume} = await this.chooseDataSource(plan, snapshot && {kind: 'snapshot', image: snapshot.image, tag: options.fromSnapshot!, dataPath: snapshot.dataPath}, base.id);
		if (volume) onProgress?.({type: 'volume', name: volume.name, reused: volume.reused});
		if (effective.source.kind === 'template') onProgress?.({type: 'template', image: effective.source.image});
		return this.createFromPlan(effective, volume, {began, pulled: base.pulled, ...operation});
	}

	private async createFromPlan(plan: CreatePlan, volume: {name: string; reused: boolean} | undefined, operation: OperationOptions & {began: number; pulled: boolean}): Promise<CreateResult> {
		const {signal, onProgress, began, pulled} = operation;

		let id: string | undefined;
		try {
			// A stopped dbarena container's port is free on the host but still its own: handing it
			// to a new container would make that one's next start fail ("port is already allocated").
			const excluded = new Set<number>(plan.explicitPort === undefined ? await this.publishedPorts() : []);
			let hostPort = 0;
			for (let attempt = 1; ; attempt++) {
				throwIfAborted(signal, `Creating ${plan.name}`);
				hostPort = await choosePort({
					preferred: plan.preset.containerPort,
					...(plan.explicitPort === undefined ? {} : {explicit: plan.explicitPort}),
					host: plan.hostIp,
					exclude: excluded,
					spread: attempt > 1,
				});
				id = await this.createOrConflict(plan, hostPort);
				onProgress?.({type: 'container-created', name: plan.name, id});
				try {
					const starting = startContainer(this.docker, id);
					// After the start request is on its way: loading the driver then overlaps the engine's work.
					setImmediate(() => preloadDriver(plan.preset.probe));
					await starting;
					break;
				} catch (error) {
					// Another process took the port between our check and the engine's bind.
					if (!portConflict(error)) throw error;
					await removeContainer(this.docker, id);
					id = undefined;
					if (plan.explicitPort !== undefined) throw new PortInUseError(hostPort, plan.hostIp);
					if (attempt >= portRetries) throw new OperationError(`Could not find a free port after ${portRetries} attempts.`);
					excluded.add(hostPort);
					onProgress?.({type: 'port-retry', name: plan.name, port: hostPort});
				}
			}
			onProgress?.({type: 'container-started', name: plan.name, hostPort});

			const connection = this.connectionFor(plan, hostPort);
			const readyMs = await this.waitReady(id, plan.name, plan.preset.probe, connection, {
				timeoutMs: plan.timeoutMs,
				intervalMs: plan.intervalMs,
				...operation,
			});
			await this.afterReady(id, plan.preset.kind, connection, plan.cdc);
			onProgress?.({type: 'ready', name: plan.name, ms: readyMs});
			const container = await this.inspectById(id);
			return {container, connection, pulled, readyMs, totalMs: Date.now() - began, volumeReused: volume?.reused ?? false};
		} catch (error) {
			await this.cleanupFailedCreate(plan, id, volume, error, onProgress);
			throw error;
		}
	}

	/** Several creates at once, each with its own progress; one failing does not stop the others. */
	async createMany(list: CreateOptions[], operation: {signal?: AbortSignal; onProgress?: (index: number) => ProgressListener} = {}): Promise<Array<PromiseSettledResult<CreateResult>>> {
		await this.ensureEngine();
		// One pull per distinct image: parallel pulls of the same image would only wait on each other.
		const plans = list.map(options => this.plan(options));
		const images = [...new Set(plans.map(plan => plan.image))];
		// The pull is reported to the first create that needs the image, so it is not a silent wait.
		await Promise.all(images.map(async image => {
			const onProgress = operation.onProgress?.(plans.findIndex(plan => plan.image === image));
			return this.ensureImage(image, {...(operation.signal ? {signal: operation.signal} : {}), ...(onProgress ? {onProgress} : {})}).catch(() => undefined);
		}));
		return Promise.allSettled(list.map(async (options, index) => this.create(options, {
			...(operation.signal ? {signal: operation.signal} : {}),
			...(operation.onProgress ? {onProgress: operation.onProgress(index)} : {}),
		})));
	}

	/** Pull the image if it is missing; true when it had to be pulled. */
	async ensureImage(image: string, operation: OperationOptions = {}): Promise<boolean> {
		return (await this.ensureImageId(image, operation)).pulled;
	}

	/** ensureImage, also giving the local image's id (a template's key needs it). */
	private async ensureImageId(image: string, operation: OperationOptions): Promise<{pulled: boolean; id: string}> {
		await this.ensureEngine();
		const cached = await localImageId(this.docker, image);
		if (cached !== undefined) {
			operation.onProgress?.({type: 'image-cached', image});
			return {pulled: false, id: cached};
		}
		const began = Date.now();
		await pullImage(this.docker, image, operation);
		operation.onProgress?.({type: 'pull-done', image, ms: Date.now() - began});
		const id = await localImageId(this.docker, image);
		if (id === undefined) throw new OperationError(`${image} was pulled but the engine has no such image.`);
		return {pulled: true, id};
	}

	/** Start a stopped container and wait until it is ready again. */
	async start(name: string, operation: OperationOptions & {timeoutMs?: number} = {}): Promise<{container: ManagedContainer; readyMs: number}> {
		const container = await this.find(name);
		await startContainer(this.docker, container.id).catch((error: unknown) => this.rethrowPortTaken(container, error));
		return this.waitExisting(container.id, operation);
	}

	async stop(name: string, options: {timeoutSeconds?: number} = {}): Promise<ManagedContainer> {
		const container = await this.find(name);
		await stopContainer(this.docker, container.id, options.timeoutSeconds);
		return this.inspectById(container.id);
	}

	async restart(name: string, operation: OperationOptions & {timeoutMs?: number; timeoutSeconds?: number} = {}): Promise<{container: ManagedContainer; readyMs: number}> {
		const container = await this.find(name);
		await restartContainer(this.docker, container.id, operation.timeoutSeconds).catch((error: unknown) => this.rethrowPortTaken(container, error));
		return this.waitExisting(container.id, operation);
	}

	/** Remove the container; its named volume stays unless removal is asked for and confirmed. */
	async destroy(name: string, options: DestroyOptions = {}): Promise<{container: ManagedContainer; volumeRemoved?: string; volumeKept?: string}> {
		const container = await this.find(name);
		if (options.removeVolume && container.volume && !options.confirmVolumeRemoval) {
			throw new ConfirmationRequiredError(`Removing volume ${container.volume} of ${container.name} deletes its data; confirm it explicitly (--yes).`);
		}
		// Data that outlives the container must be shut down cleanly first: a forced removal kills
		// the server, and with synchronous_commit off (fast settings) the last commits would go.
		if (container.volume && container.state === 'running' && !options.removeVolume) {
			await stopContainer(this.docker, container.id, 30);
		}
		await removeContainer(this.docker, container.id);
		if (container.volume && options.removeVolume) {
			await this.removeManagedVolume(container.volume);
			return {container, volumeRemoved: container.volume};
		}
		return container.volume ? {container, volumeKept: container.volume} : {container};
	}

	/**
	 * Back to a clean database: the same name, port and settings with fresh data. The data of a
	 * persistent or durable container lives in its volume, so resetting one needs the same
	 * explicit confirmation as removing that volume.
	 */
	async reset(name: string, operation: OperationOptions & {confirmVolumeRemoval?: boolean} = {}): Promise<CreateResult> {
		const container = await this.find(name);
		if (container.volume && !operation.confirmVolumeRemoval) {
			throw new ConfirmationRequiredError(`Resetting ${container.name} deletes the data in its volume ${container.volume}; confirm it explicitly (--yes).`);
		}
		const options = await this.recreateOptions(container);
		await removeContainer(this.docker, container.id);
		if (container.volume) await this.removeManagedVolume(container.volume);
		return this.create(options, operation);
	}

	async list(options: {all?: boolean} = {}): Promise<ManagedContainer[]> {
		await this.ensureEngine();
		const summaries = await listContainers(this.docker, {all: options.all ?? false, label: [managedFilter]});
		const details = await Promise.all(summaries.map(async summary => inspectContainer(this.docker, summary.Id)));
		return details
			.map(info => info && fromInspect(info))
			.filter((container): container is ManagedContainer => container !== undefined)
			.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.name.localeCompare(b.name));
	}

	async inspect(name: string): Promise<ManagedContainer> {
		return this.find(name);
	}

	/**
	 * The managed container with this name or id. A container dbarena does not manage is refused,
	 * and a typo gets the closest managed names as suggestions.
	 */
	async find(name: string): Promise<ManagedContainer> {
		await this.ensureEngine();
		if (name.trim() === '') throw new UsageError('A container name is required.', 'invalid_name');
		// What cannot be a Docker name or id cannot exist; asking the engine would only fail on
		// the URL ("unescaped characters") instead of saying so.
		const found = /^\w[\w.-]*$/.test(name) ? await inspectContainer(this.docker, name) : undefined;
		// The engine also resolves any unique prefix of an ID, so a one-letter typo could name some
		// container. Only the exact name or an ID of 12+ characters (as docker ps shows) counts.
		const info = found && (found.Name === `/${name}` || (name.length >= 12 && found.Id.startsWith(name))) ? found : undefined;
		if (info && isManaged(info.Config.Labels ?? {})) {
			const container = fromInspect(info);
			if (container) return container;
		}
		if (info) throw new UsageError(`Container "${name}" is not managed by dbarena; it will not be touched. Use docker for it.`, 'not_managed');
		const all = await this.list({all: true});
		throw new NotFoundError(name, closestNames(name, all.map(container => container.name)));
	}

	/** Is a running container ready right now? One probe, no waiting. */
	async health(container: ManagedContainer): Promise<Health> {
		if (container.state !== 'running') return 'stopped';
		if (!container.connection) return 'unhealthy';
		try {
			await this.probeOnce(container.id, presets[container.database].probe, container.connection);
			return 'healthy';
		} catch {
			// A database still in its first minute is most likely still starting.
			const age = container.startedAt ? Date.now() - container.startedAt.getTime() : Number.POSITIVE_INFINITY;
			return age < 60_000 ? 'starting' : 'unhealthy';
		}
	}

	async logs(name: string, options: {tail?: number} = {}): Promise<string[]> {
		const container = await this.find(name);
		return readLogs(this.docker, container.id, options);
	}

	// ---- internals ---------------------------------------------------------------------------

	/**
	 * Host ports of every managed container, running or not, from one listing: the port is in a
	 * label since it is chosen before the container exists (a stopped container publishes nothing).
	 */
	private async publishedPorts(): Promise<number[]> {
		const summaries = await listContainers(this.docker, {all: true, label: [managedFilter]});
		return summaries.flatMap(summary => {
			const labelled = Number(summary.Labels?.[label.hostPort]);
			if (Number.isInteger(labelled) && labelled > 0) return [labelled];
			return (summary.Ports ?? []).flatMap(port => port.PublicPort ? [port.PublicPort] : []);
		});
	}

	/** A start that fails because something else took the container's port, said plainly. */
	private rethrowPortTaken(container: ManagedContainer, error: unknown): never {
		if (portConflict(error)) {
			throw new DbarenaError(`Cannot start ${container.name}: its port ${container.hostPort ?? '?'} on ${container.hostIp} is now used by another process. Free that port and start it again.`, 'failed', 'port_in_use');
		}
		throw error;
	}

	/** The create options that would make this container again, read back from the engine. */
	private async recreateOptions(container: ManagedContainer): Promise<CreateOptions> {
		const info = await inspectContainer(this.docker, container.id);
		const credentials = credentialsFromLabels(container.labels);
		if (!info || !credentials) throw new OperationError(`${container.name} lacks the labels needed to recreate it.`);
		const preset = presets[container.database];
		const imageEnv = new Set(await imageEnvironment(this.docker, info.Image));
		const owned = new Set(Object.keys(preset.environment(credentials, container.mode, container.version)));
		const env: Record<string, string> = {};
		for (const entry of info.Config.Env ?? []) {
			const key = entry.slice(0, entry.indexOf('='));
			if (!imageEnv.has(entry) && !owned.has(key)) env[key] = entry.slice(key.length + 1);
		}
		return {
			database: container.database,
			version: container.version,
			name: container.name,
			...(container.hostPort === undefined ? {} : {port: container.hostPort}),
			hostIp: container.hostIp,
			mode: container.mode,
			// The preset's own image is left to the plan, so templates apply again.
			...(container.image === mirrorImage(preset.versions.find(v => v.version === container.version)?.image ?? '', this.settings.registry) ? {} : {image: container.image}),
			...(container.memoryLimitBytes ? {memoryBytes: container.memoryLimitBytes} : {}),
			user: credentials.user,
			password: credentials.password,
			databaseName: credentials.database,
			env,
			...(container.cdc ? {cdc: true} : {}),
		};
	}

	private connectionFor(plan: CreatePlan, hostPort: number): ConnectionInfo {
		const host = clientHost(plan.hostIp);
		return {...plan.credentials, host, port: hostPort, url: plan.preset.url({...plan.credentials, host, port: hostPort})};
	}

	private async createOrConflict(plan: CreatePlan, hostPort: number): Promise<string> {
		try {
			return await createContainer(this.docker, containerSpec(plan, hostPort));
		} catch (error) {
			if (statusOf(error) === 409) throw new NameConflictError(plan.name);
			if (statusOf(error) === 404) throw new OperationError(`Image ${plan.image} vanished before the container could be created; run the command again.`, {cause: error});
			throw new OperationError(`The engine refused to create ${plan.name}: ${engineMessage(error)}`, {cause: error});
		}
	}

	/**
	 * Where the data comes from: an existing volume (its data, where it keeps it), else a template
	 * for these exact settings, else a fresh initialisation.
	 */
	private async chooseDataSource(plan: CreatePlan, snapshot?: {kind: 'snapshot'; image: string; tag: string; dataPath: string}, sourceImageId?: string): Promise<{plan: CreatePlan; volume?: {name: string; reused: boolean}}> {
		const existing = plan.volume ? await inspectVolume(this.docker, plan.volume) : undefined;
		if (existing && snapshot) {
			throw new UsageError(`Volume ${existing.name} already holds data; starting it from snapshot ${snapshot.tag} would ignore the snapshot. Choose another --name, or remove the volume.`, 'volume_conflict');
		}
		if (existing) {
			this.checkReusable(plan, existing.labels);
			const dataPath = existing.labels['dbarena.data_path'];
			return {plan: dataPath ? withDataPath(plan, dataPath) : plan, volume: {name: existing.name, reused: true}};
		}
		const template = snapshot ? undefined : await findTemplate(this, plan, sourceImageId);
		const effective = snapshot
			? withDataPath(plan, snapshot.dataPath, {kind: 'snapshot', image: snapshot.image, tag: snapshot.tag})
			: template && plan.preset.template
				? withDataPath(plan, plan.preset.template.dataPath, {kind: 'template', image: template.reference, key: template.key})
				: plan;
		if (!plan.volume) return {plan: effective};
		await createVolume(this.docker, plan.volume, {
			[label.managed]: 'true',
			[label.database]: plan.preset.kind,
			[label.version]: plan.version.version,
			[label.user]: plan.credentials.user,
			[label.password]: plan.credentials.password,
			[label.dbname]: plan.credentials.database,
			'dbarena.container': plan.name,
			...(effective.dataPath ? {'dbarena.data_path': effective.dataPath} : {}),
		});
		return {plan: effective, volume: {name: plan.volume, reused: false}};
	}

	private checkReusable(plan: CreatePlan, labels: Record<string, string>): void {
		const name = plan.volume!;
		// Reusing a volume is how persistent data comes back; reusing the wrong one would hand the
		// user a server whose data (and passwords) are not what they asked for.
		if (!isManaged(labels)) throw new UsageError(`Volume ${name} exists and is not managed by dbarena; choose another --name.`, 'volume_conflict');
		if (labels[label.database] !== plan.preset.kind || labels[label.version] !== plan.version.version) {
			throw new UsageError(`Volume ${name} holds ${labels[label.database] ?? '?'} ${labels[label.version] ?? '?'} data, not ${plan.preset.kind} ${plan.version.version}; choose another --name or remove it with "dbarena volumes rm ${name}".`, 'volume_conflict');
		}
		const stored = credentialsFromLabels(labels);
		if (stored && (stored.user !== plan.credentials.user || stored.password !== plan.credentials.password || stored.database !== plan.credentials.database)) {
			throw new UsageError(`Volume ${name} was initialised with other credentials (user ${stored.user}, database ${stored.database}); the server keeps them. Create it with the same --user/--password/--database-name.`, 'volume_conflict');
		}
	}

	private async removeManagedVolume(name: string): Promise<void> {
		const volume = await inspectVolume(this.docker, name);
		if (!volume) return;
		if (!isManaged(volume.labels)) throw new UsageError(`Volume ${name} is not managed by dbarena; it will not be removed.`, 'not_managed');
		await removeVolume(this.docker, name);
	}

	private async cleanupFailedCreate(plan: CreatePlan, id: string | undefined, volume: {name: string; reused: boolean} | undefined, error: unknown, onProgress?: ProgressListener): Promise<void> {
		if (plan.keepOnError && id) {
			onProgress?.({type: 'cleanup', name: plan.name, reason: 'kept for inspection (--keep-on-error)'});
			return;
		}
		const reason = error instanceof DbarenaError ? error.code : 'error';
		try {
			if (id) {
				onProgress?.({type: 'cleanup', name: plan.name, reason});
				await removeContainer(this.docker, id);
			}
			// Only a volume this operation created goes; a reused one holds the user's data.
			if (volume && !volume.reused) await removeVolume(this.docker, volume.name);
		} catch {
			// The original error is what the user needs; a failed cleanup must not hide it.
		}
	}

	private async inspectById(id: string): Promise<ManagedContainer> {
		const info = await inspectContainer(this.docker, id);
		const container = info && fromInspect(info);
		if (!container) throw new OperationError(`Container ${id.slice(0, 12)} disappeared.`);
		return container;
	}

	private async waitExisting(id: string, operation: OperationOptions & {timeoutMs?: number}): Promise<{container: ManagedContainer; readyMs: number}> {
		const container = await this.inspectById(id);
		if (!container.connection) throw new OperationError(`${container.name} has no published port or credentials labels; it cannot be probed.`);
		const readyMs = await this.waitReady(id, container.name, presets[container.database].probe, container.connection, operation);
		// A fast container starts over from scratch after a stop (tmpfs), so its users go too.
		await this.afterReady(id, container.database, container.connection, container.cdc !== undefined);
		return {container: await this.inspectById(id), readyMs};
	}

	private async waitReady(id: string, name: string, probe: 'postgres' | 'mysql' | 'sqlserver', connection: ConnectionInfo, options: OperationOptions & {timeoutMs?: number; intervalMs?: number}): Promise<number> {
		return waitUntilReady({
			name,
			probe: async () => this.probeOnce(id, probe, connection),
			containerState: async () => {
				const info = await inspectContainer(this.docker, id);
				return {running: info?.State.Running ?? false, exitCode: info?.State.ExitCode ?? -1};
			},
			logTail: async () => readLogs(this.docker, id, {tail: 15}).catch(() => []),
			...(options.timeoutMs === undefined ? {} : {timeoutMs: options.timeoutMs}),
			...(options.intervalMs === undefined ? {} : {intervalMs: options.intervalMs}),
			...(options.signal ? {signal: options.signal} : {}),
			// Every log line is a moment the server's state may have changed ("ready to accept
			// connections"): probe then instead of at the next tick, so detection lag stays small
			// without polling hard.
			subscribeWake: wake => {
				const follower = followLogs(this.docker, id, {tail: 0, onLine: wake});
				return () => {
					follower.stop();
				};
			},
			onState: (state, detail) => {
				if (state === 'starting') options.onProgress?.({type: 'waiting', name, elapsedMs: detail.elapsedMs});
			},
		});
	}

	private async probeOnce(id: string, probe: 'postgres' | 'mysql' | 'sqlserver', connection: ConnectionInfo): Promise<void> {
		const fromHost = hostProbe(probe);
		if (fromHost) {
			await fromHost(connection);
			return;
		}
		await this.sqlcmd(id, connection.password, 'SELECT 1');
	}

	/** What the image's environment cannot do (SQL Server's database, CDC users), run on every start. */
	private async afterReady(id: string, kind: DatabaseKind, connection: ConnectionInfo, cdc: boolean): Promise<void> {
		const preset = presets[kind];
		const statements = preset.afterReady?.(connection, {cdc}) ?? [];
		if (statements.length === 0) return;
		if (preset.probe === 'sqlserver') {
			for (const statement of statements) await this.sqlcmd(id, connection.password, statement);
			return;
		}
		await runStatements(preset.probe, connection, statements);
	}

	private async sqlcmd(id: string, password: string, query: string): Promise<void> {
		let lastError = 'sqlcmd not found in the image';
		for (const command of sqlcmdCommands(password, query)) {
			const result = await execInContainer(this.docker, id, command);
			if (result.exitCode === 0) return;
			// 126/127: this sqlcmd does not exist in this image; try the older location.
			if (result.exitCode === 126 || result.exitCode === 127 || /no such file|not found/i.test(result.stderr + result.stdout)) continue;
			lastError = (result.stderr || result.stdout).trim().split('\n').at(-1) ?? `exit ${result.exitCode}`;
			break;
		}
		throw new OperationError(lastError);
	}
}

function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
	if (signal?.aborted) throw new InterruptedError(what);
}
