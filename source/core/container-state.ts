import {formatBytes} from './format.js';
import type {Health, ManagedContainer} from './types.js';

/**
 * One word for what a container is doing, and the sentence every face shows for it. Readiness
 * (healthy/starting/unhealthy) only means something while the server runs; otherwise the engine's
 * own record says what happened, and an out-of-memory kill or a pause is named as such rather
 * than folded into "stopped".
 */
export type StatusWord =
	| 'healthy'
	| 'starting'
	| 'unhealthy'
	| 'paused'
	| 'restarting'
	| 'created'
	| 'removing'
	| 'dead'
	| 'stopped'
	| 'killed'
	| 'oom-killed'
	| 'exited';

export type ContainerStatus = {
	word: StatusWord;
	/** One line, as `list`, `inspect` and the dashboard show it. */
	text: string;
	/** What the user can do about it, when there is something to do. */
	hint?: string;
	/** Something went wrong (a crash or a kill the user did not ask for): shown even without --all. */
	failed: boolean;
};

/** SIGKILL as a container's exit code (128 + 9): `docker kill`, a stop that timed out, the kernel. */
const killedExitCode = 137;

export function containerStatus(container: ManagedContainer, health: Health | undefined): ContainerStatus {
	if (container.state === 'running') {
		const word = health === 'healthy' || health === 'unhealthy' ? health : 'starting';
		return {word, text: word, failed: word === 'unhealthy'};
	}
	if (container.oomKilled && container.state !== 'paused') return oomStatus(container);
	switch (container.state) {
		case 'paused': {
			return {word: 'paused', text: 'paused', hint: `Resume it with "dbarena start ${container.name}".`, failed: false};
		}
		case 'restarting': {
			return {word: 'restarting', text: `restarting (last exit code ${container.exitCode})`, failed: true};
		}
		case 'created': {
			return {word: 'created', text: 'created (never started)', hint: `Start it with "dbarena start ${container.name}".`, failed: false};
		}
		case 'removing': {
			return {word: 'removing', text: 'removing', failed: false};
		}
		case 'dead': {
			return {word: 'dead', text: 'dead (the engine could not remove it)', hint: `Remove it with "dbarena destroy ${container.name}".`, failed: true};
		}
		default: {
			return exitedStatus(container);
		}
	}
}

function oomStatus(container: ManagedContainer): ContainerStatus {
	const limit = container.memoryLimitBytes ? ` (limit ${formatBytes(container.memoryLimitBytes)})` : '';
	return {
		word: 'oom-killed',
		text: `killed: out of memory${limit}`,
		hint:
			'Its data is kept: "dbarena start" runs it again as it is. For more headroom, create it again with a larger --memory ' +
			'(e.g. --memory 1g; "dbarena reset" keeps the current limit).',
		failed: true,
	};
}

function exitedStatus(container: ManagedContainer): ContainerStatus {
	// A database server stops cleanly (exit 0) on the SIGTERM of `stop`; anything else ended it.
	if (container.exitCode === 0) return {word: 'stopped', text: 'stopped', failed: false};
	if (container.exitCode === killedExitCode) {
		return {word: 'killed', text: 'killed (SIGKILL, exit code 137)', hint: `Its data is kept; start it with "dbarena start ${container.name}".`, failed: false};
	}
	return {
		word: 'exited',
		text: `exited with code ${container.exitCode}`,
		hint: `See why with "dbarena logs ${container.name}"; start it again with "dbarena start ${container.name}".`,
		failed: true,
	};
}
