import {OperationError} from '../core/errors.js';
import type {Command} from '../cli/command.js';
import {exitCode} from '../cli/exit-codes.js';
import {exactlyOne} from '../cli/names.js';
import {engineHostNote} from '../cli/connection-info.js';

export const urlCommand: Command = {
	name: 'url',
	usage: '<name>',
	summary: 'Print only the connection URL, for psql "$(dbarena url x)" or an app\'s DATABASE_URL.',
	flags: {},
	examples: ['psql "$(dbarena url my-test-db)"', 'export DATABASE_URL="$(dbarena url my-test-db)"'],
	async run(ctx, args) {
		const name = exactlyOne(args.input, 'url');
		const manager = await ctx.manager();
		const container = await manager.inspect(name);
		if (!container.connection) {
			throw new OperationError(`${container.name} has no published port or credential labels, so it has no URL.`);
		}
		if (ctx.out.json) ctx.out.printJson({name: container.name, url: container.connection.url});
		else ctx.out.line(container.connection.url);
		// The URL stays printable (scripts read it before a start), but a client would meet a
		// refused connection: say why on stderr, where `$(dbarena url x)` does not see it.
		const note = engineHostNote(container.connection, container.name);
		if (note) ctx.out.error(`Note: ${container.name}'s address is ${note}.`);
		if (container.state !== 'running') {
			const {name, state, connection} = container;
			ctx.out.error(`Note: ${name} is not running (${state}); nothing listens on port ${connection.port} until "dbarena start ${name}".`);
		}
		return exitCode.ok;
	},
};
