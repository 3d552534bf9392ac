import type Docker from 'dockerode';
import {describe, expect, it} from 'vitest';
import {errorCode, exitCodeFor} from '../../source/cli/exit-codes.js';
import {label} from '../../source/core/labels.js';
import {ContainerManager} from '../../source/core/lifecycle.js';

/** What the engine answers when a stopped container's published port was taken meanwhile. */
const portTaken = Object.assign(
	new Error(
		'(HTTP code 500) server error - driver failed programming external connectivity on endpoint pg: Bind for 127.0.0.1:5432 failed: port is already allocated',
	),
	{statusCode: 500},
);

/** One stopped managed PostgreSQL container whose start and restart the engine refuses. */
function managerWithTakenPort(): ContainerManager {
	const info = {
		Id: 'a'.repeat(64),
		Name: '/pg',
		Config: {Labels: {[label.managed]: 'true', [label.database]: 'postgres', [label.version]: '16'}},
		HostConfig: {PortBindings: {'5432/tcp': [{HostIp: '127.0.0.1', HostPort: '5432'}]}},
		NetworkSettings: {Ports: {}},
		State: {Status: 'exited', Running: false, ExitCode: 0, StartedAt: '0001-01-01T00:00:00Z'},
	};
	const refuse = async () => Promise.reject(portTaken);
	const docker = {getContainer: () => ({inspect: async () => info, start: refuse, restart: refuse})} as unknown as Docker;
	return new ContainerManager({
		engine: {
			docker,
			settings: {},
			address: 'fake',
			location: {address: 'fake', foundBy: 'a test', source: 'DOCKER_HOST', tried: []},
			reach: {kind: 'local'},
			ensureEngine: async () => undefined,
			reachable: async connection => connection,
			openTunnel: async () => Promise.reject(new Error('no tunnels in this test')),
			close: async () => undefined,
		},
	});
}

describe('a port taken while the container was stopped', () => {
	// The same code must mean the same exit code: create's explicit --port conflict exits 2, so does this.
	it.each(['start', 'restart'] as const)('%s: port_in_use, a usage error (exit 2) as when create finds it', async action => {
		const error: unknown = await managerWithTakenPort()
			[action]('pg')
			.catch((caught: unknown) => caught);
		expect(errorCode(error)).toBe('port_in_use');
		expect(exitCodeFor(error)).toBe(2);
		expect((error as Error).message).toContain('Free that port and start it again.');
	});
});
