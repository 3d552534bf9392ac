import {parsePort} from '../core/create/values.js';
import {stringFlag} from '../cli/args.js';
import type {Command} from '../cli/command.js';
import {hostAndPort} from '../cli/connection-info.js';
import {signalExitCode} from '../cli/exit-codes.js';
import {exactlyOne} from '../cli/names.js';

export const tunnelCommand: Command = {
	name: 'tunnel',
	usage: '<name> [--port P]',
	summary: "Forward a local port to a database on an ssh:// engine's host, until Ctrl-C.",
	details: [
		"On an engine reached over ssh://, databases are published on that host's 127.0.0.1 (the default --bind):",
		'this forwards 127.0.0.1:P here to it over the same SSH connection and prints the URL to use.',
		'With --json: one {"name", "host", "port", "url", "remote": {host, port, engine}} document, then it waits.',
		'Ctrl-C ends it (exit 130; 143 on SIGTERM).',
	],
	flags: {
		port: {type: 'string', value: 'P', description: 'Local port on 127.0.0.1 (default: any free port); an error if busy'},
	},
	examples: ['dbarena tunnel my-test-db', 'dbarena tunnel my-test-db --port 15432', 'psql "postgresql://postgres:dbarena@127.0.0.1:15432/testdb"'],
	interruptible: true,
	async run(ctx, args) {
		const name = exactlyOne(args.input, 'tunnel');
		const portText = stringFlag(args, 'port');
		const port = portText === undefined ? undefined : parsePort(portText);
		const manager = await ctx.manager();
		const tunnel = await manager.tunnel(name, port === undefined ? {} : {port});
		try {
			const {local, remote, container} = tunnel;
			if (ctx.out.json) {
				ctx.out.printJson({
					name: container.name,
					host: local.host,
					port: local.port,
					url: local.url,
					remote: {host: remote.host, port: remote.port, engine: remote.onEngineHost ?? manager.address},
				});
			} else {
				ctx.out.line(`Forwarding ${hostAndPort(local)} to ${container.name} (${hostAndPort(remote)} on ${remote.onEngineHost ?? manager.address}).`);
				ctx.out.line(`URL: ${local.url}`);
				ctx.out.error('Press Ctrl-C to stop.');
			}
			await new Promise<void>(resolve => {
				if (ctx.signal.aborted) resolve();
				else ctx.signal.addEventListener('abort', () => resolve(), {once: true});
			});
			return signalExitCode(ctx.interruptedBy());
		} finally {
			await tunnel.close();
		}
	},
};
