import type {CdcInfo, ConnectionInfo, Credentials, DatabaseKind, ManagedContainer, Mode} from './types.js';
import {presets} from './presets/catalog.js';
import {connectionInfo} from './connection.js';
import type {EngineReach} from './engine-reach.js';

/**
 * The one label schema: every `dbarena.*` label on containers, volumes and images is named here,
 * written by the functions here and read back by them. Nothing else spells a label.
 *
 * Everything needed to rebuild a container's connection info lives in its labels, so another
 * dbarena process (or the dashboard) can show the credentials of a container it did not create.
 */
export const label = {
	managed: 'dbarena.managed',
	database: 'dbarena.database',
	version: 'dbarena.version',
	createdAt: 'dbarena.created_at',
	mode: 'dbarena.mode',
	/** The preset (or --image) image; recreating a container starts from it again. */
	image: 'dbarena.image',
	user: 'dbarena.user',
	password: 'dbarena.password',
	dbname: 'dbarena.dbname',
	containerPort: 'dbarena.container_port',
	volume: 'dbarena.volume',
	/** The host port chosen at creation (a stopped container publishes none, but keeps its claim). */
	hostPort: 'dbarena.host_port',
	cdc: 'dbarena.cdc',
	/** Set when created with --cdc: the replication user (its password is the database password). */
	cdcUser: 'dbarena.cdc_user',
	/** Where the server keeps its data when not at the image's declared volume. */
	dataPath: 'dbarena.data_path',
	/** Where the data came from: fresh, template, snapshot, or volume (one kept from before). */
	source: 'dbarena.source',
	/** The template or snapshot image the container started from. */
	sourceImage: 'dbarena.source_image',
	/** The snapshot tag a container started from. */
	sourceSnapshot: 'dbarena.source_snapshot',
	/** On a volume: the container it was made for. */
	owner: 'dbarena.container',
} as const;

/** Labels of the images dbarena makes, and of the short-lived helpers that make them. */
export const imageLabel = {
	template: 'dbarena.template',
	templateKey: 'dbarena.template.key',
	templateSourceImage: 'dbarena.template.source_image',
	templateSourceRef: 'dbarena.template.source_ref',
	templateDataPath: 'dbarena.template.data_path',
	templateMode: 'dbarena.template.mode',
	snapshot: 'dbarena.snapshot',
	snapshotTag: 'dbarena.snapshot.tag',
	snapshotContainer: 'dbarena.snapshot.container',
	snapshotDataPath: 'dbarena.snapshot.data_path',
	snapshotBaseImage: 'dbarena.snapshot.base_image',
	snapshotCreatedAt: 'dbarena.snapshot.created_at',
	templateBuilder: 'dbarena.template-builder',
	snapshotTarget: 'dbarena.snapshot-target',
} as const;

/**
 * Before the schema was one module, a container that started from a snapshot carried its tag in
 * `dbarena.snapshot` — the label that marks snapshot images. Read it from there too, so such
 * containers still say where their data came from.
 */
const legacySnapshotTag = imageLabel.snapshot;

export const managedFilter = `${label.managed}=true`;

export type Labels = Readonly<Record<string, string>>;

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
		...credentialLabels(input.credentials),
		[label.containerPort]: String(input.containerPort),
		...(input.volume ? {[label.volume]: input.volume} : {}),
		...(input.cdcUser ? {[label.cdc]: 'true', [label.cdcUser]: input.cdcUser} : {}),
	};
}

function credentialLabels(credentials: Credentials): Record<string, string> {
	return {[label.user]: credentials.user, [label.password]: credentials.password, [label.dbname]: credentials.database};
}

export type DataSourceLabels = {kind: 'fresh'} | {kind: 'template'; image: string} | {kind: 'snapshot'; image: string; tag: string};

/** A container's data: where it lives and where it came from. */
export function sourceLabels(dataPath: string, source: DataSourceLabels): Record<string, string> {
	return {
		[label.dataPath]: dataPath,
		[label.source]: source.kind,
		...(source.kind === 'fresh' ? {} : {[label.sourceImage]: source.image}),
		...(source.kind === 'snapshot' ? {[label.sourceSnapshot]: source.tag} : {}),
	};
}

/** A container started on a volume that already held data: the data came from there, not from its own start. */
export function reusedVolumeLabels(): Record<string, string> {
	return {[label.source]: 'volume'};
}

export function hostPortLabel(port: number): Record<string, string> {
	return {[label.hostPort]: String(port)};
}

/** The host port a container claimed at creation, if its labels say. */
export function hostPortFromLabels(labels: Labels | undefined): number | undefined {
	const port = Number(labels?.[label.hostPort]);
	return Number.isInteger(port) && port > 0 ? port : undefined;
}

export function dataPathFromLabels(labels: Labels): string | undefined {
	return labels[label.dataPath];
}

export function isManaged(labels: Labels | undefined): boolean {
	return labels?.[label.managed] === 'true';
}

function isDatabaseKind(value: string | undefined): value is DatabaseKind {
	return value !== undefined && value in presets;
}

function isMode(value: string | undefined): value is Mode {
	return value === 'fast' || value === 'persistent' || value === 'durable';
}

export function credentialsFromLabels(labels: Labels): Credentials | undefined {
	const user = labels[label.user];
	const password = labels[label.password];
	const database = labels[label.dbname];
	if (user === undefined || password === undefined || database === undefined) return undefined;
	return {user, password, database};
}

export function connectionFromLabels(labels: Labels, hostIp: string, hostPort: number | undefined, reach?: EngineReach): ConnectionInfo | undefined {
	const credentials = credentialsFromLabels(labels);
	const database = labels[label.database];
	if (!credentials || hostPort === undefined || !isDatabaseKind(database)) return undefined;
	return connectionInfo(database, credentials, hostIp, hostPort, reach);
}

/** The replication user of a --cdc container, as connectors log in. */
export function cdcFromLabels(labels: Labels): CdcInfo | undefined {
	const user = labels[label.cdcUser];
	const password = labels[label.password];
	const database = labels[label.database];
	if (!user || password === undefined || !isDatabaseKind(database)) return undefined;
	const publication = presets[database].cdc?.publication;
	return {user, password, ...(publication ? {publication} : {})};
}

type Described = Pick<
	ManagedContainer,
	'database' | 'version' | 'mode' | 'image' | 'createdAt' | 'containerPort' | 'volume' | 'source' | 'sourceImage' | 'sourceSnapshot' | 'cdc'
>;

/** What a managed container's labels say; undefined when they are not dbarena's (or too damaged to use). */
export function describeLabels(labels: Labels): Described | undefined {
	const database = labels[label.database];
	if (!isManaged(labels) || !isDatabaseKind(database)) return undefined;
	const mode = labels[label.mode];
	const source = labels[label.source];
	const legacyTag = labels[legacySnapshotTag];
	const snapshotTag = labels[label.sourceSnapshot] ?? (legacyTag === 'true' ? undefined : legacyTag);
	const cdc = cdcFromLabels(labels);
	return {
		database,
		version: labels[label.version] ?? '?',
		mode: isMode(mode) ? mode : 'fast',
		source: source === 'template' || source === 'snapshot' || source === 'volume' ? source : 'fresh',
		...(labels[label.sourceImage] ? {sourceImage: labels[label.sourceImage]} : {}),
		...(snapshotTag ? {sourceSnapshot: snapshotTag} : {}),
		image: labels[label.image] ?? '',
		createdAt: new Date(labels[label.createdAt] ?? 0),
		containerPort: Number(labels[label.containerPort] ?? presets[database].containerPort),
		...(labels[label.volume] ? {volume: labels[label.volume]} : {}),
		...(cdc ? {cdc} : {}),
	};
}

// ---- volumes ---------------------------------------------------------------------------------

export type VolumeLabelInput = {database: DatabaseKind; version: string; credentials: Credentials; owner: string; dataPath?: string};

export function volumeLabels(input: VolumeLabelInput): Record<string, string> {
	return {
		[label.managed]: 'true',
		[label.database]: input.database,
		[label.version]: input.version,
		...credentialLabels(input.credentials),
		[label.owner]: input.owner,
		...(input.dataPath ? {[label.dataPath]: input.dataPath} : {}),
	};
}

/** What a volume's labels say about the data in it. */
export function describeVolumeLabels(labels: Labels): {database?: string; version?: string; credentials?: Credentials; owner?: string; dataPath?: string} {
	const credentials = credentialsFromLabels(labels);
	return {
		...(labels[label.database] ? {database: labels[label.database]} : {}),
		...(labels[label.version] ? {version: labels[label.version]} : {}),
		...(credentials ? {credentials} : {}),
		...(labels[label.owner] ? {owner: labels[label.owner]} : {}),
		...(labels[label.dataPath] ? {dataPath: labels[label.dataPath]} : {}),
	};
}

// ---- template and snapshot images --------------------------------------------------------------

export type TemplateImageInput = {key: string; sourceImageId: string; sourceRef: string; dataPath: string; mode: Mode; database: DatabaseKind; version: string};

export function templateImageLabels(input: TemplateImageInput): Record<string, string> {
	return {
		[imageLabel.template]: 'true',
		[imageLabel.templateKey]: input.key,
		[imageLabel.templateSourceImage]: input.sourceImageId,
		[imageLabel.templateSourceRef]: input.sourceRef,
		[imageLabel.templateDataPath]: input.dataPath,
		[imageLabel.templateMode]: input.mode,
		[label.database]: input.database,
		[label.version]: input.version,
	};
}

export function isTemplateImage(labels: Labels): boolean {
	return labels[imageLabel.template] === 'true';
}

export function describeTemplateImage(labels: Labels): {
	key: string;
	database: string;
	version: string;
	mode: string;
	sourceRef: string;
	sourceImageId?: string;
} {
	return {
		key: labels[imageLabel.templateKey] ?? '',
		database: labels[label.database] ?? '?',
		version: labels[label.version] ?? '?',
		mode: labels[imageLabel.templateMode] ?? '?',
		sourceRef: labels[imageLabel.templateSourceRef] ?? '?',
		...(labels[imageLabel.templateSourceImage] ? {sourceImageId: labels[imageLabel.templateSourceImage]} : {}),
	};
}

export type SnapshotImageInput = {
	tag: string;
	container: string;
	dataPath: string;
	baseImage: string;
	createdAt: Date;
	database: DatabaseKind;
	version: string;
	credentials: Credentials;
};

export function snapshotImageLabels(input: SnapshotImageInput): Record<string, string> {
	return {
		[imageLabel.snapshot]: 'true',
		[imageLabel.snapshotTag]: input.tag,
		[imageLabel.snapshotContainer]: input.container,
		[imageLabel.snapshotDataPath]: input.dataPath,
		[imageLabel.snapshotBaseImage]: input.baseImage,
		[imageLabel.snapshotCreatedAt]: input.createdAt.toISOString(),
		[label.database]: input.database,
		[label.version]: input.version,
		...credentialLabels(input.credentials),
	};
}

export function isSnapshotImage(labels: Labels): boolean {
	return labels[imageLabel.snapshot] === 'true';
}

export function describeSnapshotImage(labels: Labels): {
	database?: string;
	version?: string;
	container?: string;
	dataPath?: string;
	baseImage?: string;
	credentials?: Credentials;
} {
	const credentials = credentialsFromLabels(labels);
	return {
		...(labels[label.database] ? {database: labels[label.database]} : {}),
		...(labels[label.version] ? {version: labels[label.version]} : {}),
		...(labels[imageLabel.snapshotContainer] ? {container: labels[imageLabel.snapshotContainer]} : {}),
		...(labels[imageLabel.snapshotDataPath] ? {dataPath: labels[imageLabel.snapshotDataPath]} : {}),
		...(labels[imageLabel.snapshotBaseImage] ? {baseImage: labels[imageLabel.snapshotBaseImage]} : {}),
		...(credentials ? {credentials} : {}),
	};
}
