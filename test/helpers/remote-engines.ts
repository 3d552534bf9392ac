import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {connect, createServer, type Server, type Socket} from 'node:net';
import {networkInterfaces, tmpdir} from 'node:os';
import path from 'node:path';
import {createServer as createTlsServer} from 'node:tls';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

/**
 * This machine's own engine, reached the ways a remote one is: through a local sshd (Debian's
 * OpenSSH server on 127.0.0.1 only, a spare port, key auth only, its own config, host key and
 * client key made here), and through a TLS listener with client-certificate verification in front
 * of /var/run/docker.sock (certificates made here with openssl). Nothing of the machine's own is
 * changed: the machine's dockerd keeps running as it is.
 */

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen({host: '127.0.0.1', port: 0}, () => {
			const address = server.address();
			server.close(() => {
				resolve(typeof address === 'object' && address ? address.port : 0);
			});
		});
	});
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const open = await new Promise<boolean>(resolve => {
			const socket = connect({host: '127.0.0.1', port}, () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => {
				resolve(false);
			});
		});
		if (open) return;
		if (Date.now() > deadline) throw new Error(`Nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

export type Sshd = {
	port: number;
	/** ssh://root@127.0.0.1:<port> */
	address: string;
	/** A home whose ~/.ssh holds the client key and a known_hosts line for this server. */
	home: string;
	/** What a CLI run needs to use this engine: DOCKER_HOST, HOME, and no agent. */
	env: Record<string, string | undefined>;
	/** The server's log (LogLevel DEBUG1): every forward the client asked for is in it. */
	log(): string;
	/** How many TCP forwards (direct-tcpip) to 127.0.0.1:<port> the server opened so far. */
	forwardsTo(port: number): number;
	stop(): Promise<void>;
};

export type SshdOptions = {
	/** Refuse socket forwarding, so the engine is reached with `docker system dial-stdio` instead. */
	noSocketForwarding?: boolean;
	/** PATH of the sessions it runs (a folder without docker: dial-stdio then fails too). */
	sessionPath?: string;
};

/** Start a private sshd for this machine's root, with a fresh key pair the client's home trusts. */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
	await run('bash', [path.join(root, 'scripts', 'sshd-install.sh')]);
	// Debian's sshd refuses to start without its privilege separation folder.
	mkdirSync('/run/sshd', {recursive: true, mode: 0o755});
	const folder = mkdtempSync(path.join(tmpdir(), 'dbarena-sshd-'));
	const home = path.join(folder, 'home');
	mkdirSync(path.join(home, '.ssh'), {recursive: true, mode: 0o700});
	const hostKey = path.join(folder, 'host_ed25519');
	const clientKey = path.join(home, '.ssh', 'id_ed25519');
	await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dbarena-test-host', '-f', hostKey]);
	await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dbarena-test-client', '-f', clientKey]);
	writeFileSync(path.join(folder, 'authorized_keys'), readFileSync(`${clientKey}.pub`), {mode: 0o600});
	const port = await freePort();
	const [type, key] = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/);
	writeFileSync(path.join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${port} ${type} ${key}\n`);
	const config = path.join(folder, 'sshd_config');
	const logFile = path.join(folder, 'sshd.log');
	writeFileSync(
		config,
		[
			`Port ${port}`,
			'ListenAddress 127.0.0.1',
			`HostKey ${hostKey}`,
			`PidFile ${path.join(folder, 'sshd.pid')}`,
			`AuthorizedKeysFile ${path.join(folder, 'authorized_keys')}`,
			'PubkeyAuthentication yes',
			'PasswordAuthentication no',
			'KbdInteractiveAuthentication no',
			'PermitRootLogin prohibit-password',
			'UsePAM no',
			// The key files live under /tmp, which StrictModes would refuse as world-writable.
			'StrictModes no',
			'AllowTcpForwarding yes',
			`AllowStreamLocalForwarding ${options.noSocketForwarding ? 'no' : 'yes'}`,
			'LogLevel DEBUG1',
			...(options.sessionPath ? [`SetEnv PATH=${options.sessionPath}`] : []),
		].join('\n'),
	);
	const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-f', config, '-E', logFile], {stdio: 'ignore'});
	const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
	await waitForPort(port);
	const log = () => {
		try {
			return readFileSync(logFile, 'utf8');
		} catch {
			return '';
		}
	};
	return {
		port,
		address: `ssh://root@127.0.0.1:${port}`,
		home,
		env: {DOCKER_HOST: `ssh://root@127.0.0.1:${port}`, HOME: home, SSH_AUTH_SOCK: undefined, DOCKER_CONTEXT: undefined},
		log,
		forwardsTo(target) {
			return log()
				.split('\n')
				.filter(line => new RegExp(`server_request_direct_tcpip: originator .* target 127\\.0\\.0\\.1 port ${target}\\r?$`).test(line)).length;
		},
		async stop() {
			child.kill('SIGTERM');
			await exited;
			rmSync(folder, {recursive: true, force: true});
		},
	};
}

export type TlsEngine = {
	port: number;
	/** tcp://127.0.0.1:<port> */
	address: string;
	/** ca.pem, cert.pem, key.pem of a client the listener trusts. */
	certPath: string;
	/** The same files, but a CA that did not sign the listener's certificate. */
	wrongCaPath: string;
	/** tcp://<lanIp>:<port>, when a listener on that address was asked for. */
	lanAddress?: string;
	env: Record<string, string | undefined>;
	/** How many connections with a trusted client certificate the listeners took so far: proof a command went through them. */
	connections(): number;
	stop(): Promise<void>;
};

async function openssl(args: string[], cwd: string): Promise<void> {
	await run('openssl', args, {cwd});
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as `dockerd --tlsverify` setups use. */
async function makeCertificates(folder: string, serverIps: string[]): Promise<void> {
	const days = ['-days', '2'];
	await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-subj', '/CN=dbarena test CA', ...days], folder);
	await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], folder);
	const names = serverIps.map(ip => `IP:${ip}`).join(',');
	writeFileSync(path.join(folder, 'server.ext'), `subjectAltName = ${names}\nextendedKeyUsage = serverAuth\n`);
	await openssl(
		[
			'x509',
			'-req',
			'-in',
			'server.csr',
			'-CA',
			'ca.pem',
			'-CAkey',
			'ca-key.pem',
			'-CAcreateserial',
			'-out',
			'server-cert.pem',
			'-extfile',
			'server.ext',
			...days,
		],
		folder,
	);
	await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'client.csr', '-subj', '/CN=dbarena test client'], folder);
	writeFileSync(path.join(folder, 'client.ext'), 'extendedKeyUsage = clientAuth\n');
	await openssl(
		['x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'cert.pem', '-extfile', 'client.ext', ...days],
		folder,
	);
}

/**
 * A TLS listener on 127.0.0.1 that verifies client certificates and pipes to the engine's socket;
 * with `lanIp`, a second one on that address of this machine, so the engine can be named by an
 * address that is not loopback (as a remote engine's is).
 */
export async function startTlsEngine(options: {lanIp?: string} = {}): Promise<TlsEngine> {
	const folder = mkdtempSync(path.join(tmpdir(), 'dbarena-tls-'));
	const good = path.join(folder, 'good');
	const wrong = path.join(folder, 'wrong');
	mkdirSync(good);
	mkdirSync(wrong);
	const ips = ['127.0.0.1', ...(options.lanIp ? [options.lanIp] : [])];
	await makeCertificates(good, ips);
	await makeCertificates(wrong, ips);
	const certPath = path.join(folder, 'client');
	const wrongCaPath = path.join(folder, 'client-wrong-ca');
	mkdirSync(certPath);
	mkdirSync(wrongCaPath);
	for (const file of ['cert.pem', 'key.pem']) {
		writeFileSync(path.join(certPath, file), readFileSync(path.join(good, file)));
		writeFileSync(path.join(wrongCaPath, file), readFileSync(path.join(good, file)));
	}
	writeFileSync(path.join(certPath, 'ca.pem'), readFileSync(path.join(good, 'ca.pem')));
	// The client's own certificate is right; only its idea of which CA signs the server is wrong.
	writeFileSync(path.join(wrongCaPath, 'ca.pem'), readFileSync(path.join(wrong, 'ca.pem')));
	const sockets = new Set<Socket>();
	let accepted = 0;
	const tlsOptions = {
		key: readFileSync(path.join(good, 'server-key.pem')),
		cert: readFileSync(path.join(good, 'server-cert.pem')),
		ca: readFileSync(path.join(good, 'ca.pem')),
		requestCert: true,
		rejectUnauthorized: true,
	};
	const servers: Server[] = [];
	const listen = async (host: string) => {
		const server = createTlsServer(tlsOptions, client => {
			accepted += 1;
			const upstream = connect('/var/run/docker.sock');
			sockets.add(client);
			sockets.add(upstream);
			const end = () => {
				client.destroy();
				upstream.destroy();
			};
			client.on('error', end);
			upstream.on('error', end);
			client.once('close', end);
			upstream.once('close', end);
			client.pipe(upstream).pipe(client);
		});
		// A refused handshake is the client's to report; the listener goes on.
		server.on('tlsClientError', () => undefined);
		servers.push(server);
		return new Promise<number>((resolve, reject) => {
			server.once('error', reject);
			server.listen({host, port: 0}, () => {
				const address = server.address();
				resolve(typeof address === 'object' && address ? address.port : 0);
			});
		});
	};
	const port = await listen('127.0.0.1');
	const lanPort = options.lanIp ? await listen(options.lanIp) : undefined;
	return {
		port,
		address: `tcp://127.0.0.1:${port}`,
		certPath,
		wrongCaPath,
		...(lanPort ? {lanAddress: `tcp://${options.lanIp!}:${lanPort}`} : {}),
		env: {DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certPath, DOCKER_CONTEXT: undefined},
		connections: () => accepted,
		async stop() {
			for (const socket of sockets) socket.destroy();
			await Promise.all(
				servers.map(
					async server =>
						new Promise(resolve => {
							server.close(resolve);
						}),
				),
			);
			rmSync(folder, {recursive: true, force: true});
		},
	};
}

/** An IPv4 address of this machine that is not loopback (what a remote engine's address looks like). */
export function lanAddress(): string | undefined {
	return Object.values(networkInterfaces())
		.flat()
		.find(address => address !== undefined && !address.internal && address.family === 'IPv4')?.address;
}
