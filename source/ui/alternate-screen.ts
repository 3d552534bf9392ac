/**
 * The alternate screen buffer, as full-screen terminal programs use it: the user's scrollback is
 * untouched while the dashboard runs and comes back exactly as it was when it leaves. Ink 6 has no
 * helper for it. Leaving must happen on every exit path, so it is idempotent and synchronous.
 */
export const enterAlternateScreen = '\u001B[?1049h\u001B[H\u001B[2J';
export const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';

export type AlternateScreen = {
	enter(): void;
	/** Safe to call any number of times, from any exit path (including process 'exit'). */
	leave(): void;
};

export function alternateScreen(stream: {write(data: string): unknown}): AlternateScreen {
	let active = false;
	return {
		enter() {
			if (active) return;
			active = true;
			stream.write(enterAlternateScreen);
		},
		leave() {
			if (!active) return;
			active = false;
			stream.write(showCursor + leaveAlternateScreen);
		},
	};
}
