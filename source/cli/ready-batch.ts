import type {ContainerManager, OperationOptions} from '../core/lifecycle.js';
import type {ManagedContainer} from '../core/types.js';
import {formatDuration} from '../core/format.js';
import {progressWords} from '../core/progress-words.js';
import {firstError, reportFailures, settleEach} from './batch.js';
import type {CommandContext} from './command.js';
import {exitCode} from './exit-codes.js';
import {marks} from './output.js';
import {createReporter} from './progress.js';
import {containerJson} from './serialize.js';
import {findAll} from './names.js';

type ReadyAction = (manager: ContainerManager, name: string, operation: OperationOptions) => Promise<{container: ManagedContainer; readyMs: number}>;

/**
 * start and restart: act on every container at once, wait until each accepts logins again, and
 * print one line per container ("✓ pg-1 started, ready in 1.2s").
 */
export async function runReadyBatch(ctx: CommandContext, input: string[], verb: {present: string; past: string}, action: ReadyAction): Promise<number> {
	const manager = await ctx.manager();
	const containers = await findAll(manager, input, verb.present);
	const {ok, fail} = marks(ctx.paint);
	const reporter = await createReporter(ctx.out);
	const outcomes = await settleEach(
		containers.map(container => container.name),
		async name => {
			reporter.active(name, `${name}: ${verb.present}ing...`);
			const describe = progressWords();
			try {
				const result = await action(manager, name, {
					signal: ctx.signal,
					onProgress(event) {
						const {now} = describe(event);
						if (now !== undefined) reporter.active(name, `${name}: ${now}`);
					},
				});
				reporter.done(`${ok} ${name} ${verb.past}, ready in ${formatDuration(result.readyMs)}`);
				return result;
			} catch (error) {
				reporter.done(`${fail} ${name} could not be ${verb.past}`);
				throw error;
			} finally {
				reporter.clear(name);
			}
		},
	);
	await reporter.close();
	const {code, errors} = reportFailures(ctx, outcomes);
	if (ctx.out.json) {
		const done = outcomes.flatMap(outcome =>
			outcome.ok ? [{...containerJson(outcome.value.container, {health: 'healthy', secrets: false}), readyMs: outcome.value.readyMs}] : [],
		);
		ctx.out.printJson({containers: done, errors, ...firstError(errors, code)});
	}
	return errors.length === 0 ? exitCode.ok : code;
}
