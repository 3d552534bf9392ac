import type {Measure, ResultTable, Unit} from './results.js';
import {summarize} from './stats.js';

export function formatValue(value: number, unit: Unit): string {
	switch (unit) {
		case 'ms':
			return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
		case 'MiB':
			return `${value.toFixed(1)} MiB`;
		case '%':
			return `${value.toFixed(2)} %`;
		case 'ratio':
			return `${value.toFixed(2)}×`;
		case 'count':
			return Number.isInteger(value) ? String(value) : value.toFixed(1);
	}
}

function ratio(measure: Measure, baseline: Measure): string {
	if (measure.unit !== baseline.unit || measure.unit === 'count' || measure.unit === 'ratio') return '';
	const a = summarize(measure.values);
	const b = summarize(baseline.values);
	if (!a || !b || b.median === 0) return '';
	return `${(a.median / b.median).toFixed(2)}×`;
}

const escapeCell = (text: string) => text.replaceAll('|', '\\|');

/** A Markdown table: median, min, max, n, and the ratio of medians to each baseline of the same run. */
export function renderTable(table: ResultTable): string {
	const header = ['', 'median', 'min', 'max', 'n', ...table.baselines.map(label => `÷ ${label}`)];
	const baselines = table.baselines.map(label => table.measures.find(measure => measure.label === label)!);
	const rows = table.measures.map(measure => {
		const summary = summarize(measure.values);
		const cells = summary
			? [formatValue(summary.median, measure.unit), formatValue(summary.min, measure.unit), formatValue(summary.max, measure.unit), String(summary.n)]
			: ['—', '—', '—', '0'];
		return [escapeCell(measure.note ? `${measure.label} (${measure.note})` : measure.label), ...cells, ...baselines.map(baseline => ratio(measure, baseline))];
	});
	const lines = [
		`**${table.title}**`,
		'',
		`| ${header.map(escapeCell).join(' | ')} |`,
		`|${header.map((_, index) => (index === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
		...rows.map(cells => `| ${cells.join(' | ')} |`),
	];
	if (table.notes?.length) lines.push('', ...table.notes.map(note => `- ${note}`));
	return lines.join('\n');
}
