import {connect} from 'node:net';
import {PassThrough} from 'node:stream';
import type Docker from 'dockerode';

/** What an engine answered: its status and body (parsed when it is JSON). */
type Reply = {status: number; body: unknown};

/**
 * dockerode for an engine on a unix socket, whose calls that every command makes on its way to the
 * database go straight to the socket instead: ping, version, info, listing containers, inspecting a
 * container, image or volume, creating, starting, stopping, restarting, unpausing, killing and
 * removing a container, a container's one-shot stats (the dashboard's polls) and a followed log
 * (the readiness check's wake-up). dockerode itself (53 ms to load on a 2-core machine, and its
 * first request 28 ms where a plain socket's takes 8) is loaded on the first call of anything
 * else: other streams, exec, pulls, commits. A create of an image already here needs none of that.
 *
 * The answers are dockerode's: the same objects, and errors with the same `statusCode`, `json`,
 * `reason` and message, so the code that reads them is the same for both.
 */
export function socketClient(socketPath: string, load: () => Docker): Docker {
	let real: Docker | undefined;
	const dockerode = () => (real ??= load());
	const request = async (method: string, path: string, reasons: Reasons, body?: unknown) => checked(await send(socketPath, method, path, body), reasons);

	const container = (id: string) =>
		facade(() => dockerode().getContainer(id), {
			id,
			inspect: async () => (await request('GET', `/containers/${encodeURIComponent(id)}/json`, containerReasons)).body,
			start: async () => (await request('POST', `/containers/${encodeURIComponent(id)}/start`, {...containerReasons, 304: 'container already started'})).body,
			stop: async (options: {t?: number} = {}) =>
				(await request('POST', `/containers/${encodeURIComponent(id)}/stop${query(options)}`, {...containerReasons, 304: 'container already stopped'})).body,
			restart: async (options: {t?: number} = {}) =>
				(await request('POST', `/containers/${encodeURIComponent(id)}/restart${query(options)}`, containerReasons)).body,
			kill: async (options: {signal?: string} = {}) =>
				(await request('POST', `/containers/${encodeURIComponent(id)}/kill${query(options)}`, containerReasons)).body,
			// One-shot stats are the idle dashboard's steady traffic (a poll per row on screen); a stream is dockerode's.
			stats: async (options: {stream?: boolean} & Record<string, unknown> = {}) =>
				options.stream === false
					? (await request('GET', `/containers/${encodeURIComponent(id)}/stats${query(options)}`, containerReasons)).body
					: dockerode()
							.getContainer(id)
							.stats(options as {stream: true}),
			// A followed log stream is the readiness check's wake-up on every line of a starting
			// server (and `logs --follow`'s); a one-shot read is dockerode's.
			logs: async (options: {follow?: boolean; abortSignal?: AbortSignal} & Record<string, unknown> = {}) => {
				const {abortSignal, ...rest} = options;
				if (options.follow !== true)
					return dockerode()
						.getContainer(id)
						.logs(options as {follow?: false});
				return openStream(socketPath, `/containers/${encodeURIComponent(id)}/logs${query(rest)}`, containerReasons, abortSignal);
			},
			unpause: async () => (await request('POST', `/containers/${encodeURIComponent(id)}/unpause`, containerReasons)).body,
			remove: async (options: {force?: boolean; v?: boolean} = {}) =>
				(await request('DELETE', `/containers/${encodeURIComponent(id)}${query(options)}`, {...containerReasons, 400: 'bad parameter'})).body,
		});

	return facade(dockerode, {
		ping: async () => (await request('GET', '/_ping', serverError)).body,
		version: async () => (await request('GET', '/version', serverError)).body,
		info: async () => (await request('GET', '/info', serverError)).body,
		listContainers: async (options: Record<string, unknown> = {}) =>
			(await request('GET', `/containers/json${query(options)}`, {...serverError, 400: 'bad parameter'})).body,
		async createContainer(options: {name?: string} & Record<string, unknown>) {
			const {name, ...spec} = options;
			const reply = await request('POST', `/containers/create${query({name})}`, {...containerReasons, 400: 'bad parameter', 406: 'impossible to attach'}, spec);
			return container((reply.body as {Id: string}).Id);
		},
		getContainer: container,
		getImage: (name: string) =>
			facade(() => dockerode().getImage(name), {
				name,
				inspect: async () => (await request('GET', `/images/${name}/json`, {...serverError, 404: 'no such image'})).body,
			}),
		getVolume: (name: string) =>
			facade(() => dockerode().getVolume(name), {
				name,
				inspect: async () => (await request('GET', `/volumes/${encodeURIComponent(name)}`, {...serverError, 404: 'no such volume'})).body,
			}),
	}) as unknown as Docker;
}

/**
 * dockerode's words for a status, per call, which its errors carry as `reason` (undefined for a
 * status the call does not list, such as dockerd's 409 for a taken name) and in their message.
 */
type Reasons = Record<number, string>;
const serverError: Reasons = {500: 'server error'};
const containerReasons: Reasons = {...serverError, 404: 'no such container'};

/**
 * An object whose own methods answer, and whose every other property is dockerode's (loaded then).
 * A Proxy because dockerode's surface is wide and used in many places; only the hot part is ours.
 */
function facade<T extends object>(fallback: () => T, own: Record<string, unknown>): T {
	return new Proxy(own, {
		get(target, key) {
			if (typeof key === 'string' && key in target) return target[key];
			// Asked by every await of one (a created container is returned from an async function):
			// dockerode's objects are not thenables, and asking must not load it.
			if (key === 'then') return undefined;
			const other = fallback();
			const value: unknown = Reflect.get(other, key);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(other) : value;
		},
		has: (target, key) => key in target || Reflect.has(fallback(), key),
	}) as unknown as T;
}

/** docker-modem's query string: undefined left out, objects (filters) as JSON. */
export function query(options: Record<string, unknown>): string {
	const parts = Object.entries(options)
		.filter(([, value]) => value !== undefined)
		.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(typeof value === 'object' ? JSON.stringify(value) : String(value))}`);
	return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** A 2xx answer's reply, or dockerode's error for any other. */
function checked(reply: Reply, reasons: Reasons): Reply {
	if (reply.status >= 200 && reply.status < 300) return reply;
	const reason = reasons[reply.status];
	const json = reply.body;
	const said = typeof json === 'object' && json !== null && 'message' in json ? String((json as {message: unknown}).message) : String(json ?? '');
	throw Object.assign(new Error(`(HTTP code ${reply.status}) ${reason ?? 'unexpected'} - ${said} `), {statusCode: reply.status, reason, json});
}

/**
 * One HTTP/1.0 request on its own connection: the engine then sends the body whole (no chunks) and
 * closes, so the reply is everything read until the end. A connection that ends before a status
 * line is the dropped connection dockerode reports ("socket hang up", ECONNRESET), which callers retry.
 */
export async function send(socketPath: string, method: string, path: string, body?: unknown): Promise<Reply> {
	const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
	return new Promise((resolve, reject) => {
		const socket = connect(socketPath);
		const chunks: Buffer[] = [];
		socket.on('data', chunk => chunks.push(chunk));
		socket.on('error', reject);
		socket.on('end', () => {
			try {
				resolve(parseReply(Buffer.concat(chunks)));
			} catch (error) {
				reject(error as Error);
			}
		});
		const headers = [
			`${method} ${path} HTTP/1.0`,
			'Host: docker',
			...(payload ? ['Content-Type: application/json', `Content-Length: ${payload.length}`] : []),
			'',
			'',
		];
		socket.write(headers.join('\r\n'));
		if (payload) socket.write(payload);
	});
}

/**
 * A streamed answer (a followed log) on its own HTTP/1.0 connection: the engine then writes the
 * body as it comes, unchunked, and closes when it ends, so once the head is read the rest of the
 * connection is the body. A refusal is read whole and rejected as dockerode's error; an abort before
 * the answer closes the connection and rejects with an AbortError, as dockerode's abortSignal does.
 */
export async function openStream(socketPath: string, path: string, reasons: Reasons, signal?: AbortSignal): Promise<PassThrough> {
	return new Promise((resolve, reject) => {
		const socket = connect(socketPath);
		let head = Buffer.alloc(0);
		const aborted = () => {
			socket.destroy();
			reject(Object.assign(new Error('The operation was aborted'), {name: 'AbortError', code: 'ABORT_ERR'}));
		};
		if (signal?.aborted) return aborted();
		signal?.addEventListener('abort', aborted, {once: true});
		const settle = () => {
			signal?.removeEventListener('abort', aborted);
			socket.removeListener('data', reading);
			socket.removeListener('end', endedEarly);
			socket.removeListener('error', reject);
		};
		const endedEarly = () => {
			settle();
			try {
				// Only a refusal or a connection dropped before its head ends here: either throws.
				checked(parseReply(head), reasons);
				reject(Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'}));
			} catch (error) {
				reject(error as Error);
			}
		};
		const reading = (chunk: Buffer) => {
			head = Buffer.concat([head, chunk]);
			const headEnd = head.indexOf('\r\n\r\n');
			if (headEnd < 0) return;
			const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(head.subarray(0, headEnd).toString('latin1'))?.[1]);
			// A refusal's body is read to its end (the engine closes) and rejected by endedEarly.
			if (!(status >= 200 && status < 300)) return;
			settle();
			// Handed on through a stream of its own, which holds what comes until it is read
			// (the socket would drop data while nobody listens) and whose destroy closes the connection.
			const body = new PassThrough();
			const rest = head.subarray(headEnd + 4);
			if (rest.length > 0) body.write(rest);
			socket.on('error', error => body.destroy(error));
			body.on('close', () => socket.destroy());
			socket.pipe(body);
			resolve(body);
		};
		socket.on('data', reading);
		socket.on('end', endedEarly);
		socket.on('error', reject);
		socket.write(`GET ${path} HTTP/1.0\r\nHost: docker\r\n\r\n`);
	});
}

/** Status and body of a whole HTTP reply; a chunked body (which an HTTP/1.0 reply should not have) is joined. */
export function parseReply(raw: Buffer): Reply {
	const headEnd = raw.indexOf('\r\n\r\n');
	const statusLine = /^HTTP\/\d\.\d (\d{3})/.exec(raw.subarray(0, Math.max(headEnd, 0)).toString('latin1'));
	if (headEnd < 0 || !statusLine) throw Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'});
	const head = raw.subarray(0, headEnd).toString('latin1');
	let content = raw.subarray(headEnd + 4);
	if (/^transfer-encoding:\s*chunked\s*$/im.test(head)) content = unchunk(content);
	const text = content.toString('utf8');
	return {status: Number(statusLine[1]), body: jsonOrText(text)};
}

/** docker-modem's rule: JSON whenever the body parses as JSON, whatever the content type says (Podman's stats send none). */
function jsonOrText(text: string): unknown {
	if (text.trim() === '') return text;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

function unchunk(content: Buffer): Buffer {
	const parts: Buffer[] = [];
	let at = 0;
	for (;;) {
		const lineEnd = content.indexOf('\r\n', at);
		if (lineEnd < 0) break;
		const size = Number.parseInt(content.subarray(at, lineEnd).toString('latin1'), 16);
		if (!(size > 0)) break;
		parts.push(content.subarray(lineEnd + 2, lineEnd + 2 + size));
		at = lineEnd + 2 + size + 2;
	}
	return Buffer.concat(parts);
}
