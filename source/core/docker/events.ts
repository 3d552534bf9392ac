import {managedFilter as managedLabel} from '../labels.js';
import type Docker from 'dockerode';
import {consumeStream, createJsonLineSplitter, type DockerStream} from './json-lines.js';

/** A lifecycle event of a dbarena-managed container. */
export type ContainerEvent = {
	/** The verb only: `health_status: healthy` becomes `health_status` with `health` set. */
	action: string;
	id: string;
	name: string;
	time: Date;
	labels: Record<string, string>;
	health?: 'healthy' | 'unhealthy';
	exitCode?: number;
};

export type EventsState = 'connecting' | 'connected' | 'reconnecting';

type RawEvent = {
	Type?: string;
	Action?: string;
	status?: string;
	id?: string;
	time?: number;
	timeNano?: number;
	Actor?: {ID?: string; Attributes?: Record<string, string>};
};

/**
 * The engine puts a container's labels and its own details into one Attributes map. These are
 * the keys the engine adds to container events (the last two: Podman's); everything else is a label.
 */
const engineAttributes = new Set(['name', 'image', 'exitCode', 'signal', 'execID', 'oldName', 'height', 'width', 'containerExitCode', 'podId']);

/**
 * Podman's names for what dockerd calls otherwise (4.3: "remove" for "destroy", one "exec" and
 * one "exec_died" for dockerd's exec_create, exec_start and exec_die), and null for its steps
 * dockerd has no event for: "init" comes just before every "start", "cleanup" after every "die".
 * Podman also sends "restart" before the die and start of a restart, dockerd after them; every
 * consumer re-reads the container on an event, so the order does not matter to them.
 */
const podmanActions: Record<string, string | null> = {remove: 'destroy', exec: 'exec_start', exec_died: 'exec_die', init: null, cleanup: null};

/** Parses one engine event; undefined for anything that is not a container event we can use. */
export function parseEvent(value: unknown): ContainerEvent | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const raw = value as RawEvent;
	if (raw.Type !== undefined && raw.Type !== 'container') return undefined;
	const fullAction = raw.Action ?? raw.status;
	const id = raw.Actor?.ID ?? raw.id;
	if (typeof fullAction !== 'string' || typeof id !== 'string') return undefined;

	// Health and exec events carry a detail after the verb ("health_status: healthy",
	// "exec_start: bash -c ..."); consumers switch on the verb.
	const separator = fullAction.indexOf(': ');
	const verb = separator === -1 ? fullAction : fullAction.slice(0, separator);
	const action = Object.hasOwn(podmanActions, verb) ? podmanActions[verb] : verb;
	if (action === null || action === undefined) return undefined;
	const detail = separator === -1 ? undefined : fullAction.slice(separator + 2).trim();

	const attributes = raw.Actor?.Attributes ?? {};
	const labels: Record<string, string> = {};
	for (const [key, attribute] of Object.entries(attributes)) {
		if (!engineAttributes.has(key)) labels[key] = attribute;
	}

	// timeNano keeps sub-second order; it exceeds 2^53 but milliseconds survive the rounding.
	const ms = typeof raw.timeNano === 'number' ? Math.floor(raw.timeNano / 1e6) : (raw.time ?? 0) * 1000;
	const event: ContainerEvent = {action, id, name: attributes['name'] ?? '', time: new Date(ms), labels};
	if (action === 'health_status' && (detail === 'healthy' || detail === 'unhealthy')) event.health = detail;
	const exitCode = attributes['exitCode'] === undefined ? Number.NaN : Number(attributes['exitCode']);
	if (Number.isInteger(exitCode)) event.exitCode = exitCode;
	return event;
}

/** The part of dockerode the watcher uses, so tests can hand in a fake. */
export type EventSource = {
	getEvents(options?: Docker.GetEventsOptions): Promise<NodeJS.ReadableStream>;
};

export type WatchEventsOptions = {
	onEvent: (event: ContainerEvent) => void;
	/** 'connected' after every (re)connection: events were missed meanwhile, so resync then. */
	onState?: (state: EventsState) => void;
	/** Unix seconds; replays the engine's buffered events from then on the first connection. */
	since?: number;
	initialDelayMs?: number;
	maxDelayMs?: number;
	/** Injected in tests; must resolve early when the signal aborts so stop() is prompt. */
	sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
};

export const managedFilter: {label: string[]; type: Array<'container'>} = {label: [managedLabel], type: ['container']};

const abortableSleep = async (ms: number, signal: AbortSignal) =>
	new Promise<void>(resolve => {
		const timer = setTimeout(done, ms);
		signal.addEventListener('abort', done, {once: true});
		function done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
	});

/**
 * Follows the engine's events for managed containers for as long as the caller wants: when the
 * stream ends or the engine goes away it reports 'reconnecting' and retries with exponential
 * backoff (250 ms doubling up to 5 s) until the engine answers again.
 */
export function watchEvents(docker: EventSource, options: WatchEventsOptions): {stop(): void} {
	const {onEvent, onState, since, initialDelayMs = 250, maxDelayMs = 5000, sleep = abortableSleep} = options;
	const abort = new AbortController();
	let destroy: (() => void) | undefined;
	let state: EventsState | undefined;

	const report = (next: EventsState) => {
		if (next === state || abort.signal.aborted) return;
		state = next;
		onState?.(next);
	};

	// Resolves once a stream that did connect has ended for any reason (or stop() was called);
	// rejects when the engine could not be reached at all.
	const connect = async (first: boolean): Promise<void> => {
		const stream: DockerStream = await docker.getEvents({
			filters: managedFilter,
			...(first && since !== undefined ? {since} : {}),
			// Lets stop() cancel a request that is still waiting for the engine.
			abortSignal: abort.signal,
		});
		if (abort.signal.aborted) {
			stream.destroy?.();
			return;
		}

		report('connected');
		const splitter = createJsonLineSplitter(value => {
			const event = parseEvent(value);
			// Every health check and readiness probe runs as an exec, and each one produces three
			// events (exec_create, exec_start, exec_die); nothing in dbarena reacts to them.
			if (event && !event.action.startsWith('exec_') && !abort.signal.aborted) onEvent(event);
		});
		await new Promise<void>(resolve => {
			const destroyStream = consumeStream(
				stream,
				chunk => {
					splitter.push(chunk);
				},
				() => {
					resolve();
				},
			);
			destroy = () => {
				destroyStream();
				resolve();
			};
		});
		destroy = undefined;
	};

	const run = async () => {
		let delay = initialDelayMs;
		let first = true;
		report('connecting');
		while (!abort.signal.aborted) {
			try {
				await connect(first);
				first = false;
				// It was up, so this is a fresh outage: start the backoff over.
				delay = initialDelayMs;
			} catch {
				// Refused, reset or timed out: the engine is not there yet. Retried below.
			}

			if (abort.signal.aborted) return;
			report('reconnecting');
			await sleep(delay, abort.signal);
			delay = Math.min(delay * 2, maxDelayMs);
		}
	};

	void run();

	return {
		stop() {
			abort.abort();
			destroy?.();
		},
	};
}
