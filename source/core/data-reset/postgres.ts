import type {Query} from '../sessions.js';

/**
 * PostgreSQL's data back to how it was created, inside the running server: every schema the user
 * has (public included) is emptied by dropping it, and public comes back with the owner, grants
 * and comment it had. Roles, settings, replication slots and publications are cluster- or
 * database-level objects outside the schemas, so they stay; a logical slot keeps streaming.
 *
 * Not DROP DATABASE + CREATE DATABASE … TEMPLATE: PostgreSQL refuses to drop a database a
 * logical slot lives in, which is exactly the database a CDC developer resets between tests.
 */

/** Tables are truncated first so a connector streaming pgoutput sees the data go (DDL is not decoded). */
const resetBlock = `
DO $dbarena$
DECLARE
	owner_name text;
	public_acl aclitem[];
	public_comment text;
	tables text;
	item record;
BEGIN
	SELECT pg_get_userbyid(nspowner), nspacl, obj_description(oid, 'pg_namespace')
		INTO owner_name, public_acl, public_comment FROM pg_namespace WHERE nspname = 'public';
	SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ') INTO tables
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%';
	IF tables IS NOT NULL THEN EXECUTE 'TRUNCATE ' || tables || ' CASCADE'; END IF;
	FOR item IN SELECT nspname FROM pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%' LOOP
		EXECUTE format('DROP SCHEMA %I CASCADE', item.nspname);
	END LOOP;
	PERFORM lo_unlink(oid) FROM pg_largeobject_metadata;
	-- A public schema the user had dropped comes back as initdb makes it.
	IF owner_name IS NULL THEN
		owner_name := CASE WHEN current_setting('server_version_num')::int >= 150000 THEN 'pg_database_owner' ELSE current_user END;
	END IF;
	EXECUTE format('CREATE SCHEMA public AUTHORIZATION %I', owner_name);
	IF public_acl IS NOT NULL THEN
		FOR item IN SELECT grantee, privilege_type FROM aclexplode(public_acl) WHERE grantee <> to_regrole(owner_name)::oid LOOP
			EXECUTE format('GRANT %s ON SCHEMA public TO %s', item.privilege_type,
				CASE WHEN item.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(item.grantee)) END);
		END LOOP;
	END IF;
	IF public_comment IS NOT NULL THEN EXECUTE format('COMMENT ON SCHEMA public IS %L', public_comment); END IF;
END $dbarena$`;

/** A schema the user made (public included), not one of the server's own. */
const userSchema = (column: string) => `${column} <> 'information_schema' AND ${column} NOT LIKE 'pg\\_%'`;

export type PostgresResetFacts = {schemas: string[]; tables: number; slots: string[]; terminated: number};

export async function resetPostgresData(query: Query): Promise<PostgresResetFacts> {
	const [before] = await query(
		"SELECT (SELECT coalesce(array_agg(nspname::text ORDER BY nspname), '{}') " +
			`FROM pg_namespace WHERE ${userSchema('nspname')}) AS schemas, ` +
			'(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ' +
			`WHERE c.relkind IN ('r', 'p') AND ${userSchema('n.nspname')})::int AS tables, ` +
			"(SELECT coalesce(array_agg(slot_name::text ORDER BY slot_name), '{}') FROM pg_replication_slots " +
			'WHERE database = current_database() OR database IS NULL) AS slots',
	);
	// Sessions that hold a lock would make the drop wait; a connector's walsender is not one of
	// them and keeps streaming. Clients get "terminating connection due to administrator command".
	const [ended] = await query(
		'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity ' +
			"WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
	);
	await query("SET lock_timeout = '5s'");
	await query(resetBlock);
	return {
		schemas: (before?.['schemas'] as string[] | undefined) ?? [],
		tables: Number(before?.['tables'] ?? 0),
		slots: (before?.['slots'] as string[] | undefined) ?? [],
		terminated: Number(ended?.['n'] ?? 0),
	};
}
