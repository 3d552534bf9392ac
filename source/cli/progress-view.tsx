import {useSyncExternalStore} from 'react';
import {Box, Static, Text, render} from 'ink';
import Spinner from 'ink-spinner';
import type {Reporter} from './progress.js';

type Line = {id: number; text: string};
/**
 * `last` is the newest finished line, kept in the live area until the next one arrives: Ink ends
 * with an empty live area as a blank line, and the last step is the natural thing to end on.
 */
type Snapshot = {done: Line[]; last?: Line; active: Array<{key: string; text: string}>};

/** A tiny external store: the reporter writes, the component reads through useSyncExternalStore. */
function createModel() {
	let snapshot: Snapshot = {done: [], active: []};
	const listeners = new Set<() => void>();
	let nextId = 0;
	const set = (next: Snapshot) => {
		snapshot = next;
		for (const listener of listeners) listener();
	};
	return {
		get: () => snapshot,
		subscribe(listener: () => void) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		done(text: string) {
			const {last} = snapshot;
			set({...snapshot, done: last ? [...snapshot.done, last] : snapshot.done, last: {id: nextId++, text}});
		},
		active(key: string, text: string) {
			const exists = snapshot.active.some(item => item.key === key);
			set({...snapshot, active: exists ? snapshot.active.map(item => (item.key === key ? {key, text} : item)) : [...snapshot.active, {key, text}]});
		},
		clear(key?: string) {
			set({...snapshot, active: key === undefined ? [] : snapshot.active.filter(item => item.key !== key)});
		},
	};
}

type Model = ReturnType<typeof createModel>;

function ProgressView({model}: {model: Model}) {
	const {done, last, active} = useSyncExternalStore(model.subscribe, model.get);
	return (
		<>
			{/* Finished lines are written once above the live area and never redrawn. */}
			<Static items={done}>{line => <Text key={line.id}>{line.text}</Text>}</Static>
			{last ? <Text>{last.text}</Text> : undefined}
			{active.map(item => (
				<Box key={item.key}>
					<Text>
						<Spinner type="dots" /> {item.text}
					</Text>
				</Box>
			))}
		</>
	);
}

export function createInkReporter(): Reporter {
	const model = createModel();
	// Ctrl-C stays a signal (main.ts aborts the operation and cleans up); Ink must not eat it.
	const instance = render(<ProgressView model={model} />, {exitOnCtrlC: false, patchConsole: false});
	return {
		live: true,
		done: text => {
			model.done(text);
		},
		active: (key, text) => {
			model.active(key, text);
		},
		clear: key => {
			model.clear(key);
		},
		note() {},
		async close() {
			model.clear();
			instance.unmount();
			await instance.waitUntilExit();
		},
	};
}
