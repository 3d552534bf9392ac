import {describe, expect, it} from 'vitest';
import {createProgress} from '../../source/cli/create-progress.js';
import {painter} from '../../source/cli/output.js';
import type {Reporter} from '../../source/cli/progress.js';
import type {ProgressEvent} from '../../source/core/types.js';

function fakeReporter(live: boolean) {
	const printed: string[] = [];
	const active = new Map<string, string>();
	const reporter: Reporter = {
		live,
		done: line => printed.push(line),
		active: (key, text) => active.set(key, text),
		clear: key => active.delete(key),
		note: line => {
			if (!live) printed.push(line);
		},
		async close() {},
	};
	return {reporter, printed, active};
}

const createEvents: ProgressEvent[] = [
	{type: 'image-cached', image: 'postgres:16-alpine'},
	{type: 'container-created', name: 'pg', id: 'abc'},
	{type: 'container-started', name: 'pg', hostPort: 5432},
	{type: 'waiting', name: 'pg', elapsedMs: 500},
	{type: 'ready', name: 'pg', ms: 1200},
];

describe('createProgress', () => {
	it('prints the ✓ create steps, without colour when colour is off', () => {
		const {reporter, printed, active} = fakeReporter(false);
		const listener = createProgress(reporter, painter(false), {key: 'pg'});
		for (const event of createEvents) listener(event);
		expect(printed).toEqual(['✓ Image postgres:16-alpine cached', '✓ Creating container pg', '✓ Starting database', '✓ Waiting for healthy... (1.2s)']);
		expect(active.size).toBe(0);
	});

	it('shows a pull as one ⚠ line with its time on a terminal, and as start + done lines in a log', () => {
		const pull: ProgressEvent[] = [
			{type: 'pull-start', image: 'mysql:8.4'},
			{type: 'pull-progress', image: 'mysql:8.4', layer: 'l1', status: 'Downloading', current: 5, total: 10},
			{type: 'pull-done', image: 'mysql:8.4', ms: 15_240},
		];
		const terminal = fakeReporter(true);
		const onTerminal = createProgress(terminal.reporter, painter(false), {key: 'my'});
		onTerminal(pull[0]!);
		onTerminal(pull[1]!);
		expect(terminal.active.get('my')).toBe('Image mysql:8.4 not cached, pulling... 0/1 layers, 50% of 10 B');
		onTerminal(pull[2]!);
		expect(terminal.printed).toEqual(['⚠ Image mysql:8.4 not cached, pulling... (15.2s)']);

		const log = fakeReporter(false);
		const onLog = createProgress(log.reporter, painter(false), {key: 'my'});
		for (const event of pull) onLog(event);
		expect(log.printed).toEqual(['⚠ Image mysql:8.4 not cached, pulling...', '✓ Image mysql:8.4 pulled (15.2s)']);
	});

	it('notes a long wait every 10 s in a log', () => {
		const {reporter, printed} = fakeReporter(false);
		const listener = createProgress(reporter, painter(false), {key: 'pg'});
		for (const elapsedMs of [250, 9_900, 10_100, 15_000, 20_050]) listener({type: 'waiting', name: 'pg', elapsedMs});
		expect(printed).toEqual(['  pg: Waiting for healthy... (10.1s)', '  pg: Waiting for healthy... (20.1s)']);
	});

	it('prints nothing per step in compact (parallel) mode, only the spinner line', () => {
		const {reporter, printed, active} = fakeReporter(true);
		const listener = createProgress(reporter, painter(false), {key: 'pg', compact: true});
		listener(createEvents[0]!);
		listener(createEvents[3]!);
		expect(printed).toEqual([]);
		expect(active.get('pg')).toBe('pg: Waiting for healthy... (0.5s)');
	});

	it('colours the marks when colour is on', () => {
		const {reporter, printed} = fakeReporter(false);
		createProgress(reporter, painter(true), {key: 'pg'})(createEvents[0]!);
		expect(printed[0]).toBe('\u001B[32m✓\u001B[39m Image postgres:16-alpine cached');
	});

	it('says what became of the container after a failure, even in compact mode', () => {
		const {reporter, printed, active} = fakeReporter(true);
		const listener = createProgress(reporter, painter(false), {key: 'pg', compact: true});
		listener(createEvents[3]!);
		listener({type: 'cleanup', name: 'pg', reason: 'interrupted'});
		expect(printed).toEqual(['⚠ Removing pg (interrupted)']);
		expect(active.size).toBe(0);
	});
});
