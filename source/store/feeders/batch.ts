/**
 * Items gathered and written at most every `flushMs`: a stream that delivers hundreds at once (a
 * database's start-up log, a bulk insert's changes) costs one store update, so one frame. The
 * timer exists only while items wait, so an idle stream costs nothing.
 */
export type Batch<T> = {
	add(item: T): void;
	/** Writes what waits now (before the stream's end note, say). */
	flush(): void;
	/** Forgets what waits: its stream is no longer the one shown. */
	cancel(): void;
};

export function createBatch<T>(flushMs: number, write: (items: T[]) => void): Batch<T> {
	let waiting: T[] = [];
	let timer: NodeJS.Timeout | undefined;

	const cancel = () => {
		clearTimeout(timer);
		timer = undefined;
		waiting = [];
	};

	const flush = () => {
		const items = waiting;
		cancel();
		if (items.length > 0) write(items);
	};

	return {
		add(item) {
			waiting.push(item);
			timer ??= setTimeout(flush, flushMs);
		},
		flush,
		cancel,
	};
}
