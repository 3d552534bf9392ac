import {useInput} from 'ink';
import {eachKey} from '../typed-input.js';
import {endFilter, setFilter} from '../../store/view-actions.js';
import {useDashboardContext} from './use-dashboard.js';

/** The `/` prompt: the table narrows as each key is typed; enter keeps the filter, esc clears it. */
export function useFilterInput(isActive: boolean): void {
	const {store} = useDashboardContext();
	useInput(
		(chunk, chunkKey) => {
			eachKey(chunk, chunkKey, (input, key) => {
				// Keys after an enter in the same chunk are dropped: the main keys were not listening yet.
				const {filter, filterEditing} = store.getState();
				if (!filterEditing) return;
				if (key.return) endFilter(store, true);
				else if (key.escape) endFilter(store, false);
				else if (key.backspace || key.delete) setFilter(store, filter.slice(0, -1));
				// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the filter must not take
				else if (!key.ctrl && !key.meta && input !== '' && !/[\u0000-\u001F]/.test(input)) setFilter(store, filter + input);
			});
		},
		{isActive},
	);
}
