/** Small text formatters shared by the commands; pure, unit-tested. */

/** An operation's duration as the seed prints it: "2.8s", "1m 05s". */
export function formatDuration(ms: number): string {
	const seconds = Math.max(0, ms) / 1000;
	if (seconds < 60) return `${seconds.toFixed(1)}s`;
	const whole = Math.round(seconds);
	return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
}

/** How long a container has run: "30s", "12m", "3h 12m", "2d 4h". */
export function formatUptime(ms: number): string {
	const seconds = Math.max(0, Math.floor(ms / 1000));
	if (seconds < 60) return `${seconds}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes}m`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
	const days = Math.floor(hours / 24);
	return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

/** Binary units, as docker prints image sizes and memory limits. */
export function formatBytes(bytes: number): string {
	const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit === 0 ? `${value} B` : `${value >= 100 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}

/** `5432->5432`, with the address when it is not the loopback default. */
export function formatPorts(hostIp: string, hostPort: number | undefined, containerPort: number): string {
	if (hostPort === undefined) return '-';
	const address = hostIp === '127.0.0.1' ? '' : `${hostIp.includes(':') ? `[${hostIp}]` : hostIp}:`;
	return `${address}${hostPort}->${containerPort}`;
}
