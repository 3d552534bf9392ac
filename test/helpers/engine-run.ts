/**
 * Which run of the integration tests this is, for the files the `podman` project shares with the
 * Docker one. vitest.config.ts sets DBARENA_TEST_ENGINE=podman in that project; there `npm test`
 * runs the short form of some files (the rows named in the README, "The podman test project"), to
 * keep its time beside the isolated project's, and DBARENA_PODMAN_ALL=1 runs every row.
 *
 * A row left out of the short form is not declared at all: nothing is skipped in silence, and the
 * count of tests a run reports is the count it ran.
 */
export const onPodman = process.env['DBARENA_TEST_ENGINE'] === 'podman';

/** The Podman project without DBARENA_PODMAN_ALL=1: what `npm test` runs there. */
export const podmanShortRun = onPodman && process.env['DBARENA_PODMAN_ALL'] !== '1';

/** A table's rows to declare: every row, or in the Podman project's short run those it keeps. */
export function rowsOf<Row>(rows: readonly Row[], keepInPodmanShortRun: (row: Row) => boolean): Row[] {
	return podmanShortRun ? rows.filter(keepInPodmanShortRun) : [...rows];
}

/** Declares the tests `declare` makes, except in the Podman project's short run. */
export function beyondPodmanShortRun(declare: () => void): void {
	if (!podmanShortRun) declare();
}
