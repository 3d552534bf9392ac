import {PassThrough} from 'node:stream';
import {main} from '../../source/cli/main.js';
import type {Streams} from '../../source/cli/output.js';

/** Runs main() in this process with captured streams, no terminal and an empty environment. */
export async function runMain(argv: string[], version = '9.9.9', env: NodeJS.ProcessEnv = {}): Promise<{code: number; stdout: string; stderr: string}> {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	const chunks = {stdout: '', stderr: ''};
	stdout.on('data', (chunk: Buffer) => {
		chunks.stdout += chunk.toString();
	});
	stderr.on('data', (chunk: Buffer) => {
		chunks.stderr += chunk.toString();
	});
	const streams: Streams = {stdout, stderr, stdin: {isTTY: false}, env};
	const code = await main(argv, version, streams);
	return {code, ...chunks};
}
