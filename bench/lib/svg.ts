import type {Summary} from './stats.js';

export type Bar = {label: string; summary: Summary; color: string};
export type BarGroup = {title: string; bars: Bar[]};

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * A horizontal bar chart as SVG text: one group per database, one bar per tool at its median,
 * a thin line from min to max. Plain shapes and text, no scripts, no fonts to fetch.
 */
export function barChart(options: {title: string; subtitle: string; groups: BarGroup[]; footnote?: string}): string {
	const width = 900;
	const labelWidth = 260;
	const valueWidth = 80;
	const plotWidth = width - labelWidth - valueWidth - 30;
	const barHeight = 22;
	const gap = 8;
	const groupGap = 34;
	const top = 78;
	const maxValue = Math.max(...options.groups.flatMap(group => group.bars.map(bar => bar.summary.max)), 1);
	const step = maxValue > 8000 ? 2000 : maxValue > 4000 ? 1000 : 500;
	const axisMax = Math.ceil(maxValue / step) * step;
	const scale = (ms: number) => (ms / axisMax) * plotWidth;
	const groupHeight = (group: BarGroup) => 24 + group.bars.length * (barHeight + gap);
	const plotHeight = options.groups.reduce((sum, group) => sum + groupHeight(group) + groupGap, 0);
	const height = top + plotHeight + 40 + (options.footnote ? 18 : 0);
	const parts: string[] = [];
	parts.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
			'font-family="Helvetica, Arial, sans-serif" font-size="13">',
	);
	parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
	parts.push(`<text x="20" y="30" font-size="18" font-weight="bold" fill="#111">${escapeXml(options.title)}</text>`);
	parts.push(`<text x="20" y="52" fill="#555">${escapeXml(options.subtitle)}</text>`);
	const x0 = labelWidth;
	for (let tick = 0; tick <= axisMax; tick += step) {
		const x = x0 + scale(tick);
		parts.push(`<line x1="${x.toFixed(1)}" y1="${top - 6}" x2="${x.toFixed(1)}" y2="${top + plotHeight - groupGap + 4}" stroke="#e4e4e4"/>`);
		parts.push(`<text x="${x.toFixed(1)}" y="${top + plotHeight - groupGap + 20}" text-anchor="middle" fill="#777" font-size="11">${tick / 1000} s</text>`);
	}
	let y = top;
	for (const group of options.groups) {
		parts.push(`<text x="20" y="${y + 12}" font-weight="bold" fill="#222">${escapeXml(group.title)}</text>`);
		y += 24;
		for (const bar of group.bars) {
			const w = Math.max(1, scale(bar.summary.median));
			const mid = y + barHeight / 2;
			parts.push(`<text x="${x0 - 10}" y="${mid + 4}" text-anchor="end" fill="#333">${escapeXml(bar.label)}</text>`);
			parts.push(`<rect x="${x0}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${bar.color}" rx="2"/>`);
			if (bar.summary.max > bar.summary.min) {
				const a = x0 + scale(bar.summary.min);
				const b = x0 + scale(bar.summary.max);
				parts.push(`<line x1="${a.toFixed(1)}" y1="${mid}" x2="${b.toFixed(1)}" y2="${mid}" stroke="#222" stroke-width="1.2"/>`);
				parts.push(`<line x1="${a.toFixed(1)}" y1="${mid - 5}" x2="${a.toFixed(1)}" y2="${mid + 5}" stroke="#222" stroke-width="1.2"/>`);
				parts.push(`<line x1="${b.toFixed(1)}" y1="${mid - 5}" x2="${b.toFixed(1)}" y2="${mid + 5}" stroke="#222" stroke-width="1.2"/>`);
			}
			const labelX = x0 + Math.max(w, scale(bar.summary.max)) + 8;
			parts.push(`<text x="${labelX.toFixed(1)}" y="${mid + 4}" fill="#111" font-weight="bold">${seconds(bar.summary.median)}</text>`);
			y += barHeight + gap;
		}
		y += groupGap;
	}
	if (options.footnote) parts.push(`<text x="20" y="${height - 14}" fill="#777" font-size="11">${escapeXml(options.footnote)}</text>`);
	parts.push('</svg>');
	return `${parts.join('\n')}\n`;
}
