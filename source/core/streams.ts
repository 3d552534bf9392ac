import type {EngineHandle} from './engine-handle.js';
import {watchEvents, type ContainerEvent, type EventsState, type WatchEventsOptions} from './docker/events.js';
import {followLogs, type FollowLogsOptions, type StreamName} from './docker/logs.js';
import {followStats, pollStats, type ContainerStatsSample, type FollowStatsOptions, type StatsFollower} from './docker/stats.js';

// Re-exported so that the layers above describe the streams without importing core/docker/.
export type {ContainerEvent, ContainerStatsSample, EventsState, FollowLogsOptions, FollowStatsOptions, StatsFollower, StreamName, WatchEventsOptions};

/** A running stream or worker; stop() ends it and no callback fires after that. */
export type Stoppable = {stop(): void};

/**
 * The engine's three live streams. The store's feeders take this object rather than an engine
 * client, so they stay on the core's side of the line and unit tests can drive them with plain
 * functions.
 */
export type EngineStreams = {
	/** Lifecycle events of managed containers; reconnects on its own until stopped. */
	watchEvents(options: WatchEventsOptions): Stoppable;
	followStats(id: string, onSample: (sample: ContainerStatsSample) => void, options: FollowStatsOptions): StatsFollower;
	followLogs(id: string, options: FollowLogsOptions): Stoppable;
};

/** The streams of the engine behind `handle`. */
export function engineStreams(handle: Pick<EngineHandle, 'docker'>): EngineStreams {
	return {
		watchEvents: options => watchEvents(handle.docker, options),
		followStats: (id, onSample, options) => (options.poll ? pollStats : followStats)(handle.docker, id, onSample, options),
		followLogs: (id, options) => followLogs(handle.docker, id, options),
	};
}
