import type {ContainerEntry, Operation} from '../store/state.js';

export type RowStatus = {
	text: string;
	color: 'green' | 'yellow' | 'red' | 'gray' | 'cyan';
	/** Shown with a spinner: something is under way. */
	busy: boolean;
};

/** What the status column says: a running operation first, then readiness, then the engine state. */
export function rowStatus(entry: ContainerEntry, operation: Operation | undefined): RowStatus {
	if (operation) return {text: operation, color: 'cyan', busy: true};
	const {container, health} = entry;
	switch (health) {
		case 'starting': {
			return {text: 'starting', color: 'yellow', busy: true};
		}
		case 'healthy': {
			return {text: '● healthy', color: 'green', busy: false};
		}
		case 'unhealthy': {
			return {text: '✗ unhealthy', color: 'red', busy: false};
		}
		case 'stopped': {
			// A clean exit is what `docker stop` (or `s`) leaves; anything else was a crash or a kill.
			if (container.state === 'exited' && container.exitCode !== 0) return {text: `■ exited (${container.exitCode})`, color: 'red', busy: false};
			if (container.state === 'exited' || container.state === 'running') return {text: '■ stopped', color: 'gray', busy: false};
			return {text: `■ ${container.state}`, color: 'gray', busy: false};
		}
	}
}
