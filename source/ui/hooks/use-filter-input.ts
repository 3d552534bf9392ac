import {useInput, type Key} from 'ink';
import {eachKey} from '../typed-input.js';
import type {DashboardStore} from '../../store/create-dashboard-store.js';
import {endFilter, setFilter} from '../../store/view-actions.js';
import {useDashboardContext} from './use-dashboard.js';

/** One key typed into the `/` prompt: the table narrows as each key is typed; enter keeps the filter, esc clears it. */
export function filterKey(store: DashboardStore, input: string, key: Key): void {
	const {filter} = store.getState();
	if (key.return) endFilter(store, true);
	else if (key.escape) endFilter(store, false);
	else if (key.backspace || key.delete) setFilter(store, filter.slice(0, -1));
	// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the filter must not take
	else if (!key.ctrl && !key.meta && input !== '' && !/[\u0000-\u001F]/.test(input)) setFilter(store, filter + input);
}

/**
 * The `/` prompt's keyboard. Keys after an enter or esc in the same chunk (typed ahead, pasted, or
 * sent by tmux) are the table's again: they go to `afterClose`, the main keys, which were not
 * listening when the chunk arrived.
 */
export function useFilterInput(isActive: boolean, afterClose: (input: string, key: Key) => void): void {
	const {store} = useDashboardContext();
	useInput(
		(chunk, chunkKey) => {
			eachKey(chunk, chunkKey, (input, key) => {
				if (store.getState().filterEditing) filterKey(store, input, key);
				else afterClose(input, key);
			});
		},
		{isActive},
	);
}
