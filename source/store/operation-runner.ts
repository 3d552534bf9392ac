import {DbarenaError} from '../core/errors.js';
import {progressWords} from '../core/progress-words.js';
import type {ProgressListener} from '../core/types.js';
import {applyChange} from './apply-change.js';
import {withoutKey} from './container-actions.js';
import type {DashboardStore} from './create-dashboard-store.js';
import type {CreateProgress, Operation} from './state.js';
import {setMessage} from './view-actions.js';

/** The first line of an error: the status line has one line, and core messages lead with the point. */
export function describeError(error: unknown): string {
	const message = error instanceof DbarenaError || error instanceof Error ? error.message : String(error);
	return message.split('\n')[0] ?? message;
}

export type OperationRunner = {
	/** Runs `work` in the background with the row marked busy; its result or error goes to the status line. */
	run(name: string, operation: Operation, progress: string, work: (signal: AbortSignal) => Promise<string>): void;
	/** Settles when every operation started so far has settled. */
	settled(): Promise<void>;
	/** Aborts what still runs (a create then removes what it made) and waits for that, at most timeoutMs. */
	shutdown(timeoutMs?: number): Promise<void>;
};

/** Background operations of the dashboard: none throws into the UI, and all can be aborted on quit. */
export function createOperationRunner(store: DashboardStore): OperationRunner {
	const running = new Set<Promise<void>>();
	const controllers = new Set<AbortController>();

	const setOperation = (name: string, operation: Operation | undefined) => {
		applyChange(store, state => {
			if (operation === undefined) return name in state.operations ? {operations: withoutKey(state.operations, name)} : undefined;
			return {operations: {...state.operations, [name]: operation}};
		});
	};

	/** Runs `work` in the background with the row marked busy; its result or error goes to the status line. */
	const run = (name: string, operation: Operation, progress: string, work: (signal: AbortSignal) => Promise<string>) => {
		const controller = new AbortController();
		controllers.add(controller);
		setOperation(name, operation);
		setMessage(store, progress, 'progress');
		const task = (async () => {
			try {
				setMessage(store, await work(controller.signal), 'success');
			} catch (error) {
				setMessage(store, describeError(error), 'error');
			} finally {
				controllers.delete(controller);
				setOperation(name, undefined);
			}
		})();
		running.add(task);
		void task.finally(() => running.delete(task));
	};

	const runner: OperationRunner = {
		run,
		async settled() {
			while (running.size > 0) await Promise.allSettled([...running]);
		},
		async shutdown(timeoutMs = 5000) {
			for (const controller of controllers) controller.abort();
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([
				runner.settled(),
				new Promise<void>(resolve => {
					timer = setTimeout(resolve, timeoutMs);
				}),
			]);
			clearTimeout(timer);
		},
	};
	return runner;
}

/**
 * The provisional row of a create or reset, kept until the engine reports the container: its
 * phase follows the progress events, in the words the command line prints too.
 */
export function provisionalRow(store: DashboardStore, progress: CreateProgress, verb: string): {onProgress: ProgressListener; clear(): void} {
	const {name} = progress;
	const set = (next: CreateProgress | undefined) => {
		applyChange(store, state => ({creates: next ? {...state.creates, [name]: next} : withoutKey(state.creates, name)}));
	};
	set(progress);
	const describe = progressWords();
	return {
		onProgress(event) {
			const words = describe(event);
			const phase = words.now ?? words.step?.text;
			if (phase === undefined || store.getState().creates[name]?.phase === phase) return;
			set({...progress, phase});
			setMessage(store, `${verb} ${name}: ${phase}`, 'progress');
		},
		clear() {
			set(undefined);
		},
	};
}
