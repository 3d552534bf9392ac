import type {Command} from './command.js';

type Entry = {summary: string; load: () => Promise<Command>};

/**
 * Every subcommand, loaded only when it runs: `dbarena list` must not pay for create's or the
 * dashboard's imports. Summaries live here so `dbarena --help` loads no command at all.
 */
export const commands: Readonly<Record<string, Entry>> = {
	create: {summary: 'Create and start databases; wait until they accept logins', load: async () => (await import('../commands/create.js')).createCommand},
	start: {summary: 'Start stopped containers and wait until they are ready', load: async () => (await import('../commands/start.js')).startCommand},
	stop: {summary: 'Stop running containers (graceful shutdown)', load: async () => (await import('../commands/stop.js')).stopCommand},
	restart: {summary: 'Restart containers and wait until they are ready', load: async () => (await import('../commands/restart.js')).restartCommand},
	destroy: {summary: 'Remove containers (volumes are kept unless asked)', load: async () => (await import('../commands/destroy.js')).destroyCommand},
	list: {summary: 'List dbarena containers with their health', load: async () => (await import('../commands/list.js')).listCommand},
	inspect: {summary: "Show a container's settings and connection info", load: async () => (await import('../commands/inspect.js')).inspectCommand},
	logs: {summary: "Print or follow a container's logs", load: async () => (await import('../commands/logs.js')).logsCommand},
	url: {summary: 'Print only the connection URL (psql "$(dbarena url x)")', load: async () => (await import('../commands/url.js')).urlCommand},
	tunnel: {
		summary: "Forward a local port to a database on an ssh:// engine's host (until Ctrl-C)",
		load: async () => (await import('../commands/tunnel.js')).tunnelCommand,
	},
	shell: {
		summary: "Open the database's own client (psql, mysql, sqlcmd), or run a script from stdin",
		load: async () => (await import('../commands/shell.js')).shellCommand,
	},
	query: {summary: 'Run SQL and print the rows (a table, --json or --csv)', load: async () => (await import('../commands/query.js')).queryCommand},
	changes: {
		summary: 'Print the change stream of a --cdc database as it commits (--follow, --json)',
		load: async () => (await import('../commands/changes.js')).changesCommand,
	},
	load: {
		summary: 'Write a steady stream of inserts, updates and deletes (for a CDC connector to read)',
		load: async () => (await import('../commands/load.js')).loadCommand,
	},
	dump: {summary: 'Write the database as SQL to stdout (pg_dump, mysqldump)', load: async () => (await import('../commands/dump.js')).dumpCommand},
	env: {
		summary: 'Connection settings as DATABASE_URL and the client variables; --write .env',
		load: async () => (await import('../commands/env.js')).envCommand,
	},
	reset: {summary: 'Recreate a container with fresh data (same name, port, settings)', load: async () => (await import('../commands/reset.js')).resetCommand},
	'images pull': {summary: 'Pull database images ahead of time', load: async () => (await import('../commands/images.js')).imagesPullCommand},
	'images list': {summary: 'List cached database images', load: async () => (await import('../commands/images.js')).imagesListCommand},
	'images prune': {summary: 'Remove cached database images no container uses', load: async () => (await import('../commands/images.js')).imagesPruneCommand},
	'volumes list': {summary: 'List dbarena volumes (persistent data)', load: async () => (await import('../commands/volumes.js')).volumesListCommand},
	'volumes rm': {summary: 'Remove dbarena volumes and the data in them', load: async () => (await import('../commands/volumes.js')).volumesRmCommand},
	'templates list': {
		summary: 'List initialised templates creates start from',
		load: async () => (await import('../commands/templates.js')).templatesListCommand,
	},
	'templates prune': {summary: 'Remove templates no container uses', load: async () => (await import('../commands/templates.js')).templatesPruneCommand},
	'templates build': {summary: 'Build the template for some settings now', load: async () => (await import('../commands/templates.js')).templatesBuildCommand},
	snapshot: {summary: "Capture a running database's data to create copies from", load: async () => (await import('../commands/snapshot.js')).snapshotCommand},
	'snapshot list': {summary: 'List snapshots', load: async () => (await import('../commands/snapshot.js')).snapshotListCommand},
	'snapshot rm': {summary: 'Remove snapshots', load: async () => (await import('../commands/snapshot.js')).snapshotRmCommand},
	doctor: {
		summary: 'Check the engine (and how it was found), registry, images, disk, ports, clock',
		load: async () => (await import('../commands/doctor.js')).doctorCommand,
	},
};

/** Commands that only exist with a subcommand: `dbarena images pull`. */
export const groups: Readonly<Record<string, string[]>> = {
	images: ['pull', 'list', 'prune'],
	volumes: ['list', 'rm'],
	templates: ['list', 'prune', 'build'],
};

/**
 * Commands that take a name but also have subcommands: "dbarena snapshot NAME" and
 * "dbarena snapshot list". A container called "list" or "rm" needs --tag-less care: use its id.
 */
export const namedGroups: Readonly<Record<string, string[]>> = {
	snapshot: ['list', 'rm'],
};
