import type {Command} from '../cli/command.js';
import {runReadyBatch} from '../cli/ready-batch.js';

export const startCommand: Command = {
	name: 'start',
	usage: '<name...>',
	summary: 'Start stopped containers and wait until they accept logins again.',
	flags: {},
	examples: ['dbarena start my-test-db'],
	interruptible: true,
	async run(ctx, args) {
		return runReadyBatch(ctx, args.input, {present: 'start', past: 'started'}, async (manager, name, operation) => manager.start(name, operation));
	},
};
