-- pgAdmin 4's browser tree (web/pgadmin/browser/server_groups/servers/
-- databases/...), its Jinja templates rendered as pgAdmin renders them for
-- the fixture: schema nodes without system objects (with the LIST macro
-- of templates/catalog/pg/macros/catalogs.sql), table nodes of schema
-- sales ({{ scid }} written as the schema's regnamespace literal), and the
-- columns of table customers.

-- name: schema_nodes
-- source: schemas/templates/schemas/pg/default/sql/nodes.sql (show_sysobj false)
-- oids: oid=regnamespace
SELECT
    nsp.oid,
    nsp.nspname as name,
    pg_catalog.has_schema_privilege(nsp.oid, 'CREATE') as can_create,
    pg_catalog.has_schema_privilege(nsp.oid, 'USAGE') as has_usage,
    des.description
FROM
    pg_catalog.pg_namespace nsp
    LEFT OUTER JOIN pg_catalog.pg_description des ON
        (des.objoid=nsp.oid AND des.classoid='pg_namespace'::regclass)
WHERE
     nspname NOT LIKE E'pg\\_%' AND
    NOT (
    (nsp.nspname = 'pg_catalog' AND EXISTS
        (SELECT 1 FROM pg_catalog.pg_class
        WHERE relname = 'pg_class' AND relnamespace = nsp.oid LIMIT 1)) OR
    (nsp.nspname = 'pgagent' AND EXISTS
        (SELECT 1 FROM pg_catalog.pg_class
        WHERE relname = 'pga_job' AND relnamespace = nsp.oid LIMIT 1)) OR
    (nsp.nspname = 'information_schema' AND EXISTS
        (SELECT 1 FROM pg_catalog.pg_class
        WHERE relname = 'tables' AND relnamespace = nsp.oid LIMIT 1)) OR
    (nsp.nspname = 'sys') OR
    (nsp.nspname = 'dbms_job_procedure' AND EXISTS
       (SELECT 1 FROM pg_catalog.pg_proc
        WHERE pronamespace = nsp.oid and proname = 'run_job' LIMIT 1))
    )
ORDER BY nspname;

-- name: table_nodes
-- source: schemas/tables/templates/tables/sql/default/nodes.sql (scid: schema sales)
-- known: pg_trigger has no rows for the internal triggers that implement foreign keys in PostgreSQL (RI_ConstraintTrigger_*: two on the referencing table, two on the referenced one), which pgAdmin counts
-- oids: oid=regclass
SELECT rel.oid, rel.relname AS name,
    (SELECT count(*) FROM pg_trigger WHERE tgrelid=rel.oid) AS triggercount,
    (SELECT count(*) FROM pg_trigger WHERE tgrelid=rel.oid AND tgenabled = 'O') AS has_enable_triggers,
	(SELECT count(1) FROM pg_inherits WHERE inhrelid=rel.oid LIMIT 1) as is_inherits,
	(SELECT count(1) FROM pg_inherits WHERE inhparent=rel.oid LIMIT 1) as is_inherited
FROM pg_class rel
    WHERE rel.relkind IN ('r','s','t') AND rel.relnamespace = 'sales'::regnamespace::oid
    ORDER BY rel.relname;

-- name: columns_for_table
-- source: schemas/tables/templates/tables/sql/default/get_columns_for_table.sql (tname: customers)
-- oids: inheritedid=regclass
SELECT
    a.attname AS name, pg_catalog.format_type(a.atttypid, NULL) AS cltype,
    pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS defval,
    pg_catalog.quote_ident(n.nspname)||'.'||pg_catalog.quote_ident(c.relname) as inheritedfrom,
    c.oid as inheritedid
FROM
    pg_catalog.pg_class c
JOIN
    pg_catalog.pg_namespace n ON c.relnamespace=n.oid
JOIN
    pg_catalog.pg_attribute a ON a.attrelid = c.oid AND NOT a.attisdropped AND a.attnum > 0
LEFT OUTER JOIN
    pg_catalog.pg_attrdef def ON adrelid=a.attrelid AND adnum=a.attnum
WHERE
    c.relname = 'customers'
