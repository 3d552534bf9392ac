import {Box, useApp} from 'ink';
import {type ReactNode, useCallback, useEffect, useMemo} from 'react';
import type {DashboardStore} from '../../store/create-dashboard-store.js';
import type {DashboardOperations} from '../../store/operations.js';
import {selectPendingCreateNames, selectVisibleIds} from '../../store/selectors.js';
import {closeOverlay, setTableRows} from '../../store/view-actions.js';
import type {CreateOptions} from '../../core/create/plan.js';
import {ChangesPane} from './ChangesPane.js';
import {ConfirmDestroy} from './ConfirmDestroy.js';
import {ConfirmReset} from './ConfirmReset.js';
import {ContainerTable} from './ContainerTable.js';
import {CreateForm} from './CreateForm.js';
import {DashboardContext} from '../dashboard-context.js';
import {DetailsPanel} from './DetailsPanel.js';
import {Header} from './Header.js';
import {HelpOverlay} from './HelpOverlay.js';
import {KeyHints} from './KeyHints.js';
import {dashboardLayout, tableChrome} from '../layout.js';
import {LogPane} from './LogPane.js';
import {StatusLine} from './StatusLine.js';
import {UrlLine} from './UrlLine.js';
import {useDashboard, useDashboardContext} from '../hooks/use-dashboard.js';
import {useDashboardKeys} from '../hooks/use-dashboard-keys.js';
import {useFilterInput} from '../hooks/use-filter-input.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';

export type AppProps = {
	store: DashboardStore;
	operations: DashboardOperations;
};

/** The whole dashboard: header, containers table, details and logs (or an overlay), status. */
export function App({store, operations}: AppProps) {
	const context = useMemo(() => ({store, operations}), [store, operations]);
	return (
		<DashboardContext.Provider value={context}>
			<Screen />
		</DashboardContext.Provider>
	);
}

function Screen() {
	const {store, operations} = useDashboardContext();
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const rowCount = useDashboard(state => selectVisibleIds(state).length + selectPendingCreateNames(state).length);
	const showDetails = useDashboard(state => state.showDetails);
	const bottomPane = useDashboard(state => state.bottomPane);
	const overlay = useDashboard(state => state.overlay);
	const filterEditing = useDashboard(state => state.filterEditing);
	const layout = dashboardLayout({columns, rows, rowCount, showDetails});
	// The store learns how many rows are on screen: the stats sampler follows only those.
	useEffect(() => {
		setTableRows(store, layout.tableRows);
	}, [store, layout.tableRows]);

	const quit = useCallback(() => {
		exit();
	}, [exit]);
	const mainKey = useDashboardKeys({pageSize: layout.logLines, isActive: overlay === undefined && !filterEditing, onQuit: quit});
	useFilterInput(overlay === undefined && filterEditing, mainKey);
	const submitCreate = useCallback((options: CreateOptions) => operations.create(options), [operations]);
	const cancelCreate = useCallback(() => {
		closeOverlay(store);
	}, [store]);

	// Help takes the table's place too: every key must fit even on an 80×24 terminal.
	const bodyHeight = layout.tableRows + tableChrome + layout.bottomHeight;
	let bottom: ReactNode;
	if (overlay?.kind === 'help') {
		bottom = <HelpOverlay width={layout.width} height={bodyHeight} />;
	} else if (overlay?.kind === 'create') {
		bottom = <CreateForm width={layout.width} height={layout.bottomHeight} onSubmit={submitCreate} onCancel={cancelCreate} />;
	} else if (overlay?.kind === 'confirm-destroy') {
		bottom = <ConfirmDestroy overlay={overlay} width={layout.width} height={layout.bottomHeight} />;
	} else if (overlay?.kind === 'confirm-reset') {
		bottom = <ConfirmReset overlay={overlay} width={layout.width} height={layout.bottomHeight} />;
	} else {
		bottom = (
			<Box height={layout.bottomHeight} width={layout.width} flexDirection="column">
				<Box height={layout.paneHeight} width={layout.width}>
					{showDetails ? <DetailsPanel width={layout.detailsWidth} height={layout.paneHeight} /> : undefined}
					{bottomPane === 'changes' ? (
						<ChangesPane width={layout.width - layout.detailsWidth} height={layout.paneHeight} lines={layout.logLines} />
					) : (
						<LogPane width={layout.width - layout.detailsWidth} height={layout.paneHeight} lines={layout.logLines} />
					)}
				</Box>
				{showDetails ? <UrlLine width={layout.width} /> : undefined}
			</Box>
		);
	}

	return (
		<Box flexDirection="column" width={layout.width} height={layout.height}>
			<Header width={layout.width} />
			{overlay?.kind === 'help' ? undefined : <ContainerTable width={layout.width} rows={layout.tableRows} />}
			{bottom}
			<StatusLine width={layout.width} />
			<KeyHints />
		</Box>
	);
}
