import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {forwardTcpPort, forwardUnixSocket, type LocalForward} from './local-forward.js';
import {SshLink, sshTarget, type SshLinkOptions} from './ssh-link.js';

/**
 * An engine on another machine, reached over SSH: dockerode talks HTTP to a local unix socket
 * whose connections become channels of one SSH connection, and databases published on that
 * machine's 127.0.0.1 are reached through local forwards over the same connection.
 */
export type SshEngine = {
	readonly link: SshLink;
	/** The local socket dockerode connects to. */
	readonly socketPath: string;
	/** Listen on local host:port (0: any free one) and forward each connection to host:port on the engine's host. */
	forward(target: {host: string; port: number}, local: {host: string; port: number}): Promise<LocalForward>;
	close(): Promise<void>;
};

export function openSshEngine(address: string, options: SshLinkOptions = {}): SshEngine {
	const link = new SshLink(sshTarget(address), options);
	// The engine's API is root on its host: its local end is a socket in a folder only we may
	// enter (mkdtemp makes it 0700), never a TCP port every local user could connect to.
	const folder = mkdtempSync(path.join(tmpdir(), 'dbarena-ssh-'));
	const socketPath = path.join(folder, 'engine.sock');
	const engine = forwardUnixSocket(socketPath, async () => link.openEngine());
	const forwards = new Set<LocalForward>();
	const removeFolder = () => {
		rmSync(folder, {recursive: true, force: true});
	};
	// A process that ends without closing (an uncaught error) still leaves no folder behind.
	process.once('exit', removeFolder);
	return {
		link,
		socketPath,
		async forward(target, local) {
			const forward = await forwardTcpPort(local.host, local.port, async () => link.forward(target.host, target.port));
			forwards.add(forward);
			return {
				...forward,
				async close() {
					forwards.delete(forward);
					await forward.close();
				},
			};
		},
		async close() {
			await Promise.all([engine.close(), ...[...forwards].map(async forward => forward.close())]);
			link.close();
			removeFolder();
			process.off('exit', removeFolder);
		},
	};
}
