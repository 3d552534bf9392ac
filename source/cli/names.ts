import {UsageError} from '../core/errors.js';
import type {ContainerManager} from '../core/lifecycle.js';
import type {ManagedContainer} from '../core/types.js';

/**
 * Look every name up before acting on any: a typo in the third name must not leave the first
 * two already stopped or destroyed. Unknown names fail with the core's "did you mean" list.
 */
export async function findAll(manager: ContainerManager, names: string[], what: string): Promise<ManagedContainer[]> {
	if (names.length === 0) throw new UsageError(`Name at least one container to ${what} (see "dbarena list --all").`, 'missing_argument');
	const found = await Promise.all(names.map(async name => manager.find(name)));
	// The same container named twice (by name and by id) is acted on once.
	return found.filter((container, index) => found.findIndex(other => other.id === container.id) === index);
}

/** `what` is the command; `verb` what it does, when "Name the container to <command>" would not read. */
export function exactlyOne(input: string[], what: string, verb = what): string {
	if (input.length !== 1) {
		throw new UsageError(
			input.length === 0
				? `Name the container to ${verb} (see "dbarena list --all").`
				: `${what} takes one container name, got ${input.length}: ${input.join(' ')}.`,
			input.length === 0 ? 'missing_argument' : 'too_many_arguments',
		);
	}
	return input[0]!;
}
