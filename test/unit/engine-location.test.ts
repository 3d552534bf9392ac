import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {UsageError} from '../../source/core/errors.js';
import {locateEngine} from '../../source/core/engine-location.js';

/**
 * Finding the engine as the user's own tools do (issue 15, part 3), in a temporary HOME: contexts
 * written in the docker CLI's own layout, and real unix sockets at the well-known paths.
 */
let home: string;
const servers: Server[] = [];

beforeEach(() => {
	home = mkdtempSync(path.join(tmpdir(), 'dbarena-home-'));
});

afterEach(async () => {
	await Promise.all(servers.splice(0).map(async server => new Promise(resolve => server.close(resolve))));
	rmSync(home, {recursive: true, force: true});
});

function writeContext(configDir: string, name: string, host: string, options: {skipTlsVerify?: boolean; tls?: boolean} = {}): void {
	const id = createHash('sha256').update(name).digest('hex');
	const meta = path.join(configDir, 'contexts', 'meta', id);
	mkdirSync(meta, {recursive: true});
	writeFileSync(
		path.join(meta, 'meta.json'),
		JSON.stringify({Name: name, Metadata: {}, Endpoints: {docker: {Host: host, SkipTLSVerify: options.skipTlsVerify ?? false}}}),
	);
	if (options.tls) mkdirSync(path.join(configDir, 'contexts', 'tls', id, 'docker'), {recursive: true});
}

async function listenOn(socket: string): Promise<void> {
	mkdirSync(path.dirname(socket), {recursive: true});
	const server = createServer();
	servers.push(server);
	await new Promise<void>(resolve => server.listen(socket, resolve));
}

// The machine's own /var/run/docker.sock must not decide these cases.
const noDefault = (socket: string) => socket !== '/var/run/docker.sock';
const onlyReal = async () => {
	const {statSync} = await import('node:fs');
	return (file: string) => noDefault(file) && (statSync(file, {throwIfNoEntry: false})?.isSocket() ?? false);
};

describe('locateEngine', () => {
	it('takes DOCKER_HOST first, whatever else is set, with TLS settings for tcp://', () => {
		writeContext(path.join(home, '.docker'), 'colima', 'unix:///elsewhere.sock');
		const found = locateEngine({
			env: {DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_CONTEXT: 'colima', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs'},
			home,
		});
		expect(found).toMatchObject({address: 'tcp://10.0.0.5:2376', source: 'DOCKER_HOST', foundBy: 'DOCKER_HOST', tls: {verify: true, certPath: '/certs'}});
		expect(locateEngine({env: {DOCKER_HOST: 'tcp://h:2375'}, home}).tls).toBeUndefined();
	});

	it('then DOCKER_CONTEXT, read from the CLI configuration (DOCKER_CONFIG when set)', () => {
		const configDir = path.join(home, 'custom-docker-config');
		writeContext(configDir, 'remote', 'tcp://build-box:2376', {tls: true});
		const found = locateEngine({env: {DOCKER_CONTEXT: 'remote', DOCKER_CONFIG: configDir}, home, isSocket: () => true});
		expect(found).toMatchObject({address: 'tcp://build-box:2376', source: 'DOCKER_CONTEXT', foundBy: 'DOCKER_CONTEXT=remote'});
		expect(found.tls).toEqual({verify: true, certPath: path.join(configDir, 'contexts', 'tls', createHash('sha256').update('remote').digest('hex'), 'docker')});
	});

	it('then the current context of ~/.docker/config.json; "default" means the default engine', () => {
		const configDir = path.join(home, '.docker');
		writeContext(configDir, 'orbstack', 'unix:///Users/me/.orbstack/run/docker.sock');
		writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({auths: {}, currentContext: 'orbstack'}));
		const found = locateEngine({env: {}, home, isSocket: () => true});
		expect(found).toMatchObject({address: 'unix:///Users/me/.orbstack/run/docker.sock', source: 'docker-context'});
		expect(found.foundBy).toContain('docker context "orbstack"');

		writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({currentContext: 'default'}));
		expect(locateEngine({env: {}, home, isSocket: () => true})).toMatchObject({address: 'unix:///var/run/docker.sock', source: 'default-socket'});
	});

	it('refuses a context that does not exist, saying where it looked and what to do', () => {
		const error = (() => {
			try {
				return locateEngine({env: {DOCKER_CONTEXT: 'typo'}, home});
			} catch (error_) {
				return error_;
			}
		})();
		expect(error).toBeInstanceOf(UsageError);
		expect((error as UsageError).code).toBe('unknown_context');
		expect((error as Error).message).toMatch(/DOCKER_CONTEXT=typo names a docker context that does not exist .*docker context ls/);
	});

	it('then the default socket, then the well-known sockets of Podman, Colima, OrbStack, Rancher and Docker Desktop', async () => {
		const isSocket = await onlyReal();
		const runtime = path.join(home, 'run');
		const cases: Array<[string, string]> = [
			[path.join(runtime, 'podman', 'podman.sock'), "Podman's rootless socket"],
			[path.join(home, '.colima', 'default', 'docker.sock'), "Colima's socket"],
			[path.join(home, '.orbstack', 'run', 'docker.sock'), "OrbStack's socket"],
			[path.join(home, '.rd', 'docker.sock'), "Rancher Desktop's socket"],
			[path.join(home, '.docker', 'run', 'docker.sock'), "Docker Desktop's socket"],
		];
		// Listened on in reverse order: each new one must win over those found later in the order.
		for (const [socket, what] of cases.toReversed()) {
			await listenOn(socket);
			const found = locateEngine({env: {XDG_RUNTIME_DIR: runtime}, home, isSocket: file => file !== '/run/podman/podman.sock' && isSocket(file)});
			expect(found).toMatchObject({address: `unix://${socket}`, source: 'well-known-socket', foundBy: what});
		}
		// The default socket comes before all of them.
		expect(locateEngine({env: {XDG_RUNTIME_DIR: runtime}, home, isSocket: () => true}).source).toBe('default-socket');
	});

	it('with nothing anywhere, names every place it looked', () => {
		const found = locateEngine({env: {XDG_RUNTIME_DIR: path.join(home, 'run')}, home, isSocket: () => false});
		expect(found.source).toBe('none');
		expect(found.address).toBe('unix:///var/run/docker.sock');
		expect(found.tried).toEqual(
			expect.arrayContaining(['DOCKER_HOST (unset)', '/var/run/docker.sock', '/run/podman/podman.sock', path.join(home, '.colima', 'default', 'docker.sock')]),
		);
	});
});
