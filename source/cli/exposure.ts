import {networkInterfaces} from 'node:os';
import {isLoopback} from '../core/create/values.js';
import {portsAreLocal, type EngineReach} from '../core/engine-reach.js';
import type {ConnectionInfo} from '../core/types.js';

/**
 * The line a create prints on stderr when its database is published beyond this machine: from
 * which addresses it is reachable. Undefined for a loopback address (the default).
 */
export function exposureNote(
	name: string,
	hostIp: string,
	connection: Pick<ConnectionInfo, 'host' | 'port'>,
	reach: EngineReach = {kind: 'local'},
): string | undefined {
	if (isLoopback(hostIp)) return undefined;
	// This machine's interfaces say nothing about another machine's: name the address the URL names.
	if (!portsAreLocal(reach)) {
		const host = connection.host.includes(':') ? `[${connection.host}]` : connection.host;
		return `Note: ${name} is reachable from the network at ${host}:${connection.port} (the engine's host), with the password you gave.`;
	}
	const wildcard = hostIp === '0.0.0.0' || hostIp === '::';
	const addresses = wildcard
		? Object.values(networkInterfaces())
				.flat()
				.filter(address => address !== undefined && !address.internal && (hostIp === '::' || address.family === 'IPv4'))
				.map(address => (address!.family === 'IPv6' ? `[${address!.address}]` : address!.address))
		: [hostIp.includes(':') ? `[${hostIp}]` : hostIp];
	const where = addresses.length > 0 ? addresses.map(address => `${address}:${connection.port}`).join(', ') : `every interface, port ${connection.port}`;
	return `Note: ${name} is reachable from the network at ${where}, with the password you gave.`;
}
