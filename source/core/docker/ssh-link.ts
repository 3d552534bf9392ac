import {homedir, userInfo} from 'node:os';
import type {Duplex} from 'node:stream';
import type {Client, ClientChannel} from 'ssh2';
import {DockerUnavailableError, OperationError} from '../errors.js';
import {authAttempts, findIdentities, type Identities} from './ssh-identities.js';
import {knownHostsFiles, knownHostsName, verifyHostKey, type HostKeyVerdict} from './ssh-known-hosts.js';
import {loadSsh2} from './ssh2-module.js';

/** ssh://user@host:port, as DOCKER_HOST or a docker context names it. */
export type SshTarget = {host: string; port: number; username: string; address: string};

export function sshTarget(address: string): SshTarget {
	const url = new URL(address);
	// A user-less ssh://host logs in as the local user, as ssh itself does.
	const username = url.username === '' ? userInfo().username : decodeURIComponent(url.username);
	return {host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port === '' ? 22 : Number(url.port), username, address};
}

/** Where the engine listens on its host: the default socket, as `ssh -L` users point at it. */
const remoteEngineSocket = '/var/run/docker.sock';

const socketRetryMs = 30_000;

export type SshLinkOptions = {env?: NodeJS.ProcessEnv; home?: string; readyTimeoutMs?: number};

/**
 * One SSH connection to the engine's host for the whole process, made on first use and made
 * again on the next use after it dropped. Everything goes through it as channels: the engine's
 * API (a socket forward to the engine's socket, or, where the server refuses socket forwarding,
 * `docker system dial-stdio` as the docker CLI runs it) and the databases published on the
 * host's 127.0.0.1 (TCP forwards). One login, not one per request: docker-modem's own ssh
 * support opens a new connection and a new remote process for every API call.
 */
export class SshLink {
	readonly target: SshTarget;
	private client: Promise<Client> | undefined;
	private closed = false;
	/** When a socket forward last failed: OpenSSH says only "open failed", whether refused by config or missing. */
	private socketFailure = {at: Number.NEGATIVE_INFINITY, reason: ''};
	/** Why the last channel to the engine failed at the other end, for the message when the engine does not answer. */
	engineProblem: string | undefined;
	private readonly options: SshLinkOptions;

	constructor(target: SshTarget, options: SshLinkOptions = {}) {
		this.target = target;
		this.options = options;
	}

	/** The connection, logged in; the first call dials, and a refused login says why. */
	async connect(): Promise<Client> {
		if (this.closed) throw new OperationError(`The SSH connection to ${this.target.address} is closed.`);
		this.client ??= this.dial();
		const pending = this.client;
		pending.catch(() => {
			if (this.client === pending) this.client = undefined;
		});
		return pending;
	}

	/** A channel to the engine's API on the remote host. */
	async openEngine(): Promise<Duplex> {
		const client = await this.connect();
		let socketError = this.socketFailure.reason;
		// A failed forward is not asked again for a while: every API call would pay a round trip for
		// it. Asked again later, as a socket missing while the engine restarted comes back.
		if (Date.now() - this.socketFailure.at > socketRetryMs) {
			try {
				const forwarded = await channel(callback => client.openssh_forwardOutStreamLocal(remoteEngineSocket, callback));
				this.engineProblem = undefined;
				return forwarded;
			} catch (error) {
				socketError = (error as Error).message;
				this.socketFailure = {at: Date.now(), reason: socketError};
			}
		}
		const stdio = await channel(callback => client.exec('docker system dial-stdio', callback));
		// Its stderr ("docker: command not found") must be read, or a full buffer would stall it, and
		// it is what says why the engine did not answer.
		let stderr = '';
		stdio.stderr.on('data', (chunk: Buffer) => {
			if (stderr.length < 1000) stderr += chunk.toString();
		});
		stdio.once('close', () => {
			const said = stderr.trim().split('\n')[0];
			if (said) this.engineProblem = `forwarding ${remoteEngineSocket}: ${socketError}; docker system dial-stdio: ${said}`;
		});
		return stdio;
	}

	/** A channel to host:port as seen from the engine's host (a database published on its 127.0.0.1). */
	async forward(host: string, port: number): Promise<Duplex> {
		const client = await this.connect();
		return channel(callback => client.forwardOut('127.0.0.1', 0, host, port, callback));
	}

	close(): void {
		this.closed = true;
		const pending = this.client;
		this.client = undefined;
		void pending?.then(
			client => {
				client.end();
			},
			() => undefined,
		);
	}

	private async dial(): Promise<Client> {
		const {target} = this;
		const env = this.options.env ?? process.env;
		const home = this.options.home ?? homedir();
		const identities = findIdentities(env, home);
		const attempts = authAttempts(target.username, identities);
		if (attempts.length === 0) {
			throw accessDenied(
				target,
				`No SSH key to log in to ${where(target)} with: ${identities.looked.join('; ')}. ` +
					'Start ssh-agent and add your key (ssh-add), or make one with ssh-keygen and add it to the server (ssh-copy-id).',
			);
		}
		const {Client: SshClient} = loadSsh2();
		const client = new SshClient();
		let verdict: HostKeyVerdict | undefined;
		return new Promise<Client>((resolve, reject) => {
			const fail = (error: Error) => {
				client.removeAllListeners('ready');
				reject(explain(target, error, verdict, identities, home));
			};
			client.once('error', fail);
			client.once('close', () => {
				fail(new Error('the server closed the connection during the handshake'));
			});
			client.once('ready', () => {
				client.removeAllListeners('error');
				client.removeAllListeners('close');
				// After the login an error is always followed by 'close'; the next use dials again.
				client.on('error', () => undefined);
				client.once('close', () => {
					if (this.client && !this.closed) this.client = undefined;
				});
				resolve(client);
			});
			client.connect({
				host: target.host,
				port: target.port,
				username: target.username,
				authHandler: attempts,
				hostVerifier: (key: Buffer) => {
					verdict = verifyHostKey(knownHostsFiles(home), target.host, target.port, key);
					return verdict.kind === 'known';
				},
				readyTimeout: this.options.readyTimeoutMs ?? 10_000,
				// A dashboard or a tunnel keeps the connection for hours; NAT boxes forget idle ones.
				keepaliveInterval: 15_000,
				keepaliveCountMax: 3,
			});
		});
	}
}

async function channel(open: (callback: (error: Error | undefined, stream: ClientChannel) => void) => unknown): Promise<ClientChannel> {
	return new Promise((resolve, reject) => {
		open((error, stream) => {
			if (error) reject(error);
			else resolve(stream);
		});
	});
}

function where(target: SshTarget): string {
	return `${target.username}@${target.host}${target.port === 22 ? '' : `:${target.port}`}`;
}

function accessDenied(target: SshTarget, message: string, cause?: unknown): DockerUnavailableError {
	return new DockerUnavailableError(target.address, undefined, {message, code: 'engine_access_denied', ...(cause ? {cause} : {})});
}

/** The handshake's failure in words a user can act on; ssh2's own are "All configured authentication methods failed". */
function explain(target: SshTarget, error: Error, verdict: HostKeyVerdict | undefined, identities: Identities, home: string): DockerUnavailableError {
	const name = knownHostsName(target.host, target.port);
	const sshCommand = `ssh ${target.port === 22 ? '' : `-p ${target.port} `}${target.username}@${target.host}`;
	if (verdict?.kind === 'unknown') {
		return accessDenied(
			target,
			`The SSH host key of ${name} (${verdict.fingerprint}) is not in ${knownHostsFiles(home)[0]}, so the server cannot be trusted. ` +
				`Connect once with "${sshCommand}" and accept the key if its fingerprint is right, then run this again.`,
			error,
		);
	}
	if (verdict?.kind === 'changed') {
		return accessDenied(
			target,
			`The SSH host key of ${name} (${verdict.fingerprint}) is not the one in ${verdict.file} (line ${verdict.line}): ` +
				`someone may be intercepting the connection, or the host was reinstalled. If you know it was, remove the old key with ` +
				`"ssh-keygen -R '${name}'" and connect once with "${sshCommand}".`,
			error,
		);
	}
	if (verdict?.kind === 'revoked') {
		return accessDenied(target, `The SSH host key of ${name} (${verdict.fingerprint}) is marked @revoked in ${verdict.file} (line ${verdict.line}).`, error);
	}
	const level = (error as Error & {level?: string}).level;
	if (level === 'client-authentication') {
		return accessDenied(
			target,
			`The SSH server at ${where(target)} refused the login; tried ${identities.looked.join(', ')}. ` +
				`Add your public key to ~${target.username}/.ssh/authorized_keys there (ssh-copy-id), or load the right key into your agent (ssh-add).`,
			error,
		);
	}
	const code = (error as NodeJS.ErrnoException).code;
	const detail = level === 'client-timeout' ? 'no SSH handshake within the time allowed' : (code ?? error.message);
	return new DockerUnavailableError(target.address, undefined, {
		message: `Cannot reach the SSH server of the engine at ${where(target)} (${detail}). Check the host and port in DOCKER_HOST, and that sshd runs there.`,
		cause: error,
	});
}
