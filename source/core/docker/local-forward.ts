import {createServer, type Server, type Socket} from 'node:net';
import type {Duplex} from 'node:stream';

/**
 * A local listener whose every connection is piped to a stream opened elsewhere (an SSH channel):
 * what `ssh -L` does. Used for the engine's API (a unix socket in a private folder, so dockerode
 * speaks plain HTTP to it) and for databases on the engine's host (127.0.0.1 and a port, so the
 * drivers and the user's own client connect as to any local server).
 */
export type LocalForward = {
	/** Where it listens: a unix socket path, or 127.0.0.1 and a port. */
	readonly path?: string;
	readonly host?: string;
	readonly port?: number;
	/** Stop listening and cut every connection piped through it. */
	close(): Promise<void>;
};

export type Opener = () => Promise<Duplex>;

function pipeBoth(socket: Socket, channel: Duplex): void {
	// Either side going away ends the other: a half-open pipe would hang a client or a driver.
	const end = () => {
		socket.destroy();
		channel.destroy();
	};
	socket.on('error', end);
	channel.on('error', end);
	socket.once('close', end);
	channel.once('close', end);
	socket.pipe(channel).pipe(socket);
	socket.resume();
}

function forwardingServer(open: Opener): {server: Server; sockets: Set<Socket>} {
	const sockets = new Set<Socket>();
	const server = createServer({pauseOnConnect: true}, socket => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		open().then(
			channel => {
				if (socket.destroyed) channel.destroy();
				else pipeBoth(socket, channel);
			},
			() => {
				// The client sees its connection reset; the opener's error is for whoever asked it (a
				// probe's error says "connection reset", the engine check reports the SSH error itself).
				socket.destroy();
			},
		);
	});
	// Listeners never keep the process alive: whoever opened them closes them, or the process ends.
	server.unref();
	return {server, sockets};
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
	return async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise<void>(resolve => {
			server.close(() => {
				resolve();
			});
		});
	};
}

/**
 * Listen on a unix socket path at once: binding a path is synchronous in Node, so the socket
 * accepts connections as soon as this returns (dockerode takes a path, not a promise of one).
 */
export function forwardUnixSocket(path: string, open: Opener): LocalForward {
	const {server, sockets} = forwardingServer(open);
	server.listen(path);
	return {path, close: closer(server, sockets)};
}

/** Listen on host:port (port 0: any free port), resolved once it listens. */
export async function forwardTcpPort(host: string, port: number, open: Opener): Promise<LocalForward> {
	const {server, sockets} = forwardingServer(open);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen({host, port}, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	const bound = typeof address === 'object' && address ? address.port : port;
	return {host, port: bound, close: closer(server, sockets)};
}
