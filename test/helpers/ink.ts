import {stripVTControlCharacters} from 'node:util';
import type {render} from 'ink-testing-library';

/**
 * Drive Ink apps in tests the way Shopify's cli-kit does: write input, then wait for the frame to
 * show what the input should cause. No fixed sleeps: a wait ends as soon as the frame matches and
 * fails (with the last frame in the message) only when it never does.
 */
export type InkInstance = ReturnType<typeof render>;

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	home: '\u001B[H',
	end: '\u001B[F',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	backspace: '\u007F',
	ctrlC: '\u0003',
} as const;

export function frameText(instance: InkInstance): string {
	return stripVTControlCharacters(instance.lastFrame() ?? '');
}

/** Lets a render's passive effects (useInput subscriptions) and pending timers of this turn run. */
export async function settle(): Promise<void> {
	await new Promise(resolve => setImmediate(resolve));
}

/**
 * The timeout is a ceiling, not a wait: a matching frame returns at once. It is generous because
 * the unit suite shares two cores with everything else running on the machine.
 */
export async function waitForFrame(instance: InkInstance, predicate: (frame: string) => boolean, timeoutMs = 5000): Promise<string> {
	// performance.now, not Date.now: tests may fake the Date.
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		const frame = frameText(instance);
		if (predicate(frame)) {
			await settle();
			return frame;
		}
		if (performance.now() > deadline) throw new Error(`The frame never matched within ${timeoutMs} ms. Last frame:\n${frame}`);
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

/** Writes `input` and waits for a frame after it that satisfies `until` (by default: any new frame). */
export async function press(instance: InkInstance, input: string, until?: (frame: string) => boolean): Promise<string> {
	const before = instance.frames.length;
	instance.stdin.write(input);
	return waitForFrame(instance, frame => instance.frames.length > before && (until ? until(frame) : true));
}

/** The frame's lines with trailing spaces removed, for exact comparisons. */
export function lines(frame: string): string[] {
	return frame.split('\n').map(line => line.trimEnd());
}
