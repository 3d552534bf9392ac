/** Text the commands alone print; durations, uptimes and sizes are in core/format.ts. */

/** `5432->5432`, with the address when it is not the loopback default. */
export function formatPorts(hostIp: string, hostPort: number | undefined, containerPort: number): string {
	if (hostPort === undefined) return '-';
	const address = hostIp === '127.0.0.1' ? '' : `${hostIp.includes(':') ? `[${hostIp}]` : hostIp}:`;
	return `${address}${hostPort}->${containerPort}`;
}
