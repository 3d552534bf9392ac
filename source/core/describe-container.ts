import type {ManagedContainer, Mode} from './types.js';

/**
 * What a container's mode and data origin mean, in the words every face uses. Fast data is on
 * disk wherever it came from (the image's anonymous volume, or for a template or snapshot the
 * container's own layer): it survives a stop, a kill and an OOM kill, and goes with the container.
 */
const modeTexts: Record<Mode, string> = {
	fast: 'fast (data on disk until destroy, durability off)',
	persistent: 'persistent (data in a named volume, kept after destroy)',
	durable: 'durable (named volume, full durability)',
};

export function modeText(mode: Mode): string {
	return modeTexts[mode];
}

/** Where the data came from: what a reset goes back to (a reused volume's data is not reset's). */
export function dataOriginText(container: Pick<ManagedContainer, 'source' | 'sourceImage' | 'sourceSnapshot' | 'volume'>): string {
	switch (container.source) {
		case 'template': {
			return container.sourceImage ? `a template (${container.sourceImage})` : 'a template';
		}
		case 'snapshot': {
			return container.sourceSnapshot ? `snapshot ${container.sourceSnapshot}` : 'a snapshot';
		}
		case 'volume': {
			return `volume ${container.volume ?? '?'} (kept from before)`;
		}
		case 'fresh': {
			return 'a fresh initialisation';
		}
	}
}
