/**
 * Durations, uptimes and sizes as text. Here rather than in a face so that the commands, the
 * dashboard and the progress words (core/progress-text.ts) print the same thing for the same value.
 */

/** An operation's duration, as the create steps print it: "2.8s", "1m 05s". */
export function formatDuration(ms: number): string {
	const seconds = Math.max(0, ms) / 1000;
	if (seconds < 60) return `${seconds.toFixed(1)}s`;
	const whole = Math.round(seconds);
	return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
}

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/**
 * How long something has run or existed: "30s", "12m", "3h 0m", "2d 4h". Past the first hour
 * always two units, so the text keeps its shape as the clock turns ("3h 0m", not "3h", which also
 * reads like a rounded figure), and at most 7 characters up to 99 days (the dashboard's column).
 * Coarse on purpose: seconds only in the first minute. Showing seconds for an hour-old database
 * would repaint the dashboard's table every second for nothing.
 */
export function formatUptime(ms: number): string {
	const value = Math.max(0, ms);
	if (value < minute) return `${Math.floor(value / second)}s`;
	if (value < hour) return `${Math.floor(value / minute)}m`;
	if (value < day) return `${Math.floor(value / hour)}h ${Math.floor((value % hour) / minute)}m`;
	return `${Math.floor(value / day)}d ${Math.floor((value % day) / hour)}h`;
}

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * Binary units like `docker stats`: 45.2 MiB, 256 MiB, 1.0 GiB. Below 100 always one decimal, so
 * a figure that changes every second (the dashboard's memory column) keeps its width instead of
 * jumping between "1 GiB" and "1.1 GiB".
 */
export function formatBytes(bytes: number): string {
	let value = Math.max(0, bytes);
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	if (unit === 0) return `${Math.round(value)} B`;
	// Three significant digits at most: 1.5 GiB, 45.2 MiB, 256 MiB.
	const text = value >= 99.95 ? String(Math.round(value)) : value.toFixed(1);
	return `${text} ${units[unit]}`;
}
