-- psql 15's tab completion (src/bin/psql/tab-complete.c): the queries psql
-- sent to PostgreSQL 15 when Tab was pressed after each input shown,
-- captured on the wire.

-- name: complete_select_from
-- source: psql 15, "SELECT * FROM <Tab>" (Query_for_list_of_selectables)
SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'S', 'v', 'm', 'f', 'p') AND (c.relname) LIKE '%' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')
UNION ALL
SELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE '%' AND n.nspname NOT LIKE E'pg\\_%'
LIMIT 1000

-- name: complete_select_from_schema
-- source: psql 15, "SELECT * FROM sales.<Tab>"
SELECT c.relname, n.nspname FROM pg_catalog.pg_class c, pg_catalog.pg_namespace n WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'S', 'v', 'm', 'f', 'p') AND (c.relname) LIKE '%' AND n.nspname = 'sales'
LIMIT 1000

-- name: complete_select_from_schema_prefix
-- source: psql 15, "SELECT * FROM sales.<Tab>" second round
SELECT c.relname, n.nspname FROM pg_catalog.pg_class c, pg_catalog.pg_namespace n WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'S', 'v', 'm', 'f', 'p') AND (c.relname) LIKE 'o%' AND n.nspname = 'sales'
LIMIT 1000

-- name: complete_select_from_prefix
-- source: psql 15, "SELECT * FROM cust<Tab>"
SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'S', 'v', 'm', 'f', 'p') AND (c.relname) LIKE 'customer%' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')
UNION ALL
SELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE 'customer%' AND n.nspname NOT LIKE E'pg\\_%'
LIMIT 1000

-- name: complete_insert_into
-- source: psql 15, "INSERT INTO <Tab>" (Query_for_list_of_updatables)
SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'f', 'v', 'p') AND (c.relname) LIKE '%' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')
UNION ALL
SELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE '%' AND n.nspname NOT LIKE E'pg\\_%'
LIMIT 1000

-- name: complete_attributes
-- source: psql 15, "UPDATE customers SET <Tab>" (Query_for_list_of_attributes)
SELECT a.attname, NULL::pg_catalog.text FROM pg_catalog.pg_attribute a, pg_catalog.pg_class c WHERE c.oid = a.attrelid and a.attnum > 0 and not a.attisdropped AND (a.attname) LIKE '%' AND c.relname = 'customers' AND pg_catalog.pg_table_is_visible(c.oid)
LIMIT 1000

-- name: complete_constraints
-- source: psql 15, "ALTER TABLE customers DROP CONSTRAINT <Tab>" (Query_for_constraint_of_table)
SELECT con.conname, NULL::pg_catalog.text FROM pg_catalog.pg_constraint con, pg_catalog.pg_class c1 WHERE con.conrelid=c1.oid AND (con.conname) LIKE '%' AND c1.relname = 'customers' AND pg_catalog.pg_table_is_visible(c1.oid)
LIMIT 1000

-- name: complete_constraints_prefix
-- source: psql 15, "ALTER TABLE customers DROP CONSTRAINT <Tab>" second round
SELECT con.conname, NULL::pg_catalog.text FROM pg_catalog.pg_constraint con, pg_catalog.pg_class c1 WHERE con.conrelid=c1.oid AND (con.conname) LIKE 'customers\_%' AND c1.relname = 'customers' AND pg_catalog.pg_table_is_visible(c1.oid)
LIMIT 1000

-- name: complete_attributes_of_schema_table
-- source: psql 15, "ALTER TABLE sales.orders ALTER COLUMN <Tab>"
SELECT a.attname, NULL::pg_catalog.text FROM pg_catalog.pg_attribute a, pg_catalog.pg_class c, pg_catalog.pg_namespace nr WHERE c.oid = a.attrelid and a.attnum > 0 and not a.attisdropped AND (a.attname) LIKE '%' AND c.relname = 'orders' AND c.relnamespace = nr.oid AND nr.nspname = 'sales'
LIMIT 1000

-- name: complete_enum_values_quoted
-- source: psql 15, "ALTER TYPE mood RENAME VALUE <Tab>" (Query_for_list_of_enum_values_quoted)
SELECT pg_catalog.quote_literal(enumlabel), NULL::pg_catalog.text FROM pg_catalog.pg_enum e, pg_catalog.pg_type t WHERE t.oid = e.enumtypid AND (pg_catalog.quote_literal(enumlabel)) LIKE '%' AND t.typname = 'mood' AND pg_catalog.pg_type_is_visible(t.oid)
LIMIT 1000

-- name: complete_enum_values
-- source: psql 15, "ALTER TYPE mood RENAME VALUE <Tab>" second round (Query_for_list_of_enum_values_unquoted)
SELECT e.enumlabel, NULL::pg_catalog.text FROM pg_catalog.pg_enum e, pg_catalog.pg_type t WHERE t.oid = e.enumtypid AND (e.enumlabel) LIKE '%' AND t.typname = 'mood' AND pg_catalog.pg_type_is_visible(t.oid)
LIMIT 1000

-- name: complete_indexes
-- source: psql 15, "DROP INDEX <Tab>" and "\di <Tab>" (Query_for_list_of_indexes)
SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c WHERE c.relkind IN ('i', 'I') AND (c.relname) LIKE '%' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')
UNION ALL
SELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE '%' AND n.nspname NOT LIKE E'pg\\_%'
LIMIT 1000

-- name: complete_sequences
-- source: psql 15, "DROP SEQUENCE <Tab>" and "\ds <Tab>" (Query_for_list_of_sequences)
SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c WHERE c.relkind IN ('S') AND (c.relname) LIKE '%' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')
UNION ALL
SELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE '%' AND n.nspname NOT LIKE E'pg\\_%'
LIMIT 1000

-- name: complete_views
-- source: psql 15, "DROP VIEW <Tab>" and "\dv <Tab>" (Query_for_list_of_views)
SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c WHERE c.relkind IN ('v') AND (c.relname) LIKE '%' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')
UNION ALL
SELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE '%' AND n.nspname NOT LIKE E'pg\\_%'
LIMIT 1000

-- name: complete_schemas
-- source: psql 15, "DROP SCHEMA <Tab>" and "\dn <Tab>" (Query_for_list_of_schemas)
SELECT nspname FROM pg_catalog.pg_namespace  WHERE nspname LIKE '%'
LIMIT 1000

-- name: complete_datatypes
-- source: psql 15, "DROP TYPE <Tab>" and "\dT <Tab>" (Query_for_list_of_datatypes)
SELECT t.typname, NULL::pg_catalog.text FROM pg_catalog.pg_type t WHERE (t.typrelid = 0  OR (SELECT c.relkind = 'c'     FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid)) AND t.typname !~ '^_' AND (t.typname) LIKE '%' AND pg_catalog.pg_type_is_visible(t.oid)
UNION ALL
SELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE '%' AND n.nspname NOT LIKE E'pg\\_%'
LIMIT 1000

-- name: complete_functions
-- source: psql 15, "DROP FUNCTION pg_get_<Tab>" (Query_for_list_of_functions); with no prefix its LIMIT 1000 of ~3000 unordered names is an arbitrary subset, not comparable
-- known: pg_proc lists only the functions pqdb implements
SELECT p.proname, NULL::pg_catalog.text FROM pg_catalog.pg_proc p WHERE p.prokind != 'p' AND (p.proname) LIKE 'pg\_get\_%' AND pg_catalog.pg_function_is_visible(p.oid)
UNION ALL
SELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE 'pg\_get\_%'
LIMIT 1000

-- name: complete_routines
-- source: psql 15, "\df quote_<Tab>" (Query_for_list_of_routines)
SELECT p.proname, NULL::pg_catalog.text FROM pg_catalog.pg_proc p WHERE (p.proname) LIKE 'quote\_%' AND pg_catalog.pg_function_is_visible(p.oid)
UNION ALL
SELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE 'quote\_%' AND n.nspname NOT LIKE E'pg\\_%'
LIMIT 1000

-- name: complete_roles
-- source: psql 15, "ALTER ROLE <Tab>" and "\du <Tab>" (Query_for_list_of_roles)
 SELECT rolname    FROM pg_catalog.pg_roles   WHERE rolname LIKE '%'
LIMIT 1000

-- name: complete_available_extensions
-- source: psql 15, "CREATE EXTENSION <Tab>" (Query_for_list_of_available_extensions)
-- known: pqdb ships no extensions: pg_extension has no plpgsql, pg_available_extensions is empty
 SELECT name    FROM pg_catalog.pg_available_extensions   WHERE name LIKE '%' AND installed_version IS NULL
LIMIT 1000

-- name: complete_set_vars
-- source: psql 15, "SET search<Tab>" (Query_for_list_of_set_vars)
SELECT pg_catalog.lower(name) FROM pg_catalog.pg_settings  WHERE context IN ('user', 'superuser')    AND pg_catalog.lower(name) LIKE pg_catalog.lower('search%')
LIMIT 1000

-- name: complete_databases
-- source: psql 15, "\c <Tab>" and "\l <Tab>" (Query_for_list_of_databases)
-- known: pqdb serves one database per server: pg_database has the session database and the templates, no "postgres"
SELECT datname FROM pg_catalog.pg_database  WHERE datname LIKE '%'
LIMIT 1000

-- name: complete_relations
-- source: psql 15, "\d <Tab>" (Query_for_list_of_relations)
SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c WHERE (c.relname) LIKE '%' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')
UNION ALL
SELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE '%' AND n.nspname NOT LIKE E'pg\\_%'
LIMIT 1000

-- name: complete_tables
-- source: psql 15, "\dt <Tab>" (Query_for_list_of_tables)
SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'p') AND (c.relname) LIKE '%' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')
UNION ALL
SELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE '%' AND n.nspname NOT LIKE E'pg\\_%'
LIMIT 1000

-- name: complete_extensions
-- source: psql 15, "\dx <Tab>" (Query_for_list_of_extensions)
-- known: pqdb ships no extensions: pg_extension has no plpgsql, pg_available_extensions is empty
 SELECT extname    FROM pg_catalog.pg_extension   WHERE extname LIKE '%'
LIMIT 1000
