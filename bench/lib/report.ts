import {warmLabel} from '../cases/warm-start.js';
import type {Machine} from './machine.js';
import type {CaseOutcome} from './results.js';
import {summarize} from './stats.js';
import {barChart, type Bar} from './svg.js';
import {renderTable} from './table.js';
import {targets} from './targets.js';

const load = (values: number[]) => values.map(value => value.toFixed(2)).join(' ');

export function renderReport(options: {date: string; command: string; runs: number; machine: Machine; outcomes: CaseOutcome[]; goals: string}): string {
	const {machine} = options;
	const lines = [
		`# dbarena benchmark — ${options.date}`,
		'',
		`Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.kernel}; ${machine.docker}; ` +
			`Node ${machine.node}; dbarena ${machine.dbarena}; testcontainers ${machine.testcontainers}.`,
		`Node starts V8 ${machine.nodeV8StartMs.toFixed(0)} ms into a new process` +
			(machine.extraCaCerts === undefined
				? '.'
				: ` here, where NODE_EXTRA_CA_CERTS is set (${machine.extraCaCerts}); ${(machine.nodeV8StartMsWithoutExtraCa ?? Number.NaN).toFixed(0)} ms without it.`),
		`Load at start: ${machine.uptimeAtStart}`,
		`Command: \`${options.command}\` (${options.runs} runs per case; medians, min, max; ratios are of medians measured in this same run).`,
		'',
	];
	for (const outcome of options.outcomes) {
		lines.push(
			`## ${outcome.title} (\`${outcome.id}\`)`,
			'',
			`Took ${(outcome.ms / 1000).toFixed(0)} s; load average before ${load(outcome.load.before)}, after ${load(outcome.load.after)}.`,
			'',
		);
		if (outcome.skipped) lines.push(`**Skipped:** ${outcome.skipped}`, '');
		if (outcome.error) lines.push(`**Failed:** ${outcome.error}`, '');
		for (const table of outcome.tables) lines.push(renderTable(table), '');
		for (const note of outcome.notes) lines.push(`- ${note}`);
		if (outcome.notes.length > 0) lines.push('');
	}
	lines.push(options.goals, '');
	return lines.join('\n');
}

/** The chart's bars, in order: which measure, its short name and colour. */
const chartBars: ReadonlyArray<{label: string; name: string; color: string}> = [
	{label: warmLabel.template, name: 'dbarena, from template', color: '#1f7a4d'},
	{label: warmLabel.fresh, name: 'dbarena, fresh', color: '#4fb37e'},
	{label: warmLabel.tcProcess, name: 'testcontainers-node 11', color: '#d9822b'},
	{label: warmLabel.naiveTrue, name: 'docker run + 500 ms exec check', color: '#c23b3b'},
	{label: warmLabel.floor, name: 'floor: docker run, fresh', color: '#8a8a8a'},
	{label: warmLabel.floorTemplate, name: 'floor: docker run, template image', color: '#b8b8b8'},
];

/** The headline chart, or undefined when the warm-start case did not run. */
export function warmChart(options: {date: string; runs: number; machine: Machine; outcomes: CaseOutcome[]}): string | undefined {
	const warm = options.outcomes.find(outcome => outcome.id === 'warm');
	if (!warm || warm.tables.length === 0) return undefined;
	const groups = [targets.pg, targets.mariadb]
		.map(target => {
			const table = warm.tables.find(candidate => candidate.title === `Warm start to a host login (SELECT 1) — ${target.title}`);
			const bars: Bar[] = [];
			for (const {label, name, color} of chartBars) {
				const summary = summarize(table?.measures.find(measure => measure.label === label)?.values ?? []);
				if (summary) bars.push({label: name, summary, color});
			}
			return {title: target.title, bars};
		})
		.filter(group => group.bars.length > 0);
	if (groups.length === 0) return undefined;
	const {machine} = options;
	const runs = `${options.runs} run${options.runs === 1 ? '' : 's'}`;
	const loadAtStart = machine.loadAtStart.map(value => value.toFixed(1)).join(' ');
	return barChart({
		title: 'Warm start to a working host login (SELECT 1), image cached',
		subtitle: `Median of ${runs} (line: min–max), ${options.date}, ${machine.cores} cores, ${machine.memoryGiB} GiB, load ${loadAtStart}. Lower is better.`,
		groups,
		footnote: 'Fixture images from a local registry (the mysql tags are real MySQL 9.7). Reproduce: npm run build && npm run bench -- --cases warm',
	});
}
