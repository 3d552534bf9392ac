import {useInput, type Key} from 'ink';
import {setMessage} from '../../store/view-actions.js';
import type {KeyActionContext} from '../key-actions.js';
import {keyName} from '../key-names.js';
import {findKeyAction, type KeyContext} from '../keymap.js';
import {eachKey} from '../typed-input.js';
import {filterKey} from './use-filter-input.js';
import {useDashboardContext} from './use-dashboard.js';

export type DashboardKeysOptions = {
	/** Lines the log pane shows: a page for PgUp/PgDn. */
	pageSize: number;
	/** Off while an overlay or the filter prompt has the keyboard. */
	isActive: boolean;
	onQuit: () => void;
};

/**
 * The keys of the keymap (source/ui/keymap.ts), looked up there and nowhere else. Returns the
 * handler of one main key, for the keys the filter prompt hands back after it closes.
 */
export function useDashboardKeys({pageSize, isActive, onQuit}: DashboardKeysOptions): (input: string, key: Key) => void {
	const {store, operations} = useDashboardContext();
	const context: KeyActionContext = {store, operations, pageSize, quit: onQuit};

	function dispatch(input: string, key: Key, where: KeyContext): boolean {
		const name = keyName(input, key);
		const action = name === undefined ? undefined : findKeyAction(name, where);
		action?.handler(context);
		return action !== undefined;
	}

	// Always listening, even while a form has the keyboard (Ink's own Ctrl-C handler is off so that
	// quitting always goes through the same path).
	useInput((chunk, chunkKey) => {
		eachKey(chunk, chunkKey, (input, key) => dispatch(input, key, 'always'));
	});

	// One main key. A chunk of keys may open the filter prompt halfway: the keys after that are
	// typed into it. One that opens an overlay drops the rest (a y/N question must not be answered
	// by keys typed before it was asked).
	const mainKey = (input: string, key: Key): void => {
		const state = store.getState();
		if (state.overlay !== undefined) return;
		if (state.filterEditing) {
			filterKey(store, input, key);
			return;
		}
		if (dispatch(input, key, state.focus)) return;
		if (input !== '' && !key.ctrl && !key.meta) setMessage(store, `"${input}" does nothing here; press ? for the keys`);
	};

	useInput(
		(chunk, chunkKey) => {
			eachKey(chunk, chunkKey, mainKey);
		},
		{isActive},
	);
	return mainKey;
}
