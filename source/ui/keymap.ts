/** Every key, once: the help overlay lists these and the hint line shows the short forms. */
export type KeyBinding = {
	keys: string;
	action: string;
	/** The hint line's short form; left out of the hint line when undefined. */
	hint?: string;
};

export const keyBindings: readonly KeyBinding[] = [
	{keys: '↑ ↓  j k', action: 'select a container (scroll when the logs have focus)', hint: '↑↓ select'},
	{keys: 'enter', action: 'show or hide the details panel', hint: 'enter details'},
	{keys: 'c', action: 'create a database (runs in the background)', hint: 'c create'},
	{keys: 's', action: 'start or stop the selected container', hint: 's start/stop'},
	{keys: 'r', action: 'restart the selected container', hint: 'r restart'},
	{keys: 'R', action: 'reset it to fresh data (asks first; says so when its volume\'s data goes)', hint: 'R reset'},
	{keys: 'S', action: 'take a snapshot of the selected running container', hint: 'S snapshot'},
	{keys: 'd', action: 'destroy it (asks first; removing its volume is a second choice)', hint: 'd destroy'},
	{keys: 'l', action: 'focus the log pane (l or esc goes back to the table)', hint: 'l logs'},
	{keys: 'PgUp PgDn', action: 'scroll the logs a page'},
	{keys: 'p', action: 'pause or resume following the logs'},
	{keys: 'g G  Home End', action: 'logs: oldest line / follow the end again (log pane focused)'},
	{keys: 'u', action: 'show the connection URL in the status line', hint: 'u url'},
	{keys: 'a', action: 'show all containers, or running ones only', hint: 'a all'},
	{keys: '/', action: 'filter by name or database (enter keeps it, esc clears it)', hint: '/ filter'},
	{keys: '?', action: 'show or hide this help', hint: '? help'},
	{keys: 'q  Ctrl-C', action: 'quit (containers keep running)', hint: 'q quit'},
];
