#!/usr/bin/env node
// Entry point. Kept tiny on purpose: `dbarena --version` must not pay for dockerode, Ink or
// React, so every command and the dashboard are imported only when they run.
import {readFileSync} from 'node:fs';

const argv = process.argv.slice(2);

function version(): string {
	const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};
	return packageJson.version;
}

// `dbarena list | head -1` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
	throw error;
});

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
	process.stdout.write(`${version()}\n`);
} else {
	const {main} = await import('./cli/main.js');
	process.exitCode = await main(argv, version());
}
