import {homedir} from 'node:os';
import path from 'node:path';
import {useInput, type Key} from 'ink';
import {useReducer, useRef} from 'react';
import type {CreateOptions} from '../../core/create/plan.js';
import {presetList, presets} from '../../core/presets/catalog.js';
import {modes, type DatabaseKind, type Mode} from '../../core/types.js';
import {eachKey} from '../typed-input.js';

/**
 * The create form's state and keys, apart from its rendering (as ink-ui splits its inputs): a
 * reducer that tests can drive directly, and a hook that maps keys onto it.
 */
export const formFields = ['database', 'version', 'mode', 'name', 'port', 'cdc', 'init'] as const;
export type FormField = (typeof formFields)[number];

export type CreateFormState = {
	field: FormField;
	database: DatabaseKind;
	version: string;
	mode: Mode;
	name: string;
	port: string;
	/** Set the server up for change data capture (off by default). */
	cdc: boolean;
	/** Init paths as typed: files or folders, separated by commas (--init of the command line). */
	init: string;
	/** Why the last submit was refused, shown under the fields. */
	error: string | undefined;
};

export type CreateFormAction =
	| {type: 'move'; delta: number}
	| {type: 'cycle'; delta: number}
	| {type: 'type'; text: string}
	| {type: 'erase'}
	| {type: 'refuse'; error: string};

export const databaseChoices: readonly DatabaseKind[] = presetList.map(preset => preset.kind);

export function versionChoices(database: DatabaseKind): string[] {
	return presets[database].versions.map(version => version.version);
}

export function initialFormState(database: DatabaseKind = 'postgres'): CreateFormState {
	return {field: 'database', database, version: presets[database].defaultVersion, mode: 'fast', name: '', port: '', cdc: false, init: '', error: undefined};
}

const cycle = <T>(choices: readonly T[], current: T, delta: number): T => {
	const index = choices.indexOf(current);
	return choices[(index + delta + choices.length) % choices.length]!;
};

// What a name or a port can hold; anything else typed there is ignored rather than refused later.
const nameCharacter = /^[\w.-]+$/;
const portCharacter = /^\d+$/;
const maxInitLength = 4096;
/** Anything but control characters: a file name may hold spaces and any other character. */
const pathText = /^\P{Cc}+$/u;

/**
 * The init paths typed: split at commas, trimmed, empty ones dropped. No shell reads this line,
 * so "~/" is expanded here as the shell would have for --init.
 */
export function initPaths(text: string): string[] {
	return text
		.split(',')
		.map(part => part.trim())
		.filter(part => part !== '')
		.map(part => (part === '~' || part.startsWith('~/') ? path.join(homedir(), part.slice(1)) : part));
}

export function createFormReducer(state: CreateFormState, action: CreateFormAction): CreateFormState {
	switch (action.type) {
		case 'move': {
			return {...state, field: cycle(formFields, state.field, action.delta)};
		}
		case 'cycle': {
			if (state.field === 'database') {
				const database = cycle(databaseChoices, state.database, action.delta);
				// Versions differ per database: start from the new one's default.
				return {...state, database, version: presets[database].defaultVersion, error: undefined};
			}
			if (state.field === 'version') return {...state, version: cycle(versionChoices(state.database), state.version, action.delta), error: undefined};
			if (state.field === 'mode') return {...state, mode: cycle(modes, state.mode, action.delta), error: undefined};
			if (state.field === 'cdc') return {...state, cdc: !state.cdc, error: undefined};
			return state;
		}
		case 'type': {
			if (state.field === 'name' && nameCharacter.test(action.text) && state.name.length + action.text.length <= 63)
				return {...state, name: state.name + action.text, error: undefined};
			if (state.field === 'port' && portCharacter.test(action.text) && state.port.length + action.text.length <= 5)
				return {...state, port: state.port + action.text, error: undefined};
			if (state.field === 'init' && pathText.test(action.text) && state.init.length + action.text.length <= maxInitLength)
				return {...state, init: state.init + action.text, error: undefined};
			return state;
		}
		case 'erase': {
			if (state.field === 'name') return {...state, name: state.name.slice(0, -1)};
			if (state.field === 'port') return {...state, port: state.port.slice(0, -1)};
			if (state.field === 'init') return {...state, init: state.init.slice(0, -1)};
			return state;
		}
		case 'refuse': {
			return {...state, error: action.error};
		}
	}
}

/** The form as create options; the values go as typed, and the core's plan checks them (it reads the init files). */
export function formToOptions(state: CreateFormState): CreateOptions {
	return {
		database: state.database,
		version: state.version,
		mode: state.mode,
		...(state.name === '' ? {} : {name: state.name}),
		...(state.port === '' ? {} : {port: state.port}),
		...(state.cdc ? {cdc: true} : {}),
		...(initPaths(state.init).length > 0 ? {init: initPaths(state.init)} : {}),
	};
}

export type UseCreateFormOptions = {
	/** Returns why the options were refused, or undefined once the create has started. */
	onSubmit: (options: CreateOptions) => string | undefined;
	onCancel: () => void;
};

export function useCreateForm({onSubmit, onCancel}: UseCreateFormOptions): CreateFormState {
	// The state lives in a ref, updated as each key is handled, not only at the next render: a
	// paste, or keys typed faster than a frame, arrive as several inputs in one go ("name\r"), and
	// enter must submit what was typed just before it.
	const state = useRef<CreateFormState>(initialFormState());
	const [, render] = useReducer((count: number) => count + 1, 0);
	const dispatch = (action: CreateFormAction) => {
		const next = createFormReducer(state.current, action);
		if (next === state.current) return;
		state.current = next;
		render();
	};

	useInput((chunk, chunkKey) => {
		eachKey(chunk, chunkKey, handleKey);
	});
	return state.current;

	function handleKey(input: string, key: Key): void {
		if (key.escape) {
			onCancel();
		} else if (key.return) {
			const error = onSubmit(formToOptions(state.current));
			if (error) dispatch({type: 'refuse', error});
		} else if (key.upArrow || (key.tab && key.shift)) {
			dispatch({type: 'move', delta: -1});
		} else if (key.downArrow || key.tab) {
			dispatch({type: 'move', delta: 1});
		} else if (key.leftArrow) {
			dispatch({type: 'cycle', delta: -1});
		} else if (key.rightArrow || input === ' ') {
			dispatch({type: 'cycle', delta: 1});
		} else if (key.backspace || key.delete) {
			dispatch({type: 'erase'});
		} else if (!key.ctrl && !key.meta && input !== '') {
			dispatch({type: 'type', text: input});
		}
	}
}
