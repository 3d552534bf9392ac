import type {ChangeEvent, ChangeFilter, ChangeStream} from './types.js';
import {matchesFilter} from './filter.js';

/**
 * The listener side of every reader: events that pass the filter go to the listeners in the order
 * the reader hands them over; the end is said once; close() runs the reader's own teardown once
 * however often it is called (the command's signal handler and its finally may both call it).
 */
export class ChangeFeed implements ChangeStream {
	readonly #filter: ChangeFilter;
	readonly #changeListeners = new Set<(event: ChangeEvent) => void>();
	readonly #endListeners = new Set<(error?: Error) => void>();
	#ended: {error?: Error} | undefined;
	#closing: Promise<void> | undefined;
	#teardown: () => Promise<void> = async () => {};

	constructor(filter: ChangeFilter = {}) {
		this.#filter = filter;
	}

	/** What close() (and an end by itself) must undo on the server: set once the reader has made it. */
	setTeardown(teardown: () => Promise<void>): void {
		this.#teardown = teardown;
	}

	get ended(): boolean {
		return this.#ended !== undefined;
	}

	emit(event: ChangeEvent): void {
		if (this.#ended || !matchesFilter(event, this.#filter)) return;
		for (const listener of this.#changeListeners) listener(event);
	}

	/** The stream ended by itself (server gone, connection lost): tell the listeners, then clean up. */
	end(error?: Error): void {
		if (this.#ended) return;
		this.#ended = error ? {error} : {};
		for (const listener of this.#endListeners) listener(error);
		void this.close();
	}

	onChange(listener: (event: ChangeEvent) => void): () => void {
		this.#changeListeners.add(listener);
		return () => this.#changeListeners.delete(listener);
	}

	onEnd(listener: (error?: Error) => void): () => void {
		// A listener added after the end still hears it, so no caller can wait forever.
		if (this.#ended) queueMicrotask(() => listener(this.#ended?.error));
		else this.#endListeners.add(listener);
		return () => this.#endListeners.delete(listener);
	}

	async close(): Promise<void> {
		// Closing on purpose is no end to report: listeners hear only ends the reader did not ask for.
		this.#ended ??= {};
		this.#closing ??= this.#teardown().catch(() => undefined);
		return this.#closing;
	}
}
