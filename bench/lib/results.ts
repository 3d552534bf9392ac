import {summarize} from './stats.js';

export type Unit = 'ms' | 'MiB' | '%' | 'count' | 'ratio';

/** One measured quantity: every value is one run's measurement. */
export type Measure = {label: string; unit: Unit; values: number[]; note?: string};

/** A table of measures; `baselines` name the measures every other one is compared with. */
export type ResultTable = {title: string; measures: Measure[]; baselines: string[]; notes?: string[]};

export type CaseOutcome = {
	id: string;
	title: string;
	startedAt: string;
	ms: number;
	/** os.loadavg() before and after the case: other work on the machine skews every figure. */
	load: {before: number[]; after: number[]};
	tables: ResultTable[];
	notes: string[];
	/** Every run's raw timings, for the JSON file. */
	raw: unknown;
	error?: string;
	skipped?: string;
};

/** Collects values per label in first-seen order, then turns them into tables. */
export class Collector {
	private readonly measures = new Map<string, Measure>();

	add(label: string, unit: Unit, value: number | undefined, note?: string): void {
		let measure = this.measures.get(label);
		if (!measure) {
			measure = {label, unit, values: [], ...(note ? {note} : {})};
			this.measures.set(label, measure);
		}
		if (value !== undefined && Number.isFinite(value)) measure.values.push(value);
	}

	get(label: string): Measure | undefined {
		return this.measures.get(label);
	}

	median(label: string): number | undefined {
		return summarize(this.measures.get(label)?.values ?? [])?.median;
	}

	/** A table of the given labels (those never added are left out). */
	table(title: string, labels: string[], baselines: string[] = [], notes: string[] = []): ResultTable {
		const measures = labels.map(label => this.measures.get(label)).filter((measure): measure is Measure => measure !== undefined);
		const present = baselines.filter(label => this.measures.has(label));
		return {title, measures, baselines: present, ...(notes.length > 0 ? {notes} : {})};
	}
}
