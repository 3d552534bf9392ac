import {useEffect} from 'react';
import {useStore} from 'zustand';
import {createStore} from 'zustand/vanilla';

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const frameMs = 100;

/**
 * One clock for every spinner on screen, running only while at least one is shown: each starting
 * row advancing on its own timer would mean a render per row per frame instead of one per frame.
 */
const ticker = createStore<{frame: number}>()(() => ({frame: 0}));
let users = 0;
let timer: NodeJS.Timeout | undefined;

function retain(): () => void {
	users++;
	timer ??= setInterval(() => {
		ticker.setState(state => ({frame: (state.frame + 1) % frames.length}));
	}, frameMs);
	return () => {
		users--;
		if (users === 0) {
			clearInterval(timer);
			timer = undefined;
		}
	};
}

/** The current spinner character while `active`; an empty string (and no timer) otherwise. */
export function useSpinnerFrame(active: boolean): string {
	useEffect(() => (active ? retain() : undefined), [active]);
	// Inactive users select a constant, so the ticker does not re-render them.
	const frame = useStore(ticker, state => (active ? state.frame : -1));
	return frame === -1 ? '' : frames[frame]!;
}
