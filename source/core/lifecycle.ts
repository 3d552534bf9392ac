import {tracePhase} from './trace.js';
import {removeContainer, restartContainer, startContainer, stopContainer, unpauseContainer} from './docker/containers.js';
import {readLogs} from './docker/logs.js';
import {inspectVolume, removeVolume} from './docker/volumes.js';
import {afterReady, healthOf, waitReady} from './container-readiness.js';
import {ensureImage} from './create/image.js';
import {createFromPlan, createManyFromPlans, type CreateResult, type OperationOptions} from './create/pipeline.js';
import {rethrowPortTaken} from './start-refusals.js';
import {planCreate, type CreateOptions, type CreatePlan} from './create/plan.js';
import {openEngine, type EngineHandle} from './engine-handle.js';
import {ConfirmationRequiredError, InterruptedError, OperationError, UsageError} from './errors.js';
import {findManaged, inspectManaged, listManaged} from './inventory.js';
import {isManaged} from './labels.js';
import {isPortFree} from './ports.js';
import {presets} from './presets/catalog.js';
import {claimPort} from './port-claims.js';
import {recreateOptions} from './recreate.js';
import {planFromSnapshot} from './snapshots.js';
import {resetContainerData, type DataResetResult} from './data-reset/reset-data.js';
import type {EngineLocation} from './engine-location.js';
import {engineIdentity, type EngineIdentity} from './docker/engine-info.js';

export type {EngineIdentity};
import type {ConnectionInfo, Health, ManagedContainer, ProgressListener} from './types.js';
import {readCdcStatus, type CdcStatus} from './cdc.js';
import {openVitalsReader, readVitals, type ReadVitalsOptions, type VitalsReader, type VitalsSample} from './vitals/read-vitals.js';
import {connectionInfo} from './connection.js';
import {carryWalPast, readOldServerWal, type DroppedSlot, type WalPosition} from './wal-floor.js';

export type {CreateOptions, CreatePlan} from './create/plan.js';
export type {CreateResult, OperationOptions} from './create/pipeline.js';
export type {DroppedSlot, WalPosition} from './wal-floor.js';

/**
 * A reset's new container, and what the old data took with it that outlives it elsewhere:
 * replication slots a connector may still count on, and (PostgreSQL) the WAL position it stored.
 */
export type ResetResult = CreateResult & {droppedSlots: DroppedSlot[]; walPosition: WalPosition | null};

/** A forward opened by tunnel(): `local` is how a client on this machine logs in through it. */
export type LocalTunnel = {container: ManagedContainer; remote: ConnectionInfo; local: ConnectionInfo; close(): Promise<void>};

export type DestroyOptions = {
	removeVolume?: boolean;
	/**
	 * Removing the named volume of a persistent or durable container loses data; the caller must
	 * say so explicitly, separately from asking for the removal.
	 */
	confirmVolumeRemoval?: boolean;
};

/**
 * The one API both faces use for container lifecycle (the original spec's ContainerManager). It
 * acts only on containers labelled dbarena.managed=true. Create takes a plan made beforehand by
 * plan() or planFromSnapshot(); the pipeline itself lives in create/.
 */
export class ContainerManager {
	readonly engine: EngineHandle;

	constructor(options: {engine?: EngineHandle} & Parameters<typeof openEngine>[0] = {}) {
		this.engine = options.engine ?? openEngine(options);
	}

	get settings(): EngineHandle['settings'] {
		return this.engine.settings;
	}

	get address(): string {
		return this.engine.address;
	}

	/** Where the engine was found and how, for the faces to say. */
	get location(): EngineLocation {
		return this.engine.location;
	}

	/** Which engine answers and its version (Podman 4.3.1, Docker Engine 20.10.24): the faces name it by this. */
	async engineIdentity(): Promise<EngineIdentity> {
		return engineIdentity(this.engine.docker);
	}

	/** Fail fast (within 2 s) with the engine's address when it is not there. */
	async ensureEngine(): Promise<void> {
		return this.engine.ensureEngine();
	}

	/** Check every value and decide what a create will do; nothing touches the engine. */
	plan(options: CreateOptions): CreatePlan {
		if (options.fromSnapshot !== undefined)
			throw new OperationError('A create from a snapshot is planned with planFromSnapshot: the snapshot fixes its settings.');
		return planCreate(options, this.engine.settings);
	}

	/** The plan for a create from a snapshot, whose engine, version and credentials it fixes. */
	async planFromSnapshot(options: CreateOptions & {fromSnapshot: string}): Promise<CreatePlan> {
		return planFromSnapshot(this.engine, options);
	}

	/** Pull if missing -> volume -> create -> start -> wait until a host client can log in. */
	async create(plan: CreatePlan, operation: OperationOptions = {}): Promise<CreateResult> {
		return createFromPlan(this.engine, plan, operation);
	}

	/** Several creates at once, each with its own progress; one failing does not stop the others. */
	async createMany(
		plans: CreatePlan[],
		operation: {signal?: AbortSignal; onProgress?: (index: number) => ProgressListener | undefined} = {},
	): Promise<Array<PromiseSettledResult<CreateResult>>> {
		return createManyFromPlans(this.engine, plans, operation);
	}

	/** Pull the image if it is missing; true when it had to be pulled. */
	async ensureImage(image: string, operation: OperationOptions = {}): Promise<boolean> {
		return (await ensureImage(this.engine, image, operation)).pulled;
	}

	/** Start a stopped (or unpause a paused) container and wait until it is ready again. */
	async start(name: string, operation: OperationOptions & {timeoutMs?: number} = {}): Promise<{container: ManagedContainer; readyMs: number}> {
		const container = await this.find(name);
		// The engine refuses to start a paused container (409); what the user means is "make it run".
		if (container.state === 'paused') await unpauseContainer(this.engine.docker, container.id);
		else await startContainer(this.engine.docker, container.id).catch((error: unknown) => rethrowPortTaken(container, error));
		return this.waitExisting(container.id, operation);
	}

	async stop(name: string, options: {timeoutSeconds?: number} = {}): Promise<ManagedContainer> {
		const container = await this.find(name);
		await stopContainer(this.engine.docker, container.id, options.timeoutSeconds);
		return inspectManaged(this.engine, container.id);
	}

	async restart(
		name: string,
		operation: OperationOptions & {timeoutMs?: number; timeoutSeconds?: number} = {},
	): Promise<{container: ManagedContainer; readyMs: number}> {
		const container = await this.find(name);
		await restartContainer(this.engine.docker, container.id, operation.timeoutSeconds).catch((error: unknown) => rethrowPortTaken(container, error));
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
			await stopContainer(this.engine.docker, container.id, 30);
		}
		await removeContainer(this.engine.docker, container.id);
		if (container.volume && options.removeVolume) {
			await this.removeManagedVolume(container.volume);
			return {container, volumeRemoved: container.volume};
		}
		return container.volume ? {container, volumeKept: container.volume} : {container};
	}

	/**
	 * Back to a clean database: the same name, port and settings with fresh data. The data of a
	 * persistent or durable container lives in its volume, so resetting one needs the same
	 * explicit confirmation as removing that volume. The replication slots that go with the old
	 * data are named, and the WAL of a PostgreSQL server that a connector could stream from never
	 * goes backwards: the new server's is moved past where the old one's ended (wal-floor.ts).
	 */
	async reset(name: string, operation: OperationOptions & {confirmVolumeRemoval?: boolean} = {}): Promise<ResetResult> {
		const began = Date.now();
		const container = await this.find(name);
		tracePhase('container found');
		if (container.volume && !operation.confirmVolumeRemoval) {
			throw new ConfirmationRequiredError(`Resetting ${container.name} deletes the data in its volume ${container.volume}; confirm it explicitly (--yes).`);
		}
		const postgres = presets[container.database].probe === 'postgres';
		// Read just before the removal, so the position includes as much of the old server's work as can be.
		const [options, old] = await Promise.all([recreateOptions(this.engine, container), postgres ? readOldServerWal(this.engine, container) : undefined]);
		tracePhase(postgres ? 'settings and WAL position read' : 'settings read');
		const plan = this.plan(options);
		if (operation.signal?.aborted) throw new InterruptedError(`Resetting ${container.name}`);
		// The port stays this reset's from removing the old container until the new one has it:
		// another dbarena process creating meanwhile would otherwise take the freed port (the first
		// free one from the default up) and the reset fail on "port in use".
		const {hostPort, hostIp} = container;
		const release = hostPort === undefined || !this.engine.address.startsWith('unix://') ? undefined : claimPort(hostPort, hostIp);
		let created: CreateResult;
		const {signal, ...finishing} = operation;
		try {
			await this.checkPortForReset(container);
			await removeContainer(this.engine.docker, container.id);
			if (container.volume) await this.removeManagedVolume(container.volume);
			tracePhase('old container removed');
			// Past this point the old database is gone: giving up now would leave none at all, while the
			// user asked for fresh data, not for no database. The new one is made whatever a signal says.
			created = await this.create(plan, release && hostPort !== undefined ? {...finishing, claimedPort: hostPort} : finishing);
		} finally {
			release?.();
		}
		// Only a server something streamed from can have handed out a position: a CDC container, or
		// one with a replication slot. Carrying costs a write of the whole gap, which grows by the
		// work done between resets, so plain containers that reset often are spared it.
		const carry = old !== undefined && (container.cdc !== undefined || old.slots.length > 0);
		const walPosition = carry
			? await carryWalPast(await this.engine.reachable(created.connection), old, {
					name: container.name,
					...(signal ? {signal} : {}),
					...(operation.onProgress ? {onProgress: operation.onProgress} : {}),
				})
			: null;
		return {...created, totalMs: Date.now() - began, droppedSlots: old?.slots ?? [], walPosition};
	}

	/**
	 * The data back to how the container was created, inside the running server: the container,
	 * port, settings, roles and replication slots stay. A volume's data goes too, so a container
	 * with one needs the same explicit confirmation as the full reset.
	 */
	async resetData(name: string, options: {confirmVolumeRemoval?: boolean} = {}): Promise<DataResetResult> {
		const container = await this.find(name);
		tracePhase('container found');
		if (container.volume && !options.confirmVolumeRemoval) {
			throw new ConfirmationRequiredError(
				`Resetting ${container.name}'s data deletes the data in its volume ${container.volume}; confirm it explicitly (--yes).`,
			);
		}
		return resetContainerData(this.engine, container);
	}

	async list(options: {all?: boolean} = {}): Promise<ManagedContainer[]> {
		return listManaged(this.engine, options);
	}

	async inspect(name: string): Promise<ManagedContainer> {
		return this.find(name);
	}

	/** The managed container with this name or id; a typo gets the closest names as suggestions. */
	async find(name: string): Promise<ManagedContainer> {
		return findManaged(this.engine, name);
	}

	/** Is a running container ready right now? One probe, no waiting. */
	async health(container: ManagedContainer): Promise<Health> {
		return healthOf(this.engine, container);
	}

	/** The CDC settings of a running --cdc container, read back from its server (core/cdc.ts). */
	async cdcStatus(container: ManagedContainer): Promise<CdcStatus | undefined> {
		return readCdcStatus(container, async connection => this.engine.reachable(connection));
	}

	/** One sample of a running database's own vitals (core/vitals), through the host driver with its admin login. */
	async vitals(container: ManagedContainer, options: ReadVitalsOptions = {}): Promise<VitalsSample> {
		return readVitals(this.engine, container, options);
	}

	/** Samples of a running database's vitals over one SQL session kept open until closed (the dashboard's, every 2 s). */
	vitalsReader(container: ManagedContainer): VitalsReader {
		return openVitalsReader(this.engine, container);
	}

	/**
	 * A local port forwarded to a running database on an ssh:// engine's host, until closed, and
	 * how a client here logs in through it. A database this machine reaches directly needs none.
	 */
	async tunnel(name: string, options: {port?: number} = {}): Promise<LocalTunnel> {
		const container = await this.find(name);
		if (container.state !== 'running') {
			throw new UsageError(`${container.name} is not running (${container.state}); start it first.`, 'not_running');
		}
		return this.openTunnel(container, options);
	}

	/** tunnel() for a container already looked up (the dashboard's forwards); undefined when none is needed. */
	async localForward(container: ManagedContainer): Promise<LocalTunnel | undefined> {
		if (!container.connection?.onEngineHost) return undefined;
		return this.openTunnel(container, {});
	}

	/** End the engine's SSH connection and every forward over it; a local engine has nothing to end. */
	async close(): Promise<void> {
		await this.engine.close();
	}

	private async openTunnel(container: ManagedContainer, options: {port?: number}): Promise<LocalTunnel> {
		const {connection} = container;
		if (!connection) throw new OperationError(`${container.name} has no published port or credential labels, so it cannot be reached.`);
		if (!connection.onEngineHost) {
			throw new UsageError(
				`${container.name} is reachable from this machine as it is (${connection.host}:${connection.port}); ` +
					"a tunnel is only needed for a database on the 127.0.0.1 of an ssh:// engine's host.",
				'unsupported',
			);
		}
		const tunnel = await this.engine.openTunnel(connection, options);
		const {user, password, database} = connection;
		return {
			container,
			remote: connection,
			local: connectionInfo(container.database, {user, password, database}, tunnel.host, tunnel.port),
			close: tunnel.close,
		};
	}

	async logs(name: string, options: {tail?: number} = {}): Promise<string[]> {
		const container = await this.find(name);
		return readLogs(this.engine.docker, container.id, options);
	}

	/**
	 * The new container gets the old one's port. A stopped container holds none, so another process
	 * may have taken it: found out after the removal, the reset would leave no database at all.
	 * Only a local engine's ports can be checked from here.
	 */
	private async checkPortForReset(container: ManagedContainer): Promise<void> {
		if (container.state === 'running' || container.hostPort === undefined || !this.engine.address.startsWith('unix://')) return;
		if (await isPortFree(container.hostPort, container.hostIp)) return;
		throw new UsageError(
			`Cannot reset ${container.name}: its port ${container.hostPort} on ${container.hostIp} is used by another process, and the new container ` +
				'must have the same port. Nothing was changed; free that port and reset it again.',
			'port_in_use',
		);
	}

	private async removeManagedVolume(name: string): Promise<void> {
		const volume = await inspectVolume(this.engine.docker, name);
		if (!volume) return;
		if (!isManaged(volume.labels)) throw new UsageError(`Volume ${name} is not managed by dbarena; it will not be removed.`, 'not_managed');
		await removeVolume(this.engine.docker, name);
	}

	private async waitExisting(id: string, operation: OperationOptions & {timeoutMs?: number}): Promise<{container: ManagedContainer; readyMs: number}> {
		const container = await inspectManaged(this.engine, id);
		if (!container.connection) throw new OperationError(`${container.name} has no published port or credentials labels; it cannot be probed.`);
		const readyMs = await waitReady(this.engine, id, container.name, presets[container.database].probe, container.connection, operation);
		// Idempotent setup that the image's environment cannot do (CDC users): run on every start.
		await afterReady(this.engine, id, container.database, container.connection, container.cdc !== undefined);
		return {container: await inspectManaged(this.engine, id), readyMs};
	}
}
