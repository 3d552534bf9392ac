import {createStore, type StoreApi} from 'zustand/vanilla';
import {initialState, type DashboardState} from './state.js';

/**
 * A vanilla store: the feeders write into it from outside React, the components subscribe with
 * `useStore(store, selector)`, and tests drive it without rendering anything.
 */
export type DashboardStore = StoreApi<DashboardState>;

export function createDashboardStore(options: {address: string; foundBy?: string; initial?: Partial<DashboardState>}): DashboardStore {
	return createStore<DashboardState>()(() => ({...initialState(options.address, options.foundBy), ...options.initial}));
}
