import {formatDuration} from '../core/format.js';
import {firstError, reportFailures, settleEach} from '../cli/batch.js';
import {stringFlag} from '../cli/args.js';
import type {Command} from '../cli/command.js';
import {exitCode} from '../cli/exit-codes.js';
import {findAll} from '../cli/names.js';
import {marks} from '../cli/output.js';
import {containerJson} from '../cli/serialize.js';
import {parseSeconds} from '../cli/values.js';

export const stopCommand: Command = {
	name: 'stop',
	usage: '<name...> [--timeout S]',
	summary: 'Stop running containers (graceful shutdown; data is kept until destroy).',
	flags: {
		timeout: {type: 'string', value: 'S', description: 'Seconds to wait for a clean shutdown before killing (default 10)'},
	},
	examples: ['dbarena stop my-test-db', 'dbarena stop my-test-db --timeout 30'],
	async run(ctx, args) {
		const timeout = stringFlag(args, 'timeout');
		const timeoutSeconds = timeout === undefined ? undefined : parseSeconds('timeout', timeout, {allowZero: true, integer: true});
		const manager = await ctx.manager();
		const containers = await findAll(manager, args.input, 'stop');
		const {ok} = marks(ctx.paint);
		const outcomes = await settleEach(
			containers.map(container => container.name),
			async name => manager.stop(name, timeoutSeconds === undefined ? {} : {timeoutSeconds}),
		);
		const {code, errors} = reportFailures(ctx, outcomes);
		if (ctx.out.json) {
			const stopped = outcomes.flatMap(outcome => (outcome.ok ? [containerJson(outcome.value, {health: 'stopped', secrets: false})] : []));
			ctx.out.printJson({containers: stopped, errors, ...firstError(errors, code)});
		} else {
			for (const outcome of outcomes) if (outcome.ok) ctx.out.line(`${ok} ${outcome.name} stopped (${formatDuration(outcome.ms)})`);
		}
		return errors.length === 0 ? exitCode.ok : code;
	},
};
