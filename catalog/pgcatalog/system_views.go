package pgcatalog

// The views of pg_catalog over tables (PostgreSQL's system_views.sql
// defines the same columns).

var _ = definesView(13001, PgCatalog, "pg_tables", `
SELECT n.nspname AS schemaname, c.relname AS tablename,
       (SELECT a.rolname FROM pg_catalog.pg_authid a WHERE a.oid = c.relowner) AS tableowner,
       NULL::name AS tablespace,
       c.relhasindex AS hasindexes, c.relhasrules AS hasrules, c.relhastriggers AS hastriggers,
       c.relrowsecurity AS rowsecurity
FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')`)
