import {Writable} from 'node:stream';
import {StringDecoder} from 'node:string_decoder';
import {attachExec, type ExecIo} from './docker/exec-attach.js';
import type {EngineHandle} from './engine-handle.js';
import {OperationError, UsageError} from './errors.js';
import {presets} from './presets/catalog.js';
import type {DumpScope, ExecCommand} from './presets/preset.js';
import type {ConnectionInfo, ManagedContainer} from './types.js';

export type {ExecIo, TerminalSize} from './docker/exec-attach.js';
export type {DumpScope} from './presets/preset.js';

/** The login a client inside the container uses; only a running container has one to offer. */
export function runningConnection(container: ManagedContainer, what: string): ConnectionInfo {
	if (container.state !== 'running') {
		// "start" also resumes a paused container, so the same advice holds; only the words differ.
		const why = container.state === 'paused' ? 'is paused; resume it' : 'is not running; start it';
		throw new UsageError(`${container.name} ${why} first ("dbarena start ${container.name}") to ${what}.`, 'not_running');
	}
	if (!container.connection) throw new OperationError(`${container.name} has no credential labels, so dbarena cannot log in to it.`);
	return container.connection;
}

/** Run a command of the database's image attached to `io`; the exit code is the command's own. */
async function runClient(engine: EngineHandle, container: ManagedContainer, {command, env}: ExecCommand, io: ExecIo): Promise<number> {
	return attachExec(engine.docker, container.id, command, env, io);
}

/**
 * The database's own client (psql, mysql or mariadb, sqlcmd) inside its container, logged in with
 * the container's credentials, through the engine API: no docker CLI is needed, which Podman users
 * may lack. With `io.tty` it is interactive; otherwise it runs what stdin holds as a script.
 */
export async function openShell(engine: EngineHandle, container: ManagedContainer, io: ExecIo): Promise<number> {
	const {user, password, database} = runningConnection(container, 'open a shell');
	return runClient(engine, container, presets[container.database].client({user, password, database}, {interactive: io.tty}), io);
}

/** The image's dump tool writing SQL to `io.stdout` (its messages to `io.stderr`); resolves with its exit code. */
export async function dumpDatabase(
	engine: EngineHandle,
	container: ManagedContainer,
	scope: DumpScope,
	io: Pick<ExecIo, 'stdout' | 'stderr' | 'signal'>,
): Promise<number> {
	const preset = presets[container.database];
	if (!preset.dump) throw new UsageError(`dump is not available for ${preset.title}: its image has no dump tool. Use "dbarena shell" instead.`, 'unsupported');
	const {user, password, database} = runningConnection(container, 'dump it');
	const command = preset.dump({user, password, database}, scope);
	if (!preset.dumpRefusal) return runClient(engine, container, command, {...io, tty: false});
	const stderr = holdLines(io.stderr, preset.dumpRefusal.line);
	const code = await runClient(engine, container, command, {...io, stderr: stderr.stream, tty: false});
	const held = await stderr.finish();
	if (held && code !== 0) throw new OperationError(preset.dumpRefusal.explain(held, container.name));
	if (held) io.stderr.write(held);
	return code;
}

/**
 * Pass text on to `target` line by line as it comes, except the lines `hold` matches: those are
 * kept for the caller. A chunk may end inside a line or inside a character; both are joined.
 */
function holdLines(target: NodeJS.WritableStream, hold: RegExp): {stream: Writable; finish: () => Promise<string>} {
	const decoder = new StringDecoder('utf8');
	let partial = '';
	let held = '';
	const pass = (line: string) => {
		if (hold.test(line)) held += line;
		else target.write(line);
	};
	const take = (text: string) => {
		const lines = (partial + text).split(/(?<=\n)/);
		partial = lines.at(-1)?.endsWith('\n') ? '' : (lines.pop() ?? '');
		for (const line of lines) pass(line);
	};
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			take(decoder.write(chunk));
			done();
		},
	});
	return {
		stream,
		async finish() {
			// Every write is taken once the stream has finished; what is left is a last line without its newline.
			await new Promise<void>(resolve => stream.end(resolve));
			take(decoder.end());
			if (partial) pass(partial);
			partial = '';
			return held;
		},
	};
}
