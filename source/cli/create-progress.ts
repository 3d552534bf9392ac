import type {ProgressEvent, ProgressListener} from '../core/types.js';
import {formatDuration} from '../core/format.js';
import {progressWords} from '../core/progress-words.js';
import type {Paint} from './output.js';
import {marks} from './output.js';
import type {Reporter} from './progress.js';

const stillWaitingEveryMs = 10_000;

/**
 * The create steps (✓ Image … cached, ✓ Creating container …, ✓ Starting database,
 * ✓ Waiting for healthy... (1.2s)) from the core's progress events: the words are the core's
 * (core/progress-words.ts), the marks, colours and spinners these. With `compact` (several
 * creates at once) nothing is printed per step: each container only has its spinner line.
 */
export function createProgress(reporter: Reporter, paint: Paint, options: {key: string; compact?: boolean}): ProgressListener {
	const {ok, warn} = marks(paint);
	const {key, compact = false} = options;
	const describe = progressWords();
	let pulling = '';
	let nextNoteAt = stillWaitingEveryMs;
	const prefix = compact ? `${key}: ` : '';
	const done = (line: string) => {
		if (!compact) reporter.done(line);
	};

	return (event: ProgressEvent) => {
		const {step, now} = describe(event);
		if (event.type === 'ready' || event.type === 'cleanup' || event.type === 'wal-advanced') reporter.clear(key);
		if (now !== undefined) reporter.active(key, `${prefix}${now}`);
		if (event.type === 'waiting' && now !== undefined && event.elapsedMs >= nextNoteAt) {
			// A log has no spinner to show that the wait goes on.
			reporter.note(`  ${event.name}: ${now}`);
			nextNoteAt += stillWaitingEveryMs;
		}
		if (step === undefined) return;
		const line = `${step.warning ? warn : ok} ${step.text}`;
		switch (event.type) {
			case 'pull-start': {
				// On a terminal the spinner says it already.
				pulling = step.text;
				reporter.note(line);
				break;
			}
			case 'pull-done': {
				// On a terminal the warning line of the original spec, with the time; in a log the
				// "pulling..." note is already above, and this says that it finished.
				done(reporter.live && pulling ? `${warn} ${pulling} (${formatDuration(event.ms)})` : line);
				break;
			}
			case 'cleanup': {
				// Even in compact mode: what happened to the container must not go unsaid.
				reporter.done(line);
				break;
			}
			default: {
				done(line);
				break;
			}
		}
	};
}
