import type {DockerClient} from '../../core/docker/client.js';
import {watchEvents, type WatchEventsOptions} from '../../core/docker/events.js';
import {followLogs, type FollowLogsOptions} from '../../core/docker/logs.js';
import {followStats, type ContainerStatsSample, type FollowStatsOptions} from '../../core/docker/stats.js';

export type Stoppable = {stop(): void};

/**
 * The engine's three streams, bound to one client. The feeders take this instead of a Docker
 * client so the unit tests can drive them with plain functions.
 */
export type DockerFeeds = {
	watchEvents(options: WatchEventsOptions): Stoppable;
	followStats(id: string, onSample: (sample: ContainerStatsSample) => void, options: FollowStatsOptions): Stoppable;
	followLogs(id: string, options: FollowLogsOptions): Stoppable;
};

export function dockerFeeds(docker: DockerClient): DockerFeeds {
	return {
		watchEvents: options => watchEvents(docker, options),
		followStats: (id, onSample, options) => followStats(docker, id, onSample, options),
		followLogs: (id, options) => followLogs(docker, id, options),
	};
}
