import type {ProgressEvent, ProgressListener} from '../core/types.js';
import {formatBytes, formatDuration} from '../core/format.js';
import type {Paint} from './output.js';
import {marks} from './output.js';
import type {Reporter} from './progress.js';

type Layer = {current: number; total: number; done: boolean};

/** "3/7 layers, 120 MiB / 400 MiB" from the per-layer pull messages. */
export function pullSummary(layers: Map<string, Layer>): string {
	const list = [...layers.values()];
	if (list.length === 0) return '';
	const finished = list.filter(layer => layer.done).length;
	const total = list.reduce((sum, layer) => sum + layer.total, 0);
	const current = list.reduce((sum, layer) => sum + (layer.done ? layer.total : layer.current), 0);
	return ` ${finished}/${list.length} layers${total > 0 ? `, ${formatBytes(current)} / ${formatBytes(total)}` : ''}`;
}

const stillWaitingEveryMs = 10_000;

/**
 * The seed's create steps (✓ Image … cached, ✓ Creating container …, ✓ Starting database,
 * ✓ Waiting for healthy... (1.2s)) from the core's progress events. With `compact` (several
 * creates at once) nothing is printed per step: each container only has its spinner line.
 */
export function createProgress(reporter: Reporter, paint: Paint, options: {key: string; compact?: boolean}): ProgressListener {
	const {ok, warn} = marks(paint);
	const {key, compact = false} = options;
	const layers = new Map<string, Layer>();
	let pullStarted = 0;
	let nextNoteAt = stillWaitingEveryMs;
	const prefix = compact ? `${key}: ` : '';
	const done = (line: string) => {
		if (!compact) reporter.done(line);
	};

	return (event: ProgressEvent) => {
		switch (event.type) {
			case 'image-cached': {
				done(`${ok} Image ${event.image} cached`);
				reporter.active(key, `${prefix}Creating container...`);
				break;
			}
			case 'pull-start': {
				pullStarted = Date.now();
				reporter.active(key, `${prefix}Image ${event.image} not cached, pulling...`);
				reporter.note(`${warn} Image ${event.image} not cached, pulling...`);
				break;
			}
			case 'pull-progress': {
				const layer = layers.get(event.layer) ?? {current: 0, total: 0, done: false};
				if (event.total) layer.total = event.total;
				if (event.current !== undefined) layer.current = event.current;
				if (/complete|already exists/i.test(event.status)) layer.done = true;
				layers.set(event.layer, layer);
				reporter.active(key, `${prefix}Image ${event.image} not cached, pulling... (${formatDuration(Date.now() - pullStarted)})${pullSummary(layers)}`);
				break;
			}
			case 'pull-done': {
				// The seed's line on a terminal; in a log the "pulling..." note is already above it.
				done(reporter.live
					? `${warn} Image ${event.image} not cached, pulling... (${formatDuration(event.ms)})`
					: `${ok} Image ${event.image} pulled (${formatDuration(event.ms)})`);
				reporter.active(key, `${prefix}Creating container...`);
				break;
			}
			case 'volume': {
				done(event.reused ? `${ok} Reusing volume ${event.name} (data kept from before)` : `${ok} Volume ${event.name} created`);
				break;
			}
			case 'template': {
				done(`${ok} Using initialised template ${event.image}`);
				break;
			}
			case 'container-created': {
				done(`${ok} Creating container ${event.name}`);
				reporter.active(key, `${prefix}Starting database...`);
				break;
			}
			case 'port-retry': {
				done(`${warn} Port ${event.port} was taken meanwhile; trying another`);
				break;
			}
			case 'container-started': {
				done(`${ok} Starting database`);
				reporter.active(key, `${prefix}Waiting for healthy...`);
				break;
			}
			case 'waiting': {
				reporter.active(key, `${prefix}Waiting for healthy... (${formatDuration(event.elapsedMs)})`);
				if (event.elapsedMs >= nextNoteAt) {
					reporter.note(`  still waiting for ${event.name} to accept logins (${formatDuration(event.elapsedMs)})`);
					nextNoteAt += stillWaitingEveryMs;
				}
				break;
			}
			case 'ready': {
				reporter.clear(key);
				done(`${ok} Waiting for healthy... (${formatDuration(event.ms)})`);
				break;
			}
			case 'cleanup': {
				reporter.clear(key);
				reporter.done(`${warn} ${event.reason.includes('keep-on-error') ? `Keeping ${event.name}: ${event.reason}` : `Removing ${event.name} (${event.reason})`}`);
				break;
			}
			default: {
				// A step this version does not know yet is simply not shown; the result still is.
				break;
			}
		}
	};
}
