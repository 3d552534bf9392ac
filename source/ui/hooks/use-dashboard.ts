import {useContext} from 'react';
import {useStore} from 'zustand';
import type {DashboardState} from '../../store/state.js';
import {DashboardContext, type DashboardContextValue} from '../dashboard-context.js';

export function useDashboardContext(): DashboardContextValue {
	const value = useContext(DashboardContext);
	if (!value) throw new Error('Dashboard components must be rendered inside <DashboardContext.Provider>.');
	return value;
}

/**
 * Reads one slice of the store; the component renders again only when that slice changes. A
 * selector that builds a new array or object each time must be wrapped in useShallow.
 */
export function useDashboard<T>(selector: (state: DashboardState) => T): T {
	return useStore(useDashboardContext().store, selector);
}
