#!/usr/bin/env node
// Entry point. Kept tiny on purpose: `dbarena --version` must not pay for dockerode, Ink or
// React, so every command and the dashboard are imported only when they run.
import {readFileSync} from 'node:fs';

const argv = process.argv.slice(2);

function version(): string {
	const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};
	return packageJson.version;
}

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
	process.stdout.write(`${version()}\n`);
} else {
	const {main} = await import('./commands/main.js');
	process.exitCode = await main(argv, version());
}
