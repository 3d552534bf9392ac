/**
 * Text for table cells and panels. Pure, so the exact strings are unit-tested. Durations, uptimes
 * and sizes are in core/format.ts, shared with the commands.
 */

export function formatPercent(percent: number): string {
	return percent >= 99.95 ? `${Math.round(percent)}%` : `${percent.toFixed(1)}%`;
}

const second = 1000;
const minute = 60 * second;

/**
 * Milliseconds until the uptime column needs repainting, or undefined when nothing runs. While a
 * container is in its first minute (seconds shown) that is the next second; otherwise the next
 * full minute of the wall clock, one repaint for every row together. Rows whose own minute turns
 * in between show it up to a minute late: the column is coarse on purpose (see formatUptime in
 * core/format.ts).
 */
export function nextUptimeTick(now: number, startTimes: readonly number[]): number | undefined {
	if (startTimes.length === 0) return undefined;
	if (startTimes.some(start => now - start < minute)) return second - (now % second);
	return minute - (now % minute);
}

/** Exactly `width` columns: cut with an ellipsis, or padded. */
export function fitText(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) return '';
	const characters = [...text];
	if (characters.length > width) return width === 1 ? '…' : `${characters.slice(0, width - 1).join('')}…`;
	const padding = ' '.repeat(width - characters.length);
	return align === 'left' ? text + padding : padding + text;
}
