import {useInput, type Key} from 'ink';
import {setMessage} from '../../store/view-actions.js';
import type {KeyActionContext} from '../key-actions.js';
import {keyName} from '../key-names.js';
import {findKeyAction, type KeyContext} from '../keymap.js';
import {eachKey} from '../typed-input.js';
import {useDashboardContext} from './use-dashboard.js';

export type DashboardKeysOptions = {
	/** Lines the log pane shows: a page for PgUp/PgDn. */
	pageSize: number;
	/** Off while an overlay or the filter prompt has the keyboard. */
	isActive: boolean;
	onQuit: () => void;
};

/** The keys of the keymap (source/ui/keymap.ts), looked up there and nowhere else. */
export function useDashboardKeys({pageSize, isActive, onQuit}: DashboardKeysOptions): void {
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

	useInput(
		(chunk, chunkKey) => {
			eachKey(chunk, chunkKey, (input, key) => {
				const state = store.getState();
				// A chunk of keys may open an overlay or the filter prompt halfway: the keys after that are
				// dropped rather than taken as main keys (the overlay was not listening yet).
				if (state.overlay !== undefined || state.filterEditing) return;
				if (dispatch(input, key, state.focus)) return;
				if (input !== '' && !key.ctrl && !key.meta) setMessage(store, `"${input}" does nothing here; press ? for the keys`);
			});
		},
		{isActive},
	);
}
