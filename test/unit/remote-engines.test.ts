import {createHmac, randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {connectionInfo} from '../../source/core/connection.js';
import {sshTarget} from '../../source/core/docker/ssh-link.js';
import {fingerprint, verifyHostKey} from '../../source/core/docker/ssh-known-hosts.js';
import {tlsProblem} from '../../source/core/docker/tls-errors.js';
import {engineReach, portsAreLocal} from '../../source/core/engine-reach.js';
import {chooseRemotePort} from '../../source/core/ports.js';
import {exposureNote} from '../../source/cli/exposure.js';

const credentials = {user: 'postgres', password: 'pw', database: 'testdb'};

/** A key blob as the SSH wire carries it: a length-prefixed type name, then key material. */
function blob(type: string, material = randomBytes(32)): Buffer {
	const name = Buffer.from(type);
	const length = Buffer.alloc(4);
	length.writeUInt32BE(name.length);
	return Buffer.concat([length, name, material]);
}

const folders: string[] = [];
afterAll(() => {
	for (const folder of folders) rmSync(folder, {recursive: true, force: true});
});

function knownHosts(lines: string[]): string {
	const folder = mkdtempSync(path.join(tmpdir(), 'dbarena-kh-'));
	folders.push(folder);
	const file = path.join(folder, 'known_hosts');
	writeFileSync(file, `${lines.join('\n')}\n`);
	return file;
}

describe('known_hosts, read as OpenSSH reads it', () => {
	const key = blob('ssh-ed25519');
	const line = (hosts: string, k = key) => `${hosts} ssh-ed25519 ${k.toString('base64')}`;

	it('knows a host by plain name, by [host]:port for another port, and by a hashed name', () => {
		expect(verifyHostKey([knownHosts([line('build-box')])], 'build-box', 22, key).kind).toBe('known');
		expect(verifyHostKey([knownHosts([line('[build-box]:2222')])], 'build-box', 2222, key).kind).toBe('known');
		// The plain name is port 22's only.
		expect(verifyHostKey([knownHosts([line('build-box')])], 'build-box', 2222, key).kind).toBe('unknown');
		const salt = randomBytes(20);
		const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[10.0.0.5]:2222').digest('base64')}`;
		expect(verifyHostKey([knownHosts([line(hashed)])], '10.0.0.5', 2222, key).kind).toBe('known');
		expect(verifyHostKey([knownHosts([line(hashed)])], '10.0.0.6', 2222, key).kind).toBe('unknown');
	});

	it('follows wildcards and negations in the host field', () => {
		const file = knownHosts([line('*.example.org,!evil.example.org')]);
		expect(verifyHostKey([file], 'db.example.org', 22, key).kind).toBe('known');
		expect(verifyHostKey([file], 'evil.example.org', 22, key).kind).toBe('unknown');
	});

	it('calls a different key of the same type for a known host a change, naming the file and line', () => {
		const file = knownHosts(['# comment', line('build-box', blob('ssh-ed25519'))]);
		expect(verifyHostKey([file], 'build-box', 22, key)).toEqual({kind: 'changed', fingerprint: fingerprint(key), file, line: 2});
		// Another type of key is not a change: OpenSSH would have asked for the known type.
		expect(verifyHostKey([knownHosts([`build-box ssh-rsa ${blob('ssh-rsa').toString('base64')}`])], 'build-box', 22, key).kind).toBe('unknown');
	});

	it('refuses a @revoked key for every host, and does not trust @cert-authority lines it cannot check', () => {
		expect(verifyHostKey([knownHosts([`@revoked * ssh-ed25519 ${key.toString('base64')}`, line('build-box')])], 'build-box', 22, key).kind).toBe('revoked');
		expect(verifyHostKey([knownHosts([`@cert-authority * ssh-ed25519 ${key.toString('base64')}`])], 'build-box', 22, key).kind).toBe('unknown');
	});

	it('prints fingerprints as ssh-keygen -l does', () => {
		expect(fingerprint(Buffer.from('abc'))).toBe('SHA256:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0');
	});
});

describe('where a remote engine publishes ports, and what the connection info says', () => {
	it('reads the engine address', () => {
		expect(engineReach('unix:///var/run/docker.sock')).toEqual({kind: 'local'});
		expect(engineReach('ssh://me@build-box:2222')).toEqual({kind: 'ssh', host: 'build-box', address: 'ssh://me@build-box:2222'});
		expect(engineReach('tcp://10.0.0.5:2376')).toEqual({kind: 'tcp', host: '10.0.0.5', loopback: false, address: 'tcp://10.0.0.5:2376'});
		expect(portsAreLocal(engineReach('tcp://localhost:2376'))).toBe(true);
		expect(portsAreLocal(engineReach('tcp://[::1]:2376'))).toBe(true);
		expect(portsAreLocal(engineReach('ssh://127.0.0.1:2222'))).toBe(false);
		expect(sshTarget('ssh://deploy@build-box')).toMatchObject({host: 'build-box', port: 22, username: 'deploy'});
	});

	it('over tcp://, names the engine host for a wildcard binding and the address itself for a specific one', () => {
		const reach = engineReach('tcp://build-box:2376');
		expect(connectionInfo('postgres', credentials, '0.0.0.0', 5432, reach)).toEqual({
			...credentials,
			host: 'build-box',
			port: 5432,
			url: 'postgresql://postgres:pw@build-box:5432/testdb',
		});
		expect(connectionInfo('mysql', credentials, '10.0.0.9', 3306, reach).url).toBe('mysql://postgres:pw@10.0.0.9:3306/testdb');
		// Its loopback is its own: said so, never passed off as this machine's.
		expect(connectionInfo('postgres', credentials, '127.0.0.1', 5432, reach).onEngineHost).toBe('tcp://build-box:2376');
	});

	it('over ssh://, keeps the engine host’s 127.0.0.1 and says whose it is; a local engine is unchanged', () => {
		const info = connectionInfo('postgres', credentials, '127.0.0.1', 5433, engineReach('ssh://me@build-box'));
		expect(info).toMatchObject({host: '127.0.0.1', port: 5433, onEngineHost: 'ssh://me@build-box'});
		expect(connectionInfo('postgres', credentials, '0.0.0.0', 5433, engineReach('ssh://me@build-box')).host).toBe('build-box');
		expect(connectionInfo('postgres', credentials, '0.0.0.0', 5433)).toEqual({
			...credentials,
			host: '127.0.0.1',
			port: 5433,
			url: 'postgresql://postgres:pw@127.0.0.1:5433/testdb',
		});
	});

	it('chooses a port on a remote engine from what its containers publish, not from binds here', () => {
		expect(chooseRemotePort({preferred: 5432, taken: []})).toBe(5432);
		expect(chooseRemotePort({preferred: 5432, taken: [5432, 5433]})).toBe(5434);
		expect(chooseRemotePort({preferred: 5432, explicit: 6000, taken: [6000]})).toBe(6000);
		const spread = chooseRemotePort({preferred: 5432, taken: [5432], spread: true});
		expect(spread).toBeGreaterThan(5432);
		expect(spread).toBeLessThanOrEqual(5532);
		expect(() => chooseRemotePort({preferred: 65_535, taken: [65_535]})).toThrow(/No free port/);
	});

	it('says from where an exposed database on a remote engine is reachable: the engine host, not this machine', () => {
		const reach = engineReach('tcp://build-box:2376');
		expect(exposureNote('db', '0.0.0.0', {host: 'build-box', port: 5432}, reach)).toBe(
			"Note: db is reachable from the network at build-box:5432 (the engine's host), with the password you gave.",
		);
		expect(exposureNote('db', '127.0.0.1', {host: '127.0.0.1', port: 5432}, reach)).toBeUndefined();
	});
});

describe('TLS failures of a tcp:// engine, in words', () => {
	const location = {
		address: 'tcp://build-box:2376',
		foundBy: 'DOCKER_HOST',
		source: 'DOCKER_HOST' as const,
		tls: {verify: true, certPath: '/certs'},
		tried: [],
	};

	it('names the CA file for a server certificate it did not sign', () => {
		const error = Object.assign(new Error('self-signed certificate in certificate chain'), {code: 'SELF_SIGNED_CERT_IN_CHAIN'});
		const problem = tlsProblem(error, location);
		expect(problem?.code).toBe('engine_access_denied');
		expect(problem?.message).toMatch(/^The engine at tcp:\/\/build-box:2376 presented a certificate that the CA in \/certs\/ca\.pem did not sign/);
	});

	it('says when the engine refused our client certificate, speaks no TLS, or only TLS', () => {
		const refused = Object.assign(new Error('tlsv13 alert certificate required'), {code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'});
		expect(tlsProblem(refused, location)?.message).toMatch(/refused our client certificate \(\/certs\/cert\.pem\)/);
		const plain = Object.assign(new Error('wrong version number'), {code: 'ERR_SSL_WRONG_VERSION_NUMBER'});
		expect(tlsProblem(plain, location)?.message).toMatch(/does not speak TLS\. Unset DOCKER_TLS_VERIFY/);
		const tlsOnly = {statusCode: 400, message: '(HTTP code 400) unexpected - Client sent an HTTP request to an HTTPS server.'};
		expect(tlsProblem(tlsOnly, {...location, tls: undefined})?.message).toMatch(/speaks TLS only\. Set DOCKER_TLS_VERIFY=1/);
	});

	it('leaves other failures, and other engines, alone', () => {
		expect(tlsProblem(Object.assign(new Error('connect ECONNREFUSED'), {code: 'ECONNREFUSED'}), location)).toBeUndefined();
		expect(tlsProblem(Object.assign(new Error('x'), {code: 'SELF_SIGNED_CERT_IN_CHAIN'}), 'unix:///var/run/docker.sock')).toBeUndefined();
	});
});
