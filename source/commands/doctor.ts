import type {Command} from '../cli/command.js';
import {exitCode} from '../cli/exit-codes.js';
import {marks} from '../cli/output.js';

export const doctorCommand: Command = {
	name: 'doctor',
	usage: '',
	summary: 'Check what dbarena needs: the engine and how it was found, the registry, images, disk, ports, clock, templates.',
	details: [
		'Each check passes (✓), warns (⚠: something you may trip over) or fails (✗: dbarena cannot work, or every create will fail),',
		'and says what to do about it. Exit 0 when nothing failed, 1 when a check failed, 3 when no engine answers.',
	],
	flags: {},
	examples: ['dbarena doctor', 'dbarena doctor --json'],
	async run(ctx) {
		const {runDoctor} = await import('../core/doctor.js');
		const manager = await ctx.manager();
		const report = await runDoctor(manager.engine);
		const failed = report.checks.some(check => check.status === 'fail');
		const code = report.engineUnavailable ? exitCode.engineUnavailable : failed ? exitCode.failed : exitCode.ok;
		if (ctx.out.json) {
			const {engine} = report;
			ctx.out.printJson({
				engine: {
					address: engine.address,
					foundBy: engine.foundBy,
					source: engine.source,
					...(engine.facts ? {...engine.facts, systemTime: engine.facts.systemTime?.toISOString() ?? null} : {}),
				},
				checks: report.checks.map(check => ({...check, fix: check.fix ?? null})),
				ok: !failed,
			});
			return code;
		}
		const mark = marks(ctx.paint);
		const symbol = {pass: mark.ok, warn: mark.warn, fail: mark.fail} as const;
		for (const check of report.checks) {
			ctx.out.line(`${symbol[check.status]} ${check.title}: ${check.detail}`);
			if (check.fix) ctx.out.line(`    ${ctx.paint.dim('fix:')} ${check.fix}`);
		}
		const counts = (['pass', 'warn', 'fail'] as const).map(status => report.checks.filter(check => check.status === status).length);
		ctx.out.line();
		ctx.out.line(`${counts[0]} passed, ${counts[1]} warned, ${counts[2]} failed.`);
		return code;
	},
};
