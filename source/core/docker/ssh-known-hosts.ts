import {createHash, createHmac} from 'node:crypto';
import {readFileSync} from 'node:fs';
import path from 'node:path';

/**
 * Is the SSH server we reached the one the user trusts? The answer OpenSSH gives, from the same
 * files: ~/.ssh/known_hosts (plain or hashed names, wildcards, negations, @revoked) and the
 * system-wide /etc/ssh/ssh_known_hosts. An engine reached over SSH is root on that machine, so an
 * unknown or changed key is refused rather than trusted on first use: the docker CLI, which runs
 * ssh without a terminal to ask on, refuses it too.
 */
export type HostKeyVerdict =
	| {kind: 'known'; file: string}
	| {kind: 'unknown'; fingerprint: string}
	| {kind: 'changed'; fingerprint: string; file: string; line: number}
	| {kind: 'revoked'; fingerprint: string; file: string; line: number};

/** The name a known_hosts line carries for a host: "host" on port 22, "[host]:port" otherwise. */
export function knownHostsName(host: string, port: number): string {
	return port === 22 ? host : `[${host}]:${port}`;
}

/** OpenSSH's SHA256 fingerprint of a key blob, as `ssh-keygen -l` prints it. */
export function fingerprint(blob: Buffer): string {
	return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The files OpenSSH reads, in its order. */
export function knownHostsFiles(home: string): string[] {
	return [path.join(home, '.ssh', 'known_hosts'), path.join(home, '.ssh', 'known_hosts2'), '/etc/ssh/ssh_known_hosts'];
}

function wildcardMatch(pattern: string, name: string): boolean {
	const expression = pattern
		.replace(/[.+^${}()|[\]\\]/g, '\\$&')
		.replace(/\*/g, '.*')
		.replace(/\?/g, '.');
	return new RegExp(`^${expression}$`, 'i').test(name);
}

/** `|1|salt|hash`: HMAC-SHA1 of the name, keyed with the salt (HashKnownHosts yes). */
function hashedMatch(pattern: string, name: string): boolean {
	const [, magic, salt, hash] = pattern.split('|');
	if (magic !== '1' || salt === undefined || hash === undefined) return false;
	return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}

/** A comma-separated host field: any positive match, and no negated one. */
function hostFieldMatches(field: string, name: string): boolean {
	if (field.startsWith('|')) return hashedMatch(field, name);
	let matched = false;
	for (const pattern of field.split(',')) {
		if (pattern.startsWith('!')) {
			if (wildcardMatch(pattern.slice(1), name)) return false;
		} else if (wildcardMatch(pattern, name)) {
			matched = true;
		}
	}
	return matched;
}

/** The key type named at the start of a key blob (a length-prefixed string: "ssh-ed25519"). */
function keyType(blob: Buffer): string | undefined {
	if (blob.length < 4) return undefined;
	const length = blob.readUInt32BE(0);
	return blob.length >= 4 + length ? blob.subarray(4, 4 + length).toString('latin1') : undefined;
}

function readLines(file: string): string[] {
	try {
		return readFileSync(file, 'utf8').split('\n');
	} catch {
		return [];
	}
}

/** Check a server's host key blob against the known_hosts files. */
export function verifyHostKey(files: string[], host: string, port: number, blob: Buffer): HostKeyVerdict {
	const name = knownHostsName(host, port);
	const offered = blob.toString('base64');
	const offeredType = keyType(blob);
	let mismatch: {file: string; line: number} | undefined;
	for (const file of files) {
		for (const [index, raw] of readLines(file).entries()) {
			const line = raw.trim();
			if (line === '' || line.startsWith('#')) continue;
			const fields = line.split(/\s+/);
			const marker = fields[0]!.startsWith('@') ? fields.shift() : undefined;
			const [hosts, type, key] = fields;
			if (hosts === undefined || key === undefined) continue;
			// A revoked key is refused for every host, whatever its host field says.
			if (marker === '@revoked') {
				if (key === offered) return {kind: 'revoked', fingerprint: fingerprint(blob), file, line: index + 1};
				continue;
			}
			// Host certificates would need the CA's signature checked; such lines vouch for nothing here.
			if (marker !== undefined || !hostFieldMatches(hosts, name)) continue;
			if (key === offered) return {kind: 'known', file};
			// Another type of key for the same host is not a change: OpenSSH would have chosen that type.
			if (type === offeredType) mismatch ??= {file, line: index + 1};
		}
	}
	if (mismatch) return {kind: 'changed', fingerprint: fingerprint(blob), ...mismatch};
	return {kind: 'unknown', fingerprint: fingerprint(blob)};
}
