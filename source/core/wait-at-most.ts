/**
 * Wait for `work` to settle, but no longer than `ms`, and whatever its outcome: for a goodbye to a
 * server that may be going away (QUIT, the end of a replication stream), which must never keep
 * the user waiting.
 */
export async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([
		work.catch(() => undefined),
		new Promise(resolve => {
			timer = setTimeout(resolve, ms);
		}),
	]);
	clearTimeout(timer);
}
