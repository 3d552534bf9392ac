import {createRequire, Module} from 'node:module';
import type DockerType from 'dockerode';

const require = createRequire(import.meta.url);

/**
 * Put a stand-in for a CommonJS module into the require cache: the real module is loaded the first
 * time the stand-in is called or one of its properties is read. Returns false (and changes
 * nothing) when the module is not where we expect it, so a dependency upgrade that moves it costs
 * start-up time, never correctness.
 */
export function deferModule(id: string, from: string = import.meta.url): boolean {
	let path: string;
	try {
		path = createRequire(from).resolve(id);
	} catch {
		return false;
	}
	if (require.cache[path]) return true;
	let real: unknown;
	const load = (): object => {
		if (real === undefined) {
			// Drop the stand-in so that require() loads the real module.
			delete require.cache[path];
			real = require(path);
		}
		return real as object;
	};
	const stand = new Module(path);
	stand.filename = path;
	stand.loaded = true;
	// A function target, so the stand-in works for modules that export a function and for those
	// that export an object of them.
	stand.exports = new Proxy(() => {}, {
		apply: (_target, self, args: unknown[]) => Reflect.apply(load() as (...real: unknown[]) => unknown, self, args),
		get: (_target, key) => Reflect.get(load(), key),
		has: (_target, key) => Reflect.has(load(), key),
	});
	require.cache[path] = stand;
	return true;
}

/**
 * dockerode, without what we never use at start-up. dockerode requires gRPC and protobufjs for
 * BuildKit sessions (image builds, which dbarena never does) and docker-modem requires ssh2 for
 * ssh:// engines; together about 180 ms of every command's start on a 2-core machine, a fifth of a
 * create from a template. All stay available: they load on first use.
 */
export function loadDockerode(): typeof DockerType {
	const dockerodeMain = require.resolve('dockerode');
	deferModule('./session.js', dockerodeMain);
	deferModule('docker-modem/lib/ssh.js', dockerodeMain);
	// Only image builds use these (build contexts): another 15 ms.
	deferModule('tar-fs', dockerodeMain);
	deferModule('@balena/dockerignore', dockerodeMain);
	return require('dockerode') as typeof DockerType;
}
