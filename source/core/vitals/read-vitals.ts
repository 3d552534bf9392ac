import {runningConnection} from '../database-client.js';
import {execInContainer} from '../docker/containers.js';
import type {EngineHandle} from '../engine-handle.js';
import {OperationError} from '../errors.js';
import {presets} from '../presets/catalog.js';
import {sqlcmdCommands, sqlcmdMissing} from '../probes.js';
import {openSession, type Query, type Session} from '../sessions.js';
import type {ManagedContainer} from '../types.js';
import {dfCommand, parseDf} from './disk.js';
import {binaryLogsSql, binlogStatusSql, gtidSql, mysqlServerSql, mysqlStatusSql, parseMysqlVitals, type MysqlAnswers} from './mysql-family.js';
import {parsePostgresVitals, postgresHeldSessionCommits, postgresOwnCommits, postgresVitalsSql} from './postgres.js';
import {parseSqlserverVitals, sqlserverOutputFlags, sqlserverVitalsSql} from './sqlserver.js';
import type {Vitals} from './types.js';

export type {BinlogVitals, DiskVitals, SlotVitals, Vitals} from './types.js';
export {commitRate, slotConcern} from './types.js';

export type ReadVitalsOptions = {
	/** Also ask df, inside the container, how full the data directory's filesystem is: an exec, so not every time. */
	disk?: boolean;
};

/** A sample, and the commits it made itself, which a rate over it must leave out. */
export type VitalsSample = {vitals: Vitals; ownCommits: number};

async function diskOf(engine: EngineHandle, id: string, path: string | undefined) {
	if (path === undefined) return null;
	const result = await execInContainer(engine.docker, id, dfCommand(path)).catch(() => undefined);
	return result?.exitCode === 0 ? parseDf(result.stdout, path) : null;
}

async function sqlserverVitals(engine: EngineHandle, container: ManagedContainer, password: string, database: string): Promise<VitalsSample> {
	const {commands, env} = sqlcmdCommands(password, sqlserverVitalsSql(database));
	let lastError = 'sqlcmd not found in the image';
	for (const command of commands) {
		const result = await execInContainer(engine.docker, container.id, [...command, ...sqlserverOutputFlags], env);
		if (result.exitCode === 0) return {vitals: parseSqlserverVitals(result.stdout, Date.now()), ownCommits: 0};
		if (sqlcmdMissing(result)) continue;
		lastError = (result.stderr || result.stdout).trim().split('\n').at(-1) ?? `exit ${result.exitCode}`;
		break;
	}
	throw new OperationError(lastError);
}

async function postgresSample(query: Query, engine: EngineHandle, id: string, options: ReadVitalsOptions, ownCommits: number): Promise<VitalsSample> {
	const [row] = await query(postgresVitalsSql);
	const {vitals, dataDirectory} = parsePostgresVitals(row ?? {}, Date.now());
	if (options.disk) vitals.disk = await diskOf(engine, id, dataDirectory);
	return {vitals, ownCommits};
}

async function mysqlSample(query: Query, engine: EngineHandle, id: string, options: ReadVitalsOptions): Promise<VitalsSample> {
	const takenAt = Date.now();
	const status = await query(mysqlStatusSql);
	const [server = {}] = await query(mysqlServerSql);
	const answers: MysqlAnswers = {server, status, statusAfter: []};
	if (Number(server['log_bin']) === 1) {
		const version = String(server['version'] ?? '');
		answers.binlogStatus = await query(binlogStatusSql(version));
		answers.gtid = await query(gtidSql(version));
		answers.binaryLogs = await query(binaryLogsSql);
	}
	answers.statusAfter = await query(mysqlStatusSql);
	const {vitals, ownCommits, dataDirectory} = parseMysqlVitals(answers, takenAt);
	if (options.disk) vitals.disk = await diskOf(engine, id, dataDirectory);
	return {vitals, ownCommits};
}

/** Samples of one database's vitals over one SQL session, kept between samples until closed. */
export type VitalsReader = {
	read(options?: ReadVitalsOptions): Promise<VitalsSample>;
	/** Ends the session; a read after it opens a new one. */
	close(): Promise<void>;
};

/**
 * A reader of a running database's vitals, through the host driver with the container's admin
 * login (SQL Server through sqlcmd inside it), logging in at the first read and staying logged in:
 * the dashboard asks every 2 s. A read that fails ends the session (the next one logs in again)
 * and throws; the dashboard shows that as "vitals unavailable".
 */
export function openVitalsReader(engine: EngineHandle, container: ManagedContainer): VitalsReader {
	let session: Promise<Session> | undefined;
	const close = async () => {
		const open = session;
		session = undefined;
		await open?.then(async held => held.close()).catch(() => undefined);
	};
	return {
		async read(options = {}) {
			const login = runningConnection(container, 'read its vitals');
			const probe = presets[container.database].probe;
			if (probe === 'sqlserver') return sqlserverVitals(engine, container, login.password, login.database);
			const fresh = session === undefined;
			session ??= engine.reachable(login).then(async connection => openSession(probe, connection));
			try {
				const {query} = await session;
				if (probe === 'postgres') return await postgresSample(query, engine, container.id, options, fresh ? postgresOwnCommits : postgresHeldSessionCommits);
				return await mysqlSample(query, engine, container.id, options);
			} catch (error) {
				await close();
				throw error;
			}
		},
		close,
	};
}

/** One sample (inspect): a reader used once. */
export async function readVitals(engine: EngineHandle, container: ManagedContainer, options: ReadVitalsOptions = {}): Promise<VitalsSample> {
	const reader = openVitalsReader(engine, container);
	try {
		return await reader.read(options);
	} finally {
		await reader.close();
	}
}
