package pgcatalog

// The views of pg_catalog over tables (PostgreSQL's system_views.sql
// defines the same columns).

var _ = definesView(12033, PgCatalog, "pg_tables", `
SELECT n.nspname AS schemaname, c.relname AS tablename,
       (SELECT a.rolname FROM pg_catalog.pg_authid a WHERE a.oid = c.relowner) AS tableowner,
       NULL::name AS tablespace,
       c.relhasindex AS hasindexes, c.relhasrules AS hasrules, c.relhastriggers AS hastriggers,
       c.relrowsecurity AS rowsecurity
FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')`)

// The views below keep PostgreSQL 15's OIDs. Where PostgreSQL's
// definition calls a function pqdb does not have yet (pg_get_ruledef,
// pg_sequence_last_value), the column is NULL of its type until it
// does.

var _ = definesView(12000, PgCatalog, "pg_roles", `
SELECT a.rolname, a.rolsuper, a.rolinherit, a.rolcreaterole, a.rolcreatedb, a.rolcanlogin,
       a.rolreplication, a.rolconnlimit, '********'::text AS rolpassword, a.rolvaliduntil,
       a.rolbypassrls, s.setconfig AS rolconfig, a.oid
FROM pg_catalog.pg_authid a
     LEFT JOIN pg_catalog.pg_db_role_setting s ON a.oid = s.setrole AND s.setdatabase = 0::oid`)

// pg_user is PostgreSQL's view over pg_shadow, written over pg_authid
// (pg_shadow is the login roles of pg_authid).
var _ = definesView(12014, PgCatalog, "pg_user", `
SELECT a.rolname AS usename, a.oid AS usesysid, a.rolcreatedb AS usecreatedb, a.rolsuper AS usesuper,
       a.rolreplication AS userepl, a.rolbypassrls AS usebypassrls, '********'::text AS passwd,
       a.rolvaliduntil AS valuntil, s.setconfig AS useconfig
FROM pg_catalog.pg_authid a
     LEFT JOIN pg_catalog.pg_db_role_setting s ON a.oid = s.setrole AND s.setdatabase = 0::oid
WHERE a.rolcanlogin`)

var _ = definesView(12028, PgCatalog, "pg_views", `
SELECT n.nspname AS schemaname, c.relname AS viewname, pg_catalog.pg_get_userbyid(c.relowner) AS viewowner,
       pg_catalog.pg_get_viewdef(c.oid) AS definition
FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'v'`)

var _ = definesView(12038, PgCatalog, "pg_matviews", `
SELECT n.nspname AS schemaname, c.relname AS matviewname, pg_catalog.pg_get_userbyid(c.relowner) AS matviewowner,
       t.spcname AS tablespace, c.relhasindex AS hasindexes, c.relispopulated AS ispopulated,
       pg_catalog.pg_get_viewdef(c.oid) AS definition
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace
WHERE c.relkind = 'm'`)

var _ = definesView(12043, PgCatalog, "pg_indexes", `
SELECT n.nspname AS schemaname, c.relname AS tablename, i.relname AS indexname, t.spcname AS tablespace,
       pg_catalog.pg_get_indexdef(i.oid) AS indexdef
FROM pg_catalog.pg_index x
     JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
     JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_catalog.pg_tablespace t ON t.oid = i.reltablespace
WHERE c.relkind IN ('r', 'm', 'p') AND i.relkind IN ('i', 'I')`)

var _ = definesView(12048, PgCatalog, "pg_sequences", `
SELECT n.nspname AS schemaname, c.relname AS sequencename, pg_catalog.pg_get_userbyid(c.relowner) AS sequenceowner,
       s.seqtypid::pg_catalog.regtype AS data_type, s.seqstart AS start_value, s.seqmin AS min_value, s.seqmax AS max_value,
       s.seqincrement AS increment_by, s.seqcycle AS cycle, s.seqcache AS cache_size, NULL::bigint AS last_value
FROM pg_catalog.pg_sequence s
     JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'S'`)

var _ = definesView(12023, PgCatalog, "pg_rules", `
SELECT n.nspname AS schemaname, c.relname AS tablename, r.rulename, NULL::text AS definition
FROM pg_catalog.pg_rewrite r
     JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN'`)

var _ = definesView(12018, PgCatalog, "pg_policies", `
SELECT n.nspname AS schemaname, c.relname AS tablename, pol.polname AS policyname,
       CASE WHEN pol.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END AS permissive,
       NULL::name[] AS roles,
       CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                       WHEN 'd' THEN 'DELETE' WHEN '*' THEN 'ALL' END AS cmd,
       pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) AS qual,
       pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) AS with_check
FROM pg_catalog.pg_policy pol
     JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace`)

// pg_available_extensions lists the extensions CREATE EXTENSION could
// install (PostgreSQL reads the control files of its share directory):
// none, since pqdb ships none, with PostgreSQL 15's columns (psql's tab
// completion of CREATE EXTENSION reads it).
var _ = definesView(12081, PgCatalog, "pg_available_extensions", `
SELECT NULL::name AS name, NULL::text AS default_version, NULL::text AS installed_version, NULL::text AS comment
WHERE false`)

// pg_shadow and pg_group are PostgreSQL's views over pg_authid, of the
// login roles and of the others with their members.
var _ = definesView(12005, PgCatalog, "pg_shadow", `
SELECT a.rolname AS usename, a.oid AS usesysid, a.rolcreatedb AS usecreatedb, a.rolsuper AS usesuper,
       a.rolreplication AS userepl, a.rolbypassrls AS usebypassrls, a.rolpassword AS passwd,
       a.rolvaliduntil AS valuntil, s.setconfig AS useconfig
FROM pg_catalog.pg_authid a
     LEFT JOIN pg_catalog.pg_db_role_setting s ON a.oid = s.setrole AND s.setdatabase = 0::oid
WHERE a.rolcanlogin`)

var _ = definesView(12010, PgCatalog, "pg_group", `
SELECT a.rolname AS groname, a.oid AS grosysid,
       ARRAY(SELECT m.member FROM pg_catalog.pg_auth_members m WHERE m.roleid = a.oid) AS grolist
FROM pg_catalog.pg_authid a
WHERE NOT a.rolcanlogin`)
