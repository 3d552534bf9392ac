import {spawn} from 'node:child_process';
import {now} from './clock.js';

export type Line = {t: number; text: string};

export type ProcResult = {
	/** now() just before spawn. */
	t0: number;
	/** When the last stdout chunk arrived (for a --json command: when its JSON was complete). */
	tLastStdout?: number;
	/** When the process exited. */
	tExit: number;
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	/** stdout lines with their arrival times. */
	lines: Line[];
};

export type ProcOptions = {
	env?: NodeJS.ProcessEnv;
	cwd?: string;
	timeoutMs?: number;
	onLine?: (line: Line) => void;
};

/** Run a command, timing its start, its output lines and its exit. Never rejects on exit codes. */
export async function runProcess(command: string, args: string[], options: ProcOptions = {}): Promise<ProcResult> {
	return new Promise((resolve, reject) => {
		const t0 = now();
		const child = spawn(command, args, {env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		let partial = '';
		let tLastStdout: number | undefined;
		let tExit = 0;
		const lines: Line[] = [];
		const timer =
			options.timeoutMs === undefined
				? undefined
				: setTimeout(() => {
						// Only the child we started, by its own pid.
						child.kill('SIGTERM');
					}, options.timeoutMs);
		child.stdout.setEncoding('utf8');
		child.stderr.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => {
			const t = now();
			tLastStdout = t;
			stdout += chunk;
			partial += chunk;
			for (let index = partial.indexOf('\n'); index >= 0; index = partial.indexOf('\n')) {
				const line = {t, text: partial.slice(0, index)};
				partial = partial.slice(index + 1);
				lines.push(line);
				options.onLine?.(line);
			}
		});
		child.stderr.on('data', (chunk: string) => {
			stderr += chunk;
		});
		child.on('error', error => {
			if (timer) clearTimeout(timer);
			reject(error);
		});
		child.on('exit', () => {
			tExit = now();
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			if (partial) lines.push({t: tLastStdout ?? now(), text: partial});
			resolve({t0, ...(tLastStdout === undefined ? {} : {tLastStdout}), tExit: tExit || now(), code, signal, stdout, stderr, lines});
		});
	});
}

/** Like runProcess, but a non-zero exit is an error carrying stderr. */
export async function runChecked(command: string, args: string[], options: ProcOptions = {}): Promise<ProcResult> {
	const result = await runProcess(command, args, options);
	if (result.code !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} exited ${result.code ?? result.signal}: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ')}`,
		);
	}
	return result;
}
