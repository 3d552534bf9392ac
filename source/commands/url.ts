import {booleanFlag} from '../cli/args.js';
import type {Command} from '../cli/command.js';
import {exitCode} from '../cli/exit-codes.js';
import {loginOf, noteIfStopped} from '../cli/login.js';
import {exactlyOne} from '../cli/names.js';
import {engineHostNote} from '../cli/connection-info.js';

export const urlCommand: Command = {
	name: 'url',
	usage: '<name> [--cdc]',
	summary: 'Print only the connection URL, for psql "$(dbarena url x)" or an app\'s DATABASE_URL.',
	flags: {
		cdc: {type: 'boolean', description: "The CDC connector's login (a container created with --cdc) instead of the admin one"},
	},
	examples: ['psql "$(dbarena url my-test-db)"', 'export DATABASE_URL="$(dbarena url my-test-db)"', 'dbarena url orders-db --cdc'],
	async run(ctx, args) {
		const name = exactlyOne(args.input, 'url');
		const manager = await ctx.manager();
		const container = await manager.inspect(name);
		const {url} = loginOf(container, booleanFlag(args, 'cdc'));
		if (ctx.out.json) ctx.out.printJson({name: container.name, url});
		else ctx.out.line(url);
		// The URL stays printable (scripts read it before a start), but a client would meet a
		// refused connection: say why on stderr, where `$(dbarena url x)` does not see it.
		const note = container.connection ? engineHostNote(container.connection, container.name) : undefined;
		if (note) ctx.out.error(`Note: ${container.name}'s address is ${note}.`);
		noteIfStopped(ctx.out, container);
		return exitCode.ok;
	},
};
