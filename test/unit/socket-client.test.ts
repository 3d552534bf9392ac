import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createNetServer} from 'node:net';
import type {Readable} from 'node:stream';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type Docker from 'dockerode';
import {afterEach, describe, expect, it} from 'vitest';
import {isUnavailable} from '../../source/core/docker/client.js';
import {inspectContainer, listContainers, startContainer} from '../../source/core/docker/containers.js';
import {parseReply, query, socketClient} from '../../source/core/docker/socket-client.js';

type Seen = {method: string; url: string; body: string; version: string};
type Handler = (request: Seen, response: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async server => new Promise(resolve => server.close(resolve))));
});

/** An engine stand-in on a unix socket (node's own HTTP server), recording what it was asked. */
async function engine(handler: Handler): Promise<{socket: string; seen: Seen[]}> {
	const socket = join(mkdtempSync(join(tmpdir(), 'dbarena-socket-')), 'engine.sock');
	const seen: Seen[] = [];
	const server = createServer((request: IncomingMessage, response) => {
		let body = '';
		request.on('data', (chunk: Buffer) => (body += chunk.toString()));
		request.on('end', () => {
			const entry = {method: request.method!, url: request.url!, body, version: request.httpVersion};
			seen.push(entry);
			handler(entry, response);
		});
	});
	servers.push(server);
	await new Promise<void>(resolve => server.listen(socket, resolve));
	return {socket, seen};
}

const json = (response: ServerResponse, status: number, body: unknown) => {
	response.writeHead(status, {'Content-Type': 'application/json'});
	response.end(JSON.stringify(body));
};

/** A client whose dockerode counts its loads and answers `fallback` to anything not on the socket. */
function client(socket: string) {
	let loads = 0;
	const real = {
		tag: 'dockerode',
		whoAmI(this: {tag: string}) {
			return this.tag;
		},
		getContainer: (id: string) => ({id, logs: async () => `logs of ${id}`, stats: async () => `stream of ${id}`}),
	};
	const docker = socketClient(socket, () => {
		loads++;
		return real as unknown as Docker;
	});
	return {docker, loads: () => loads};
}

describe('the socket client (dockerode for the hot calls, on a unix socket)', () => {
	it('inspects over HTTP/1.0 and gives the JSON, with the states the core expects', async () => {
		const {socket, seen} = await engine((_request, response) => json(response, 200, {Id: 'abc', State: {Status: 'stopped'}}));
		const {docker, loads} = client(socket);
		const info = await inspectContainer(docker, 'db-1');
		expect(info?.Id).toBe('abc');
		expect(info?.State.Status).toBe('exited');
		expect(seen).toEqual([{method: 'GET', url: '/containers/db-1/json', body: '', version: '1.0'}]);
		expect(loads()).toBe(0);
	});

	it("turns an engine's refusal into dockerode's error: status, reason, the engine's JSON and message", async () => {
		const {socket} = await engine((_request, response) => json(response, 404, {message: 'No such container: nope'}));
		const {docker} = client(socket);
		const error = (await docker
			.getContainer('nope')
			.inspect()
			.catch((caught: unknown) => caught)) as Error & {statusCode: number; reason: string; json: unknown};
		expect(error.statusCode).toBe(404);
		expect(error.reason).toBe('no such container');
		expect(error.json).toEqual({message: 'No such container: nope'});
		expect(error.message).toBe('(HTTP code 404) no such container - No such container: nope ');
		// A missing container is an answer, not an engine that is away.
		expect(isUnavailable(error)).toBe(false);
		expect(await inspectContainer(docker, 'nope')).toBeUndefined();
	});

	it('creates with the name in the query and the rest as the JSON body, and awaiting the container loads nothing', async () => {
		const {socket, seen} = await engine((_request, response) => json(response, 201, {Id: 'new-id', Warnings: []}));
		const {docker, loads} = client(socket);
		const created = await docker.createContainer({name: 'db 1', Image: 'postgres:16', Env: ['A=1']});
		expect(created.id).toBe('new-id');
		expect(seen[0]!.method).toBe('POST');
		expect(seen[0]!.url).toBe('/containers/create?name=db%201');
		expect(JSON.parse(seen[0]!.body)).toEqual({Image: 'postgres:16', Env: ['A=1']});
		expect(loads()).toBe(0);
	});

	it("leaves the reason out for a status the call does not list, as dockerode does (a taken name is dockerd's 409)", async () => {
		const {socket} = await engine((_request, response) => json(response, 409, {message: 'Conflict. The container name "/db" is already in use'}));
		const {docker} = client(socket);
		const error = (await docker.createContainer({name: 'db'}).catch((caught: unknown) => caught)) as Error & {statusCode: number; reason?: string};
		expect(error.statusCode).toBe(409);
		expect(error.reason).toBeUndefined();
		expect(error.message).toBe('(HTTP code 409) unexpected - Conflict. The container name "/db" is already in use ');
	});

	it('lists with the filters as JSON in the query, as docker-modem sends them', async () => {
		const {socket, seen} = await engine((_request, response) => json(response, 200, [{Id: 'a', Image: 'docker.io/library/postgres:16', State: 'running'}]));
		const {docker} = client(socket);
		const listed = await listContainers(docker, {all: true, label: ['dbarena.managed=true']});
		expect(listed.map(container => container.Image)).toEqual(['postgres:16']);
		expect(decodeURIComponent(seen[0]!.url)).toBe('/containers/json?all=true&filters={"label":["dbarena.managed=true"]}');
	});

	it('takes a 304 on start as already running, and sends stop and remove options in the query', async () => {
		const {socket, seen} = await engine((request, response) => {
			if (request.url.endsWith('/start')) {
				response.writeHead(304);
				response.end();
				return;
			}
			response.writeHead(204);
			response.end();
		});
		const {docker} = client(socket);
		await startContainer(docker, 'db');
		await docker.getContainer('db').stop({t: 3});
		await docker.getContainer('db').remove({force: true, v: true});
		expect(seen.map(request => `${request.method} ${request.url}`)).toEqual([
			'POST /containers/db/start',
			'POST /containers/db/stop?t=3',
			'DELETE /containers/db?force=true&v=true',
		]);
	});

	it("asks one-shot stats on the socket (the dashboard's polls), and leaves a stats stream to dockerode", async () => {
		const {socket, seen} = await engine((_request, response) => json(response, 200, {read: '2026-11-28T10:00:00Z', memory_stats: {usage: 5}}));
		const {docker, loads} = client(socket);
		expect(await docker.getContainer('db').stats({stream: false, 'one-shot': true} as {stream: false})).toEqual({
			read: '2026-11-28T10:00:00Z',
			memory_stats: {usage: 5},
		});
		expect(seen.map(request => `${request.method} ${request.url}`)).toEqual(['GET /containers/db/stats?stream=false&one-shot=true']);
		expect(loads()).toBe(0);
		expect(await docker.getContainer('db').stats({stream: true})).toBe('stream of db');
		expect(loads()).toBe(1);
	});

	it("follows a container's logs on the socket: the engine's bytes as they come, until it ends the stream", async () => {
		let closed = false;
		const {socket, seen} = await engine((_request, response) => {
			response.writeHead(200, {'Content-Type': 'application/vnd.docker.raw-stream'});
			response.write('first line\n');
			setTimeout(() => response.end('second line\n'), 50);
			response.on('close', () => (closed = true));
		});
		const {docker, loads} = client(socket);
		const stream = await docker.getContainer('db').logs({follow: true, stdout: true, stderr: true, tail: 0});
		const chunks: string[] = [];
		stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
		await new Promise(resolve => stream.on('end', resolve));
		expect(chunks.join('')).toBe('first line\nsecond line\n');
		// The first line came on its own: the stream is live, not read whole at the end.
		expect(chunks[0]).toBe('first line\n');
		expect(seen.map(request => `${request.method} ${request.url}`)).toEqual(['GET /containers/db/logs?follow=true&stdout=true&stderr=true&tail=0']);
		expect(closed).toBe(true);
		expect(loads()).toBe(0);
	});

	it("destroying a followed log stream closes its connection; a refusal is dockerode's error; an abort before the answer rejects", async () => {
		const closed: string[] = [];
		const {socket} = await engine((request, response) => {
			response.on('close', () => closed.push(request.url));
			if (request.url.startsWith('/containers/gone/')) json(response, 404, {message: 'No such container: gone'});
			else if (request.url.startsWith('/containers/slow/')) setTimeout(() => response.writeHead(200).write('late'), 300);
			else response.writeHead(200).write('line\n');
		});
		const {docker, loads} = client(socket);

		const stream = await docker.getContainer('db').logs({follow: true});
		await new Promise(resolve => stream.once('data', resolve));
		(stream as Readable).destroy();
		for (let tries = 0; tries < 50 && !closed.includes('/containers/db/logs?follow=true'); tries++) await new Promise(resolve => setTimeout(resolve, 10));
		expect(closed).toContain('/containers/db/logs?follow=true');

		const refused = await docker
			.getContainer('gone')
			.logs({follow: true})
			.catch((caught: unknown) => caught);
		expect(refused).toMatchObject({statusCode: 404, reason: 'no such container', json: {message: 'No such container: gone'}});

		const abort = new AbortController();
		const pending = docker.getContainer('slow').logs({follow: true, abortSignal: abort.signal});
		setTimeout(() => abort.abort(), 20);
		expect(await pending.catch((caught: unknown) => (caught as Error).name)).toBe('AbortError');
		expect(loads()).toBe(0);
	});

	it('loads dockerode once, for anything else, with its methods bound to it', async () => {
		const {socket} = await engine((_request, response) => json(response, 200, {}));
		const {docker, loads} = client(socket);
		const whoAmI = (docker as unknown as {whoAmI: () => string}).whoAmI;
		expect(whoAmI()).toBe('dockerode');
		expect(await (docker.getContainer('x') as unknown as {logs: () => Promise<string>}).logs()).toBe('logs of x');
		expect(loads()).toBe(1);
	});

	it('says the engine is away when nothing listens on the socket', async () => {
		const {docker} = client(join(mkdtempSync(join(tmpdir(), 'dbarena-socket-')), 'none.sock'));
		const error = await docker.ping().catch((caught: unknown) => caught);
		expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
		expect(isUnavailable(error)).toBe(true);
	});

	it('reports a connection closed before an answer as the dropped connection dockerode reports', async () => {
		const socket = join(mkdtempSync(join(tmpdir(), 'dbarena-socket-')), 'drop.sock');
		const server = createNetServer(connection => connection.end());
		await new Promise<void>(resolve => server.listen(socket, resolve));
		const error = await socketClient(socket, () => ({}) as Docker)
			.ping()
			.catch((caught: unknown) => caught);
		server.close();
		expect((error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
		expect((error as Error).message).toBe('socket hang up');
	});
});

describe('replies and queries', () => {
	it('joins a chunked body and parses JSON by its content type', () => {
		const raw = Buffer.from(
			'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n4\r\n"é"\r\n1\r\n}\r\n0\r\n\r\n',
		);
		expect(parseReply(raw)).toEqual({status: 200, body: {a: 'é'}});
	});

	it("parses JSON sent without a content type, as dockerode does (Podman 4.3's stats answer has none)", () => {
		const raw = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nc\r\n{"read":"x"}\r\n0\r\n\r\n');
		expect(parseReply(raw)).toEqual({status: 200, body: {read: 'x'}});
	});

	it('keeps a plain body as text', () => {
		expect(parseReply(Buffer.from('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nOK'))).toEqual({status: 200, body: 'OK'});
	});

	it('leaves out undefined options and encodes the rest', () => {
		expect(query({name: undefined, t: 10, all: false})).toBe('?t=10&all=false');
		expect(query({})).toBe('');
	});
});
