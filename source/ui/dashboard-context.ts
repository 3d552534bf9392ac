import {createContext} from 'react';
import type {DashboardStore} from '../store/create-dashboard-store.js';
import type {DashboardOperations} from '../store/operations.js';

/** The store to read and the operations the keys call; provided once by the App's caller. */
export type DashboardContextValue = {
	store: DashboardStore;
	operations: DashboardOperations;
};

export const DashboardContext = createContext<DashboardContextValue | undefined>(undefined);
