import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import type {AgentAuthMethod, PublicKeyAuthMethod} from 'ssh2';
import {loadSsh2} from './ssh2-module.js';

/**
 * What an SSH login can offer, found where `ssh` finds it: the agent (SSH_AUTH_SOCK) first, then
 * the default identity files in OpenSSH's order. ~/.ssh/config is not read (no Host aliases,
 * IdentityFile or ProxyJump): README "Remote engines" says so.
 */
export type Identities = {
	/** The agent's socket, when SSH_AUTH_SOCK names one that exists. */
	agent?: string;
	/** Private keys that need no passphrase, with the file each came from. */
	keys: Array<{file: string; key: Buffer}>;
	/** Every place looked at and what was found there, for the message when nothing works. */
	looked: string[];
};

/** OpenSSH's default identities, in the order it tries them (those ssh2 can use). */
const defaultKeyFiles = ['id_rsa', 'id_ecdsa', 'id_ed25519'];

function isSocket(file: string): boolean {
	try {
		return statSync(file).isSocket();
	} catch {
		return false;
	}
}

export function findIdentities(env: NodeJS.ProcessEnv, home: string): Identities {
	const looked: string[] = [];
	const identities: Identities = {keys: [], looked};
	const agent = env['SSH_AUTH_SOCK'];
	if (agent === undefined || agent === '') looked.push('no agent (SSH_AUTH_SOCK is not set)');
	else if (isSocket(agent)) {
		identities.agent = agent;
		looked.push(`the agent at ${agent}`);
	} else looked.push(`no agent at ${agent} (SSH_AUTH_SOCK names no socket)`);
	const {parseKey} = loadSsh2().utils;
	for (const name of defaultKeyFiles) {
		const file = path.join(home, '.ssh', name);
		let data: Buffer;
		try {
			data = readFileSync(file);
		} catch {
			continue;
		}
		const parsed = parseKey(data);
		if (parsed instanceof Error) {
			// A passphrase cannot be asked for here; the agent is how such a key is used.
			looked.push(/encrypted|passphrase/i.test(parsed.message) ? `${file} (has a passphrase: load it with ssh-add)` : `${file} (${parsed.message})`);
			continue;
		}
		identities.keys.push({file, key: data});
		looked.push(file);
	}
	if (identities.keys.length === 0 && !identities.agent) looked.push(`no key in ${path.join(home, '.ssh')} (${defaultKeyFiles.join(', ')})`);
	return identities;
}

/** ssh2's authentication attempts, agent first, as `ssh` orders them. */
export function authAttempts(username: string, identities: Identities): Array<AgentAuthMethod | PublicKeyAuthMethod> {
	const agent: AgentAuthMethod[] = identities.agent ? [{type: 'agent', username, agent: identities.agent}] : [];
	return [...agent, ...identities.keys.map(({key}): PublicKeyAuthMethod => ({type: 'publickey', username, key}))];
}
