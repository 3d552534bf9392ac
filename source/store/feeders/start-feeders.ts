import {readCdcStatus} from '../../core/cdc.js';
import type {ContainerManager} from '../../core/lifecycle.js';
import type {EngineStreams, Stoppable} from '../../core/streams.js';
import type {DashboardStore} from '../create-dashboard-store.js';
import {startCdcPoller, type CdcPollerOptions} from './cdc-poller.js';
import {changeStreamNotAvailable, startChangeFollower, type ChangeOpener} from './change-follower.js';
import {startEventsFeed} from './events-feed.js';
import {startForwardKeeper, type ForwardKeeperOptions} from './forward-keeper.js';
import {startLogFollower} from './log-follower.js';
import {startReadinessWorker} from './readiness-worker.js';
import {startStatsSampler} from './stats-sampler.js';
import {startVitalsSampler, type VitalsSamplerOptions} from './vitals-sampler.js';

export type FeedersOptions = {
	manager: Pick<ContainerManager, 'list' | 'find' | 'health' | 'engineIdentity'>;
	/**
	 * The engine's streams, from core/streams.ts (engineStreams). Required rather than derived from
	 * the manager: the store only ever subscribes to what the core offers, never to an engine client.
	 */
	feeds: EngineStreams;
	/** Reads a --cdc container's settings back from its server; defaults to the core's readCdcStatus. */
	readCdcStatus?: CdcPollerOptions['read'];
	/** Opens a reader of the selected database's vitals (ContainerManager.vitalsReader); no vitals without it. */
	openVitals?: VitalsSamplerOptions['open'];
	/** Opens the local forwards of databases on a remote engine's host (ContainerManager.localForward); none without it. */
	openForward?: ForwardKeeperOptions['open'];
	/**
	 * Opens the change stream of a --cdc database for the Changes pane (core/changes/open.ts).
	 * Without it the pane says "change stream not available".
	 */
	openChangeStream?: ChangeOpener;
};

export type Feeders = Stoppable & {
	/** Resolves once what stop() closed has finished closing (the Changes pane's stream: a slot or binlog session on the server). */
	drained(): Promise<void>;
};

/** Everything that writes the engine's side into the store, started together and stopped together. */
export function startFeeders(store: DashboardStore, options: FeedersOptions): Feeders {
	const {manager, feeds} = options;
	const changes = startChangeFollower(store, {open: options.openChangeStream ?? changeStreamNotAvailable});
	// The consumers first, so that the events feed's first resync already finds them listening.
	const parts = [
		startReadinessWorker(store, {manager}),
		startStatsSampler(store, {feeds}),
		startLogFollower(store, {feeds}),
		changes,
		startCdcPoller(store, {read: options.readCdcStatus ?? readCdcStatus}),
		...(options.openVitals ? [startVitalsSampler(store, {open: options.openVitals})] : []),
		...(options.openForward ? [startForwardKeeper(store, {open: options.openForward})] : []),
		startEventsFeed(store, {manager, feeds}),
	];
	return {
		stop() {
			for (const part of parts.reverse()) part.stop();
		},
		drained: async () => changes.drained(),
	};
}
