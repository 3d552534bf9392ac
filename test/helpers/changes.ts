import {vi} from 'vitest';
import type {ChangeEvent, ChangeFilter, ChangeStream} from '../../source/core/changes/types.js';
import type {ManagedContainer} from '../../source/core/types.js';

/** One change as an engine's reader would report it; override what a test cares about. */
export function changeEvent(overrides: Partial<ChangeEvent> = {}): ChangeEvent {
	return {
		operation: 'insert',
		table: 'public.orders',
		key: {id: 1},
		values: {id: 1, item: 'tea'},
		commitTime: new Date('2026-01-01T10:05:00.000Z'),
		receivedAt: new Date('2026-01-01T10:05:00.012Z'),
		position: '0/16B3748',
		...overrides,
	};
}

/** A ChangeStream the test drives: emit events, end it, and see whether it was closed. */
export function fakeChangeStream() {
	const changeListeners = new Set<(event: ChangeEvent) => void>();
	const endListeners = new Set<(error?: Error) => void>();
	const close = vi.fn(async () => undefined);
	const stream: ChangeStream = {
		onChange(listener) {
			changeListeners.add(listener);
			return () => changeListeners.delete(listener);
		},
		onEnd(listener) {
			endListeners.add(listener);
			return () => endListeners.delete(listener);
		},
		close,
	};
	return {
		stream,
		close,
		emit(...events: ChangeEvent[]) {
			for (const event of events) for (const listener of changeListeners) listener(event);
		},
		end(error?: Error) {
			for (const listener of endListeners) listener(error);
		},
		/** Listeners still attached: a closed follow must have let go of its stream. */
		listening: () => changeListeners.size + endListeners.size,
	};
}

export type FakeChangeStream = ReturnType<typeof fakeChangeStream>;

/**
 * An opener recording every open, newest last. Each answers at once with a new fake stream unless
 * the test holds it (`hold`), to see what happens to a stream that arrives after it is wanted.
 */
export function fakeChangeOpener() {
	const opened: Array<{container: ManagedContainer; filter: ChangeFilter; fake: FakeChangeStream}> = [];
	let held: Array<() => void> | undefined;
	const open = vi.fn(async (container: ManagedContainer, filter: ChangeFilter): Promise<ChangeStream> => {
		const fake = fakeChangeStream();
		opened.push({container, filter, fake});
		if (held) await new Promise<void>(resolve => held!.push(resolve));
		return fake.stream;
	});
	return {
		open,
		opened,
		last: () => opened.at(-1)!.fake,
		hold() {
			held = [];
		},
		release() {
			const waiting = held ?? [];
			held = undefined;
			for (const resolve of waiting) resolve();
		},
	};
}
