/**
 * Where everything goes on a screen of `columns` x `rows`. Computed, not measured, so the log pane
 * knows how many lines it has before it renders and the table knows how many rows fit.
 */
export type DashboardLayout = {
	width: number;
	/**
	 * One line less than the terminal: a frame as tall as the terminal makes Ink clear and repaint
	 * the whole screen on every update instead of rewriting only the lines that changed.
	 */
	height: number;
	/** Table rows that fit (not counting its header). */
	tableRows: number;
	/** The panel under the table: details, logs, or an overlay. */
	bottomHeight: number;
	/** The details and log panes: the bottom less the URL line that goes with the details. */
	paneHeight: number;
	/** Lines of log text the log pane shows. */
	logLines: number;
	detailsWidth: number;
};

const headerLines = 1;
/** The status line's two lines and the key hints. */
const statusLines = 3;
/** Border (2) and the column titles. */
export const tableChrome = 3;
/** Border (2) and the pane title. */
const paneChrome = 3;
/**
 * The selected database's URL, under the details on a line of its own: a URL inside a box is cut
 * or wrapped with the border in it, and a mouse selection of either is no working URL.
 */
const urlLines = 1;

export function dashboardLayout(options: {columns: number; rows: number; rowCount: number; showDetails: boolean}): DashboardLayout {
	const width = Math.max(40, options.columns);
	const height = Math.max(16, options.rows - 1);
	const body = height - headerLines - statusLines;
	// The table takes what it needs up to 40 % of the body; the logs get the rest.
	const maxTableRows = Math.max(3, Math.floor(body * 0.4) - tableChrome);
	const tableRows = Math.min(Math.max(1, options.rowCount), maxTableRows);
	const bottomHeight = body - tableRows - tableChrome;
	const paneHeight = bottomHeight - (options.showDetails ? urlLines : 0);
	return {
		width,
		height,
		tableRows,
		bottomHeight,
		paneHeight,
		logLines: Math.max(1, paneHeight - paneChrome),
		detailsWidth: options.showDetails ? Math.min(64, Math.floor(width * 0.42)) : 0,
	};
}
