import {mkdtempSync} from 'node:fs';
import {connect, createServer, type Server, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';

/**
 * A unix-socket proxy in front of the real engine that drops the first `dropFirst` connections
 * (accepts, then resets them), to prove transient API failures are retried. It counts requests by
 * their first line so a test can tell a retried call from a single one.
 */
export async function startFlakyProxy(options: {
	dropFirst: number;
	target?: string;
}): Promise<{address: string; requests: string[]; dropped: () => number; close: () => Promise<void>}> {
	const target = options.target ?? '/var/run/docker.sock';
	const socketPath = path.join(mkdtempSync(path.join(tmpdir(), 'dbarena-proxy-')), 'docker.sock');
	const requests: string[] = [];
	let dropped = 0;
	const sockets = new Set<Socket>();
	const server: Server = createServer(client => {
		sockets.add(client);
		client.on('close', () => sockets.delete(client));
		if (dropped < options.dropFirst) {
			dropped++;
			client.destroy();
			return;
		}
		const upstream = connect(target);
		sockets.add(upstream);
		upstream.on('close', () => sockets.delete(upstream));
		client.on('data', (chunk: Buffer) => {
			const line = chunk.toString('latin1').split('\r\n')[0] ?? '';
			if (/^(GET|POST|PUT|DELETE|HEAD) /.test(line)) requests.push(line.replace(/\/v1\.\d+\//, '/'));
		});
		client.pipe(upstream).pipe(client);
		client.on('error', () => upstream.destroy());
		upstream.on('error', () => client.destroy());
	});
	await new Promise<void>(resolve => {
		server.listen(socketPath, resolve);
	});
	return {
		address: `unix://${socketPath}`,
		requests,
		dropped: () => dropped,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise(resolve => {
				server.close(resolve);
			});
		},
	};
}
