import {tracePhase} from '../trace.js';
import {engineMessage, statusOf} from '../docker/client.js';
import {createContainer, inspectContainer, removeContainer, startContainer} from '../docker/containers.js';
import {removeVolume} from '../docker/volumes.js';
import {connectionInfo} from '../connection.js';
import {afterReady, waitReady} from '../container-readiness.js';
import type {EngineHandle} from '../engine-handle.js';
import {DbarenaError, InterruptedError, InvalidValueError, NameConflictError, OperationError, PortInUseError} from '../errors.js';
import {claimedPorts, inspectManaged, publishedPorts} from '../inventory.js';
import {claimPort} from '../port-claims.js';
import {isPortConflict, startRefused} from '../start-refusals.js';
import {checkLocalAddress, choosePort, chooseRemotePort, isPortFree} from '../ports.js';
import {isLoopback} from './values.js';
import {portsAreLocal} from '../engine-reach.js';
import {preloadDriver} from '../sessions.js';
import type {ConnectionInfo, ManagedContainer, ProgressListener} from '../types.js';
import {containerSpec} from './container-spec.js';
import {copySeed, explainInitFailure} from '../seed/container.js';
import {chooseDataSource, type VolumeUse} from './data-source.js';
import {ensureImage} from './image.js';
import {localImageId} from '../docker/images.js';
import {seedNames, type CreatePlan} from './plan.js';

export type OperationOptions = {
	signal?: AbortSignal;
	onProgress?: ProgressListener;
	/** A host port whose claim (port-claims.ts) the caller holds already, as reset does: not claimed again. */
	claimedPort?: number;
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

const portRetries = 10;

/**
 * The create pipeline, for a plan made beforehand: image -> data source (volume, snapshot,
 * template) -> container on a free port -> start -> a host client logs in -> after-ready setup.
 * What this made and then failed on is removed; what existed before (a volume) is not.
 */
export async function createFromPlan(handle: EngineHandle, plan: CreatePlan, operation: OperationOptions = {}): Promise<CreateResult> {
	const began = Date.now();
	const {onProgress} = operation;
	refuseUnreachableBinding(handle, plan);
	// The questions that do not depend on each other go to the engine at once, not one round trip
	// after another: they are most of a create's own time before the engine's work (issue 19).
	// Their answers are still taken in the order a user needs them: an unreachable engine first,
	// then a taken name (before any pull), then the image.
	const [reachable, address, holder, cachedImage, ports] = await Promise.allSettled([
		handle.ensureEngine(),
		// Ports are published on the engine's host: only a local engine's addresses can be checked here.
		handle.address.startsWith('unix://') ? checkLocalAddress(plan.hostIp) : undefined,
		inspectContainer(handle.docker, plan.name),
		// A snapshot image carries every layer it needs; only a fresh or template start needs the base.
		plan.source.kind === 'snapshot' ? undefined : localImageId(handle.docker, plan.image),
		// A stopped dbarena container's port is free on the host but still its own (see startOnFreePort).
		plan.explicitPort === undefined ? claimedPorts(handle) : [],
	]);
	settledValue(reachable);
	settledValue(address);
	if (settledValue(holder)) throw new NameConflictError(plan.name);
	const claimedByOthers = settledValue(ports);
	tracePhase('engine answered: name free');
	const cached = settledValue(cachedImage);
	const base =
		plan.source.kind === 'snapshot'
			? {pulled: false, id: undefined}
			: cached !== undefined
				? cachedImageUsed(plan.image, cached, onProgress)
				: await ensureImage(handle, plan.image, operation);
	tracePhase('image here');
	const {plan: effective, volume} = await chooseDataSource(handle, plan, base.id);
	tracePhase(`data source: ${effective.source.kind}`);
	let id: string | undefined;
	let claimed = false;
	try {
		const started = await startOnFreePort(handle, effective, operation, claimedByOthers, created => {
			id = created;
			// Said once the container exists under its name: a concurrent create of the same name
			// fails before this (409), and must not have claimed the volume's data first.
			if (created === undefined || claimed) return;
			claimed = true;
			if (volume) onProgress?.({type: 'volume', name: volume.name, reused: volume.reused});
			if (effective.source.kind === 'template') onProgress?.({type: 'template', image: effective.source.image});
			if (effective.seed) {
				const how = effective.source.kind === 'template' ? 'in-template' : volume?.reused ? 'not-run' : 'copied';
				onProgress?.({type: 'seed', name: effective.name, files: seedNames(effective.seed), how});
			}
		});
		id = started.id;
		const connection = connectionInfo(effective.preset.kind, effective.credentials, effective.hostIp, started.hostPort, handle.reach);
		tracePhase('started');
		const readyMs = await waitReady(handle, started.id, effective.name, effective.preset.probe, connection, {
			timeoutMs: effective.timeoutMs,
			intervalMs: effective.intervalMs,
			...operation,
		});
		tracePhase('ready (a host login worked)');
		await afterReady(handle, started.id, effective.preset.kind, connection, effective.cdc);
		tracePhase('after-ready setup');
		onProgress?.({type: 'ready', name: effective.name, ms: readyMs});
		const container = await inspectManaged(handle, started.id);
		return {container, connection, pulled: base.pulled, readyMs, totalMs: Date.now() - began, volumeReused: volume?.reused ?? false};
	} catch (failure) {
		// A seed's script that failed ends the first start: say which one, where, and why.
		const error = effective.seed && id ? await explainInitFailure(handle, id, effective.seed, failure) : failure;
		await cleanupFailedCreate(handle, effective, id, volume, error, onProgress);
		throw error;
	}
}

/**
 * Create and start the container on a free host port. Another process may take the port between
 * our check and the engine's bind: then the container goes and another port is tried.
 */
async function startOnFreePort(
	handle: EngineHandle,
	plan: CreatePlan,
	operation: OperationOptions,
	claimed: number[],
	onCreated: (id: string | undefined) => void,
): Promise<{id: string; hostPort: number}> {
	const {signal, onProgress} = operation;
	// A stopped dbarena container's port is free on the host but still its own: handing it
	// to a new container would make that one's next start fail ("port is already allocated").
	const excluded = new Set<number>(claimed);
	// On another machine a bind here says nothing about its ports: what its containers publish is skipped.
	const local = portsAreLocal(handle.reach);
	if (!local && plan.explicitPort === undefined) for (const port of await publishedPorts(handle)) excluded.add(port);
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted) throw new InterruptedError(`Creating ${plan.name}`);
		const explicit = plan.explicitPort === undefined ? {} : {explicit: plan.explicitPort};
		const hostPort = local
			? await choosePort({preferred: plan.preset.containerPort, ...explicit, host: plan.hostIp, exclude: excluded, spread: attempt > 1})
			: chooseRemotePort({preferred: plan.preset.containerPort, ...explicit, taken: excluded, spread: attempt > 1});
		tracePhase(`port ${hostPort} chosen`);
		// Another dbarena process may be starting a container on the same port right now (see
		// port-claims.ts); after its claim is ours, the port must still be free: a claim released
		// meanwhile means its container has it. Ports of another machine are neither claimed nor
		// checked from here.
		const release = !local || hostPort === operation.claimedPort ? () => {} : claimPort(hostPort, plan.hostIp);
		const claimed = release !== undefined && (!local || (await isPortFree(hostPort, plan.hostIp)));
		try {
			if (claimed) return await startOnPort(handle, plan, hostPort, onCreated, onProgress);
		} catch (error) {
			if (!(error instanceof PortRaceLost)) throw error;
		} finally {
			release?.();
		}
		if (plan.explicitPort !== undefined) throw new PortInUseError(hostPort, plan.hostIp);
		if (attempt >= portRetries) throw new OperationError(`Could not find a free port after ${portRetries} attempts.`);
		excluded.add(hostPort);
		onProgress?.({type: 'port-retry', name: plan.name, port: hostPort});
	}
}

/** A settled answer's value, or its error thrown. */
function settledValue<T>(result: PromiseSettledResult<T>): T {
	if (result.status === 'rejected') throw result.reason;
	return result.value;
}

function cachedImageUsed(image: string, id: string, onProgress: ProgressListener | undefined): {pulled: boolean; id: string} {
	onProgress?.({type: 'image-cached', image});
	return {pulled: false, id};
}

/** The engine refused the start because the port was taken after our check: try another. */
class PortRaceLost extends Error {}

async function startOnPort(
	handle: EngineHandle,
	plan: CreatePlan,
	hostPort: number,
	onCreated: (id: string | undefined) => void,
	onProgress: ProgressListener | undefined,
): Promise<{id: string; hostPort: number}> {
	const id = await createOrConflict(handle, plan, hostPort);
	tracePhase('container created');
	onCreated(id);
	onProgress?.({type: 'container-created', name: plan.name, id});
	// Before the start, so the entrypoint finds them at its first start. A template's image
	// already holds them (its builder had them), so a seeded create from one copies nothing.
	if (plan.seed && plan.source.kind !== 'template') await copySeed(handle, id, plan.seed);
	try {
		const starting = startContainer(handle.docker, id);
		// After the start request is on its way: loading the driver then overlaps the engine's work.
		setImmediate(() => {
			preloadDriver(plan.preset.probe);
		});
		await starting;
		onProgress?.({type: 'container-started', name: plan.name, hostPort});
		return {id, hostPort};
	} catch (error) {
		// Only a bind error is a race for the port; any other refusal is the answer, said at once.
		if (!isPortConflict(error)) throw startRefused(plan.name, error);
		await removeContainer(handle.docker, id);
		onCreated(undefined);
		throw new PortRaceLost();
	}
}

/**
 * A tcp:// engine on another machine is reached without SSH: a database on its 127.0.0.1 could
 * never be reached from here (no login would ever work), so such a create is refused before
 * anything is made, rather than exposing it on its own or failing after the timeout.
 */
function refuseUnreachableBinding(handle: EngineHandle, plan: CreatePlan): void {
	const {reach} = handle;
	if (reach.kind !== 'tcp' || reach.loopback || !isLoopback(plan.hostIp)) return;
	throw new InvalidValueError(
		'hostIp',
		'address',
		plan.hostIp,
		`the engine at ${reach.address} is another machine reached without SSH, so a database on its loopback address could not be reached ` +
			'from here. Publish it on 0.0.0.0 or an address of that machine, with a password of its own, or reach the engine over ssh:// ' +
			'(which keeps it on 127.0.0.1 and tunnels to it).',
	);
}

async function createOrConflict(handle: EngineHandle, plan: CreatePlan, hostPort: number): Promise<string> {
	try {
		return await createContainer(handle.docker, containerSpec(plan, hostPort));
	} catch (error) {
		if (statusOf(error) === 409) throw new NameConflictError(plan.name);
		if (statusOf(error) === 404)
			throw new OperationError(`Image ${plan.image} vanished before the container could be created; run the command again.`, {cause: error});
		throw new OperationError(`The engine refused to create ${plan.name}: ${engineMessage(error)}`, {cause: error});
	}
}

async function cleanupFailedCreate(
	handle: EngineHandle,
	plan: CreatePlan,
	id: string | undefined,
	volume: VolumeUse | undefined,
	error: unknown,
	onProgress?: ProgressListener,
): Promise<void> {
	if (plan.keepOnError && id) {
		onProgress?.({type: 'cleanup', name: plan.name, reason: 'kept for inspection (--keep-on-error)'});
		return;
	}
	const reason = error instanceof DbarenaError ? error.code : 'error';
	try {
		if (id) {
			onProgress?.({type: 'cleanup', name: plan.name, reason});
			await removeContainer(handle.docker, id);
		}
		// Only a volume this operation created goes; a reused one holds the user's data.
		if (volume && !volume.reused) await removeVolume(handle.docker, volume.name);
	} catch {
		// The original error is what the user needs; a failed cleanup must not hide it.
	}
}

/** Several creates at once, each with its own progress; one failing does not stop the others. */
export async function createManyFromPlans(
	handle: EngineHandle,
	plans: CreatePlan[],
	operation: {signal?: AbortSignal; onProgress?: (index: number) => ProgressListener | undefined} = {},
): Promise<Array<PromiseSettledResult<CreateResult>>> {
	await handle.ensureEngine();
	const withSignal = operation.signal ? {signal: operation.signal} : {};
	// One pull per distinct image: parallel pulls of the same image would only wait on each other.
	// The pull is reported to the first create that needs the image, so it is not a silent wait.
	const images = [...new Set(plans.filter(plan => plan.source.kind !== 'snapshot').map(plan => plan.image))];
	await Promise.all(
		images.map(async image => {
			const onProgress = operation.onProgress?.(plans.findIndex(plan => plan.image === image));
			return ensureImage(handle, image, {...withSignal, ...(onProgress ? {onProgress} : {})}).catch(() => undefined);
		}),
	);
	return Promise.allSettled(
		plans.map(async (plan, index) => {
			const onProgress = operation.onProgress?.(index);
			return createFromPlan(handle, plan, {...withSignal, ...(onProgress ? {onProgress} : {})});
		}),
	);
}
