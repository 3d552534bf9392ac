import {buildTemplate} from '../../source/core/templates.js';
import {manager} from './dbarena.js';
import type {CaseOutcome} from './results.js';
import type {Target} from './targets.js';

export type CaseContext = {
	runs: number;
	/** Progress for the person watching (stderr); the report goes to stdout at the end. */
	log: (line: string) => void;
};

export type CaseBody = Pick<CaseOutcome, 'tables' | 'notes' | 'raw'> & {skipped?: string};

export type BenchCase = {
	id: string;
	title: string;
	run: (ctx: CaseContext) => Promise<CaseBody>;
};

/** The list turned by `by` places: run i starts with a different tool, so no tool always goes first. */
export function rotate<T>(list: readonly T[], by: number): T[] {
	const shift = ((by % list.length) + list.length) % list.length;
	return [...list.slice(shift), ...list.slice(0, shift)];
}

/** Make sure the preset image is local (pulled through the local registry if not). */
export async function ensureImage(target: Target): Promise<boolean> {
	return manager().ensureImage(target.image);
}

/** Make sure the template for the default settings exists (built with the core's buildTemplate). */
export async function ensureTemplate(target: Target): Promise<{reference: string; built: boolean; ms: number}> {
	await ensureImage(target);
	return buildTemplate(manager().engine, {database: target.database, version: target.version});
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
