import type {Command} from '../cli/command.js';
import {runReadyBatch} from '../cli/ready-batch.js';

export const restartCommand: Command = {
	name: 'restart',
	usage: '<name...>',
	summary: 'Restart containers and wait until they accept logins again.',
	flags: {},
	examples: ['dbarena restart my-test-db'],
	interruptible: true,
	async run(ctx, args) {
		return runReadyBatch(ctx, args.input, {present: 'restart', past: 'restarted'}, async (manager, name, operation) => manager.restart(name, operation));
	},
};
