import {formatBytes, formatDuration} from './format.js';
import type {ProgressEvent} from './types.js';

/**
 * What a create's (or reset's) progress event means, in words. The command line prints these
 * with its marks, colours and spinners, the dashboard in its row and status line; the words
 * themselves are the create steps of the original spec.
 */
export type ProgressWords = {
	/** A step that finished, or something to notice (`warning`): a line of its own in a log. */
	step?: {text: string; warning: boolean};
	/** What is under way from now until the next event says otherwise: a spinner's or status line's text. */
	now?: string;
};

type Layer = {current: number; total: number; done: boolean};

/** "1/3 layers, 42% of 120 MiB": how far a pull is, from its per-layer messages. */
function pullSummary(layers: ReadonlyMap<string, Layer>): string {
	const list = [...layers.values()];
	if (list.length === 0) return '';
	const finished = list.filter(layer => layer.done).length;
	const total = list.reduce((sum, layer) => sum + layer.total, 0);
	const current = list.reduce((sum, layer) => sum + (layer.done ? layer.total : layer.current), 0);
	// Whole percents: the dashboard stores every change of these words, and byte counts would
	// change with nearly every message the engine sends.
	return ` ${finished}/${list.length} layers${total > 0 ? `, ${Math.floor((current / total) * 100)}% of ${formatBytes(total)}` : ''}`;
}

/**
 * The words for one operation's events, in the order they come: it keeps the pull's per-layer
 * counts, so each operation needs its own.
 */
export function progressWords(): (event: ProgressEvent) => ProgressWords {
	const layers = new Map<string, Layer>();
	const pulling = (image: string) => `Image ${image} not cached, pulling...`;
	const creating = 'Creating container...';

	return event => {
		switch (event.type) {
			case 'image-cached': {
				return {step: {text: `Image ${event.image} cached`, warning: false}, now: creating};
			}
			case 'pull-start': {
				return {step: {text: pulling(event.image), warning: true}, now: pulling(event.image)};
			}
			case 'pull-progress': {
				const layer = layers.get(event.layer) ?? {current: 0, total: 0, done: false};
				// After its download a layer reports its extraction with other sizes; its share is settled by then.
				if (!layer.done) {
					if (event.total) layer.total = event.total;
					if (event.current !== undefined) layer.current = event.current;
					if (/complete|already exists/i.test(event.status)) layer.done = true;
				}
				layers.set(event.layer, layer);
				return {now: `${pulling(event.image)}${pullSummary(layers)}`};
			}
			case 'pull-done': {
				return {step: {text: `Image ${event.image} pulled (${formatDuration(event.ms)})`, warning: false}, now: creating};
			}
			case 'volume': {
				return {step: {text: event.reused ? `Reusing volume ${event.name} (data kept from before)` : `Volume ${event.name} created`, warning: false}};
			}
			case 'template': {
				return {step: {text: `Using initialised template ${event.image}`, warning: false}};
			}
			case 'container-created': {
				return {step: {text: `Creating container ${event.name}`, warning: false}, now: 'Starting database...'};
			}
			case 'port-retry': {
				return {step: {text: `Port ${event.port} was taken meanwhile; trying another`, warning: true}};
			}
			case 'container-started': {
				return {step: {text: 'Starting database', warning: false}, now: 'Waiting for healthy...'};
			}
			case 'waiting': {
				return {now: `Waiting for healthy... (${formatDuration(event.elapsedMs)})`};
			}
			case 'ready': {
				return {step: {text: `Waiting for healthy... (${formatDuration(event.ms)})`, warning: false}};
			}
			case 'wal-advance': {
				return {now: `Moving the WAL position past ${event.past}...`};
			}
			case 'wal-advanced': {
				return {step: {text: `WAL position moved past ${event.past} (${formatDuration(event.ms)})`, warning: false}};
			}
			case 'cleanup': {
				const text = event.reason.includes('keep-on-error') ? `Keeping ${event.name}: ${event.reason}` : `Removing ${event.name} (${event.reason})`;
				return {step: {text, warning: true}};
			}
			default: {
				// A step this version does not know yet has no words; the result still comes.
				return {};
			}
		}
	};
}
