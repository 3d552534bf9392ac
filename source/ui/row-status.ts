import {containerStatus} from '../core/container-state.js';
import type {ContainerEntry, Operation} from '../store/state.js';

export type RowStatus = {
	text: string;
	color: 'green' | 'yellow' | 'red' | 'gray' | 'cyan';
	/** Shown with a spinner: something is under way. */
	busy: boolean;
};

/**
 * What the status column says: a running operation first, then readiness, then what the engine
 * recorded. Short forms of the core's status words; the details panel shows the whole sentence.
 */
export function rowStatus(entry: ContainerEntry, operation: Operation | undefined): RowStatus {
	if (operation) return {text: operation, color: 'cyan', busy: true};
	const {container, health} = entry;
	const status = containerStatus(container, health);
	switch (status.word) {
		case 'starting': {
			return {text: 'starting', color: 'yellow', busy: true};
		}
		case 'healthy': {
			return {text: '● healthy', color: 'green', busy: false};
		}
		case 'unhealthy': {
			return {text: '✗ unhealthy', color: 'red', busy: false};
		}
		case 'oom-killed': {
			return {text: '✗ out of memory', color: 'red', busy: false};
		}
		case 'exited': {
			return {text: `■ exited (${container.exitCode})`, color: 'red', busy: false};
		}
		case 'paused': {
			return {text: '‖ paused', color: 'yellow', busy: false};
		}
		case 'restarting': {
			return {text: 'restarting', color: 'yellow', busy: true};
		}
		default: {
			return {text: `■ ${status.word}`, color: status.failed ? 'red' : 'gray', busy: false};
		}
	}
}
