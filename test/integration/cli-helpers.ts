import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdirSync, readdirSync, rmdirSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

/**
 * Shared by the cli-*.test.ts files: they run the BUILT command (node dist/cli.js) as a process,
 * the way users and CI scripts do, against the real engine.
 */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = path.join(root, 'dist', 'cli.js');
const execFileAsync = promisify(execFile);

function newestMtime(directory: string): number {
	let newest = 0;
	for (const entry of readdirSync(directory, {withFileTypes: true})) {
		const full = path.join(directory, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
	}
	return newest;
}

function builtAt(): number {
	try {
		return statSync(cliPath).mtimeMs;
	} catch {
		return 0;
	}
}

const sleep = async (ms: number) =>
	new Promise(resolve => {
		setTimeout(resolve, ms);
	});

/**
 * Build once for all files: several test files (in parallel workers) call this; a lock
 * directory makes one of them build while the others wait, and nobody rebuilds a dist that is
 * newer than every source file (npm test has just built it).
 */
export async function buildCli(): Promise<void> {
	const lock = path.join(tmpdir(), 'dbarena-cli-build.lock');
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (builtAt() > newestMtime(path.join(root, 'source'))) return;
		try {
			mkdirSync(lock);
			break;
		} catch {
			// Another worker is building; a lock older than two minutes is left over from a crash.
			const age = Date.now() - (statSync(lock, {throwIfNoEntry: false})?.mtimeMs ?? Date.now());
			if (age > 120_000) rmdirSync(lock, {recursive: false});
			if (Date.now() > deadline) throw new Error(`Timed out waiting for the build lock ${lock}`);
			await sleep(200);
		}
	}
	try {
		if (builtAt() > newestMtime(path.join(root, 'source'))) return;
		// The build does not check types (the typecheck step of npm test is the gate for them); what
		// these tests need is a fresh dist.
		await execFileAsync(process.execPath, ['scripts/build.mjs'], {cwd: root}).catch((error: {stderr?: string}) => {
			throw new Error(`The build failed:\n${error.stderr ?? String(error)}`);
		});
	} finally {
		rmdirSync(lock);
	}
}

export type CliResult = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number};

export type CliOptions = {env?: Record<string, string | undefined>; timeoutMs?: number};

/** The environment every run gets: no colour (stdout is a pipe anyway), the test registry. */
function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...extra};
	for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
	return env;
}

export type RunningCli = {
	child: ChildProcess;
	stdout(): string;
	stderr(): string;
	/** Resolves when stdout (or stderr) has printed text matching `pattern`. */
	waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
	done: Promise<CliResult>;
};

export function startCli(args: string[], options: CliOptions = {}): RunningCli {
	const began = Date.now();
	const child = spawn(process.execPath, [cliPath, ...args], {cwd: root, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	const waiters = new Set<() => void>();
	child.stdout!.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
		for (const waiter of waiters) waiter();
	});
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
		for (const waiter of waiters) waiter();
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
	const done = new Promise<CliResult>(resolve => {
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({code, signal, stdout, stderr, ms: Date.now() - began});
		});
	});
	return {
		child,
		stdout: () => stdout,
		stderr: () => stderr,
		async waitFor(pattern, timeoutMs = 30_000) {
			await new Promise<void>((resolve, reject) => {
				const check = () => {
					if (pattern.test(stdout) || pattern.test(stderr)) {
						waiters.delete(check);
						clearTimeout(limit);
						resolve();
					}
				};
				const limit = setTimeout(() => {
					waiters.delete(check);
					reject(new Error(`No output matching ${String(pattern)} within ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`));
				}, timeoutMs);
				waiters.add(check);
				check();
				void done.then(check);
			});
		},
		done,
	};
}

export async function cli(args: string[], options: CliOptions = {}): Promise<CliResult> {
	return startCli(args, options).done;
}

/** Parse the single JSON document a --json run printed. */
export function json<T = Record<string, unknown>>(result: CliResult): T {
	try {
		return JSON.parse(result.stdout) as T;
	} catch {
		throw new Error(`stdout is not one JSON document:\n${result.stdout}\nstderr: ${result.stderr}`);
	}
}

/** Unique per test, so parallel files (and other suites) never touch each other's containers. */
export function uniqueName(prefix: string): string {
	return `cli-${prefix}-${randomBytes(3).toString('hex')}`;
}

export async function docker(args: string[]): Promise<string> {
	const {stdout} = await execFileAsync('docker', args);
	return stdout;
}

export type Snapshot = {containers: Map<string, string>; volumes: Set<string>};

/** Every container (name -> id) and volume on the engine. */
export async function snapshot(): Promise<Snapshot> {
	const [containers, volumes] = await Promise.all([
		docker(['ps', '-a', '--no-trunc', '--format', '{{.Names}} {{.ID}}']),
		docker(['volume', 'ls', '--format', '{{.Name}}']),
	]);
	return {
		containers: new Map(
			containers
				.split('\n')
				.filter(Boolean)
				.map(line => line.split(' ') as [string, string]),
		),
		volumes: new Set(volumes.split('\n').filter(Boolean)),
	};
}

export type Inspect = {
	Id: string;
	Name: string;
	State: {Status: string; Running: boolean; StartedAt: string};
	Config: {Env: string[]; Labels: Record<string, string>};
	HostConfig: {Memory: number; PortBindings: Record<string, Array<{HostIp: string; HostPort: string}>>};
	Mounts: Array<{Type: string; Name?: string; Destination: string}>;
};

export async function inspect(name: string): Promise<Inspect | undefined> {
	try {
		const [info] = JSON.parse(await docker(['inspect', '--type', 'container', name])) as Inspect[];
		return info;
	} catch {
		return undefined;
	}
}

export async function volumeExists(name: string): Promise<boolean> {
	return docker(['volume', 'inspect', name]).then(
		() => true,
		() => false,
	);
}

export async function removeAll(containers: string[], volumes: string[] = []): Promise<void> {
	await Promise.all(containers.map(async name => docker(['rm', '-f', '-v', name]).catch(() => '')));
	await Promise.all(volumes.map(async name => docker(['volume', 'rm', name]).catch(() => '')));
}

/** The Connection Info block of a command's text output, read back. */
export function connectionFromText(stdout: string): {host: string; port: number; user: string; password: string; database: string; url: string} {
	const field = (label: string) => {
		const match = new RegExp(`^  ${label}: (.*)$`, 'm').exec(stdout);
		if (!match) throw new Error(`No "${label}:" line in:\n${stdout}`);
		return match[1]!;
	};
	const [host, port] = field('Host').split(/:(?=\d+$)/) as [string, string];
	return {host, port: Number(port), user: field('Username'), password: field('Password'), database: field('Database'), url: field('URL')};
}
