import type {CdcInfo, ConnectionInfo, Credentials, DatabaseKind, ManagedContainer, Mode} from './types.js';
import {presets} from './presets/catalog.js';

/**
 * Everything needed to rebuild a container's connection info lives in its labels, so another
 * dbarena process (or the dashboard) can show the credentials of a container it did not create.
 */
export const label = {
	managed: 'dbarena.managed',
	database: 'dbarena.database',
	version: 'dbarena.version',
	createdAt: 'dbarena.created_at',
	mode: 'dbarena.mode',
	image: 'dbarena.image',
	user: 'dbarena.user',
	password: 'dbarena.password',
	dbname: 'dbarena.dbname',
	containerPort: 'dbarena.container_port',
	volume: 'dbarena.volume',
	/** The host port chosen at creation (a stopped container publishes none, but keeps its claim). */
	hostPort: 'dbarena.host_port',
	/** Set when created with --cdc: the replication user (its password is the database password). */
	cdcUser: 'dbarena.cdc_user',
} as const;

export const managedFilter = `${label.managed}=true`;

export type LabelInput = {
	database: DatabaseKind;
	version: string;
	mode: Mode;
	image: string;
	credentials: Credentials;
	containerPort: number;
	volume?: string;
	cdcUser?: string;
	createdAt: Date;
};

export function buildLabels(input: LabelInput): Record<string, string> {
	return {
		[label.managed]: 'true',
		[label.database]: input.database,
		[label.version]: input.version,
		[label.createdAt]: input.createdAt.toISOString(),
		[label.mode]: input.mode,
		[label.image]: input.image,
		[label.user]: input.credentials.user,
		[label.password]: input.credentials.password,
		[label.dbname]: input.credentials.database,
		[label.containerPort]: String(input.containerPort),
		...(input.volume ? {[label.volume]: input.volume} : {}),
		...(input.cdcUser ? {'dbarena.cdc': 'true', [label.cdcUser]: input.cdcUser} : {}),
	};
}

export function isManaged(labels: Record<string, string> | undefined): boolean {
	return labels?.[label.managed] === 'true';
}

function isDatabaseKind(value: string | undefined): value is DatabaseKind {
	return value !== undefined && value in presets;
}

function isMode(value: string | undefined): value is Mode {
	return value === 'fast' || value === 'persistent' || value === 'durable';
}

export function credentialsFromLabels(labels: Record<string, string>): Credentials | undefined {
	const user = labels[label.user];
	const password = labels[label.password];
	const database = labels[label.dbname];
	if (user === undefined || password === undefined || database === undefined) return undefined;
	return {user, password, database};
}

/** The address a host client uses for a published binding (0.0.0.0 is reached via loopback). */
export function clientHost(hostIp: string): string {
	return hostIp === '0.0.0.0' || hostIp === '' ? '127.0.0.1' : hostIp === '::' ? '::1' : hostIp;
}

export function connectionFromLabels(labels: Record<string, string>, hostIp: string, hostPort: number | undefined): ConnectionInfo | undefined {
	const credentials = credentialsFromLabels(labels);
	const database = labels[label.database];
	if (!credentials || hostPort === undefined || !isDatabaseKind(database)) return undefined;
	const host = clientHost(hostIp);
	return {...credentials, host, port: hostPort, url: presets[database].url({...credentials, host: host.includes(':') ? `[${host}]` : host, port: hostPort})};
}

/** What the labels say; undefined when they are not dbarena's (or too damaged to use). */
/** The replication user of a --cdc container, as connectors log in. */
export function cdcFromLabels(labels: Record<string, string>): CdcInfo | undefined {
	const user = labels[label.cdcUser];
	const password = labels[label.password];
	const database = labels[label.database];
	if (!user || password === undefined || !isDatabaseKind(database)) return undefined;
	const publication = presets[database].cdc?.publication;
	return {user, password, ...(publication ? {publication} : {})};
}

export function describeLabels(labels: Record<string, string>): Pick<ManagedContainer, 'database' | 'version' | 'mode' | 'image' | 'createdAt' | 'containerPort' | 'volume' | 'source' | 'cdc'> | undefined {
	const database = labels[label.database];
	if (!isManaged(labels) || !isDatabaseKind(database)) return undefined;
	const mode = labels[label.mode];
	return {
		database,
		version: labels[label.version] ?? '?',
		mode: isMode(mode) ? mode : 'fast',
		source: labels['dbarena.source'] === 'template' || labels['dbarena.source'] === 'snapshot' ? labels['dbarena.source'] : 'fresh',
		image: labels[label.image] ?? '',
		createdAt: new Date(labels[label.createdAt] ?? 0),
		containerPort: Number(labels[label.containerPort] ?? presets[database].containerPort),
		...(labels[label.volume] ? {volume: labels[label.volume]} : {}),
		...(cdcFromLabels(labels) ? {cdc: cdcFromLabels(labels)} : {}),
	};
}
