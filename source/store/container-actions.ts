import type {Health, ManagedContainer} from '../core/types.js';
import {slotConcern} from '../core/vitals/types.js';
import {binlogText, rateText, ratioText, sessionsText, sizeText, slotText} from '../core/vitals/text.js';
import {applyChange} from './apply-change.js';
import type {DashboardStore} from './create-dashboard-store.js';
import type {CdcView, ContainerEntry, ContainerStats, EngineState, ForwardView, VitalsView} from './state.js';

/**
 * The writes the feeders make: what the engine says about containers. Each one leaves the state
 * untouched (no notification, no render) when nothing a user could see has changed, which is what
 * keeps an idle dashboard idle.
 */

/** A start (or restart) begins a new life: readiness must be proven again. */
function healthAfter(previous: ContainerEntry | undefined, container: ManagedContainer): Health {
	if (container.state !== 'running') return 'stopped';
	const sameRun = previous?.container.state === 'running' && previous.container.startedAt?.getTime() === container.startedAt?.getTime();
	return sameRun ? previous.health : 'starting';
}

function sameContainer(a: ManagedContainer, b: ManagedContainer): boolean {
	// Small objects of strings, numbers and dates: comparing their JSON is exact and cheap enough.
	return JSON.stringify(a) === JSON.stringify(b);
}

function entryFor(previous: ContainerEntry | undefined, container: ManagedContainer): ContainerEntry {
	const health = healthAfter(previous, container);
	if (previous && previous.health === health && sameContainer(previous.container, container)) return previous;
	return {container, health};
}

export function upsertContainer(store: DashboardStore, container: ManagedContainer): void {
	applyChange(store, state => {
		const previous = state.containers[container.id];
		const entry = entryFor(previous, container);
		if (entry === previous) return undefined;
		const stats = entry.health === 'stopped' ? withoutKey(state.stats, container.id) : state.stats;
		return {containers: {...state.containers, [container.id]: entry}, stats};
	});
}

export function removeContainer(store: DashboardStore, id: string): void {
	applyChange(store, state => {
		if (!(id in state.containers)) return undefined;
		return {containers: withoutKey(state.containers, id), stats: withoutKey(state.stats, id)};
	});
}

/**
 * A full resync (after every (re)connection of the event stream). Containers in `keep` had events
 * after the list was requested, so what the store has for them is newer than the list.
 */
export function replaceContainers(store: DashboardStore, list: readonly ManagedContainer[], keep: ReadonlySet<string> = new Set()): void {
	applyChange(store, state => {
		const containers: Record<string, ContainerEntry> = {};
		for (const container of list) {
			if (keep.has(container.id)) continue;
			containers[container.id] = entryFor(state.containers[container.id], container);
		}
		for (const id of keep) {
			const kept = state.containers[id];
			if (kept) containers[id] = kept;
		}
		const stats = Object.fromEntries(Object.entries(state.stats).filter(([id]) => containers[id]?.health !== 'stopped' && id in containers));
		return {containers, stats};
	});
}

/**
 * Records a readiness result, but only for the run it was measured on: a probe that answers after
 * the container was restarted says nothing about the new run.
 */
export function setHealth(store: DashboardStore, id: string, startedAt: Date | undefined, health: Health): void {
	applyChange(store, state => {
		const entry = state.containers[id];
		if (!entry || entry.health === health || entry.container.state !== 'running') return undefined;
		if (entry.container.startedAt?.getTime() !== startedAt?.getTime()) return undefined;
		return {containers: {...state.containers, [id]: {...entry, health}}};
	});
}

const mebibyte = 1024 * 1024;

/**
 * Whether a new sample is worth a repaint now. An idle PostgreSQL's CPU blips to 0.5-0.7 % every
 * few seconds and its memory moves by a few hundred KiB; repainting the whole screen for that
 * (Ink has no partial repaint) was most of an idle dashboard's cost, measured with ten of them.
 * A change of a CPU point (or a quarter of the shown value) or of a MiB (or 2 %) of memory shows
 * at the next flush; smaller ones at the next periodic refresh (`force`).
 */
export function statsChanged(shown: ContainerStats | undefined, next: ContainerStats): boolean {
	if (shown === undefined) return true;
	const cpuDelta = Math.abs(next.cpuPercent - shown.cpuPercent);
	const memoryDelta = Math.abs(next.memoryUsedBytes - shown.memoryUsedBytes);
	return (
		cpuDelta >= Math.max(1, shown.cpuPercent * 0.25) ||
		memoryDelta >= Math.max(mebibyte, shown.memoryUsedBytes * 0.02) ||
		next.memoryLimitBytes !== shown.memoryLimitBytes
	);
}

/** Equal as far as the table can tell: CPU to 0.1 %, memory to 0.1 MiB. */
function looksSame(a: ContainerStats, b: ContainerStats): boolean {
	return (
		Math.round(a.cpuPercent * 10) === Math.round(b.cpuPercent * 10) &&
		Math.round((a.memoryUsedBytes / mebibyte) * 10) === Math.round((b.memoryUsedBytes / mebibyte) * 10) &&
		a.memoryLimitBytes === b.memoryLimitBytes
	);
}

/**
 * Several containers' samples in one update: one render per flush at most, not one per container.
 * Without `force` only meaningful changes are written; with it, every sample the table would show
 * differently.
 */
export function setStats(store: DashboardStore, samples: ReadonlyMap<string, ContainerStats>, options: {force?: boolean} = {}): void {
	applyChange(store, state => {
		let stats: Record<string, ContainerStats> | undefined;
		for (const [id, sample] of samples) {
			const shown = state.stats[id];
			if (state.containers[id]?.container.state !== 'running') continue;
			if (shown && (options.force ? looksSame(shown, sample) : !statsChanged(shown, sample))) continue;
			stats ??= {...state.stats};
			stats[id] = sample;
		}
		return stats ? {stats} : undefined;
	});
}

export function clearStats(store: DashboardStore, id: string): void {
	applyChange(store, state => (id in state.stats ? {stats: withoutKey(state.stats, id)} : undefined));
}

export function setEngineProduct(store: DashboardStore, product: string): void {
	applyChange(store, state => (state.engine.product === product ? undefined : {engine: {...state.engine, product}}));
}

export function setEngineState(store: DashboardStore, engineState: EngineState): void {
	applyChange(store, state => (state.engine.state === engineState ? undefined : {engine: {...state.engine, state: engineState}}));
}

/** The record without `key`; the same record when it has no such key, so selectors see no change. */
export function withoutKey<T>(record: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
	if (!(key in record)) return record;
	const {[key]: _removed, ...rest} = record;
	return rest;
}

/**
 * The CDC poller's result for `view.containerId`, or undefined to clear it. Written only while that
 * container is still the selected one, and only when it differs from what is shown (an unchanged
 * read costs no render).
 */
export function setCdcView(store: DashboardStore, view: CdcView | undefined): void {
	applyChange(store, state => {
		if (view === undefined) return state.cdc === undefined ? undefined : {cdc: undefined};
		if (state.selectedId !== view.containerId) return undefined;
		if (state.cdc && JSON.stringify(state.cdc) === JSON.stringify(view)) return undefined;
		return {cdc: view};
	});
}

/**
 * What the details panel draws of a vitals view, in its own words (the texts and a slot's colour),
 * so a sample that changes nothing on screen costs no render: between two samples an idle server's
 * commit counter, its files and the disk move by bytes the panel rounds away, and every render
 * repaints the whole screen.
 */
function shownVitals(view: VitalsView): string {
	const {containerId, vitals, commitsPerSecond, error} = view;
	if (!vitals) return JSON.stringify([containerId, error]);
	return JSON.stringify([
		containerId,
		sessionsText(vitals),
		rateText(commitsPerSecond),
		ratioText(vitals.cacheHitRatio),
		sizeText(vitals),
		vitals.slots?.map(slot => [slotText(slot), slotConcern(slot, vitals.disk)]),
		vitals.binlog === undefined ? undefined : [binlogText(vitals.binlog), vitals.binlog?.gtidSet],
	]);
}

/** The vitals sampler's result for `view.containerId` (only while it is selected), or undefined to clear it. */
export function setVitalsView(store: DashboardStore, view: VitalsView | undefined): void {
	applyChange(store, state => {
		if (view === undefined) return state.vitals === undefined ? undefined : {vitals: undefined};
		if (state.selectedId !== view.containerId) return undefined;
		if (state.vitals && shownVitals(state.vitals) === shownVitals(view)) return undefined;
		return {vitals: view};
	});
}

/** A container's local forward opened, failed, or (undefined) closed. */
export function setForward(store: DashboardStore, id: string, view: ForwardView | undefined): void {
	applyChange(store, state => {
		const current = state.forwards[id];
		if (view === undefined) return current === undefined ? undefined : {forwards: withoutKey(state.forwards, id)};
		if (current?.url === view.url && current?.error === view.error) return undefined;
		return {forwards: {...state.forwards, [id]: view}};
	});
}
