import {createRequire, Module} from 'node:module';
import type DockerType from 'dockerode';

const require = createRequire(import.meta.url);

/**
 * Put a stand-in for a CommonJS module that exports one function into the require cache: the
 * real module is loaded the first time the function is called. Returns false (and changes
 * nothing) when the module is not where we expect it, so a dependency upgrade that moves it
 * costs start-up time, never correctness.
 */
export function deferFunctionModule(id: string, from: string = import.meta.url): boolean {
	let path: string;
	try {
		path = createRequire(from).resolve(id);
	} catch {
		return false;
	}
	if (require.cache[path]) return true;
	const stand = new Module(path);
	stand.filename = path;
	stand.loaded = true;
	stand.exports = function (this: unknown, ...args: unknown[]) {
		// Drop the stand-in so that require() loads the real module, then call it as the caller would.
		delete require.cache[path];
		const real = require(path) as (...real: unknown[]) => unknown;
		return real.apply(this, args);
	};
	require.cache[path] = stand;
	return true;
}

/**
 * dockerode, without what we never use at start-up. dockerode requires gRPC and protobufjs for
 * BuildKit sessions (image builds, which dbarena never does) and docker-modem requires ssh2 for
 * ssh:// engines; together about 180 ms of every command's start on a 2-core machine, a fifth of a
 * create from a template. Both stay available: they load on first use.
 */
export function loadDockerode(): typeof DockerType {
	const dockerodeMain = require.resolve('dockerode');
	deferFunctionModule('./session.js', dockerodeMain);
	deferFunctionModule('docker-modem/lib/ssh.js', dockerodeMain);
	return require('dockerode') as typeof DockerType;
}
