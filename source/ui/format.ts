/** Text for table cells and panels. Pure, so the exact strings are unit-tested. */

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Binary units like `docker stats`: 45.2 MiB, 256 MiB, 1.0 GiB. */
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

export function formatPercent(percent: number): string {
	return percent >= 99.95 ? `${Math.round(percent)}%` : `${percent.toFixed(1)}%`;
}

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/**
 * Coarse on purpose: seconds only in the first minute. Showing seconds for an hour-old database
 * would repaint the table every second for nothing.
 */
export function formatUptime(ms: number): string {
	const value = Math.max(0, ms);
	if (value < minute) return `${Math.floor(value / second)}s`;
	if (value < hour) return `${Math.floor(value / minute)}m`;
	if (value < day) return `${Math.floor(value / hour)}h ${Math.floor(value % hour / minute)}m`;
	return `${Math.floor(value / day)}d ${Math.floor(value % day / hour)}h`;
}

/**
 * Milliseconds until the uptime column needs repainting, or undefined when nothing runs. While a
 * container is in its first minute (seconds shown) that is the next second; otherwise the next
 * full minute of the wall clock, one repaint for every row together. Rows whose own minute turns
 * in between show it up to a minute late: the column is coarse on purpose (see formatUptime).
 */
export function nextUptimeTick(now: number, startTimes: readonly number[]): number | undefined {
	if (startTimes.length === 0) return undefined;
	if (startTimes.some(start => now - start < minute)) return second - now % second;
	return minute - now % minute;
}

/** Exactly `width` columns: cut with an ellipsis, or padded. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) return '';
	const characters = [...text];
	if (characters.length > width) return width === 1 ? '…' : `${characters.slice(0, width - 1).join('')}…`;
	const padding = ' '.repeat(width - characters.length);
	return align === 'left' ? text + padding : padding + text;
}
