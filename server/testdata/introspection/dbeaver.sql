-- DBeaver 25.1 connecting to PostgreSQL and reading its navigator, as
-- captured by datafusion-postgres (tests/dbeaver.rs).

-- name: current_schema_and_user
-- source: DBeaver 25.1.5, PostgreDataSource.initialize
SELECT current_schema(),session_user

-- name: schemas
-- source: DBeaver 25.1.5, PostgreSchema list
-- oids: oid=regnamespace
SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=n.oid AND d.objsubid=0 AND d.classoid='pg_namespace'::regclass ORDER BY nspname

-- name: type_1034
-- source: DBeaver 25.1.5 via pgjdbc TypeInfoCache (aclitem[])
SELECT n.nspname = ANY(current_schemas(true)), n.nspname, t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid WHERE t.oid = 1034

-- name: type_1034_is_array
-- source: DBeaver 25.1.5 via pgjdbc TypeInfoCache
SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname, pg_type.oid   FROM pg_catalog.pg_type   LEFT JOIN (select ns.oid as nspoid, ns.nspname, r.r           from pg_namespace as ns           join ( select s.r, (current_schemas(false))[s.r] as nspname                    from generate_series(1, array_upper(current_schemas(false), 1)) as s(r) ) as r          using ( nspname )        ) as sp     ON sp.nspoid = typnamespace  WHERE pg_type.oid = 1034  ORDER BY sp.r, pg_type.oid DESC

-- name: search_path
-- source: DBeaver 25.1.5
SHOW search_path

-- name: database
-- source: DBeaver 25.1.5, PostgreDatabase
-- volatile: oid, datfrozenxid, datminmxid
SELECT db.oid,db.* FROM pg_catalog.pg_database db WHERE datname='introspection_replay'

-- name: version
-- source: DBeaver 25.1.5
-- known: version() names pqdb and its own PostgreSQL minor version
SELECT version()

-- name: enum_probe
-- source: DBeaver 25.1.5, PostgreServerExtensionBase (does pg_enum exist)
SELECT * FROM pg_catalog.pg_enum WHERE 1<>1 LIMIT 1

-- name: reltype_probe
-- source: DBeaver 25.1.5 (does pg_class.reltype exist)
SELECT reltype FROM pg_catalog.pg_class WHERE 1<>1 LIMIT 1

-- name: types
-- source: DBeaver 25.1.5, PostgreDataType list
-- known: typdefaultbin holds the default's SQL (information_schema.time_stamp's CURRENT_TIMESTAMP(2)), not PostgreSQL's node tree
-- oids: oid=regtype, typrelid=regclass, typelem=regtype, typarray=regtype, typnamespace=regnamespace, typbasetype=regtype
SELECT t.oid,t.*,c.relkind,format_type(nullif(t.typbasetype, 0), t.typtypmod) as base_type_name, d.description FROM pg_catalog.pg_type t LEFT OUTER JOIN pg_catalog.pg_type et ON et.oid=t.typelem LEFT OUTER JOIN pg_catalog.pg_class c ON c.oid=t.typrelid LEFT OUTER JOIN pg_catalog.pg_description d ON t.oid=d.objoid WHERE t.typname IS NOT NULL AND (c.relkind IS NULL OR c.relkind = 'c') AND (et.typcategory IS NULL OR et.typcategory <> 'C')

-- name: tables
-- source: DBeaver PostgreSchema.TableCache.prepareLookupStatement (server 10+), for schema sales (the bound relnamespace written as its regnamespace literal)
-- oids: oid=regclass, relnamespace=regnamespace, reltype=regtype, reloftype=regtype, reltoastrelid=regclass, relrewrite=regclass
-- volatile: relfilenode, relpages, reltuples, relallvisible, relfrozenxid, relminmxid
-- order: sorted
SELECT c.oid,c.*,d.description,pg_catalog.pg_get_expr(c.relpartbound, c.oid) as partition_expr,  pg_catalog.pg_get_partkeydef(c.oid) as partition_key 
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_class'::regclass
WHERE c.relnamespace='sales'::regnamespace AND c.relkind not in ('i','I','c')

-- name: indexes
-- source: DBeaver PostgreTableBase index cache, as replayed by datafusion-postgres (tests/dbeaver.rs), for table sales.order_lines
-- oids: indexrelid=regclass, indrelid=regclass, relnamespace=regnamespace
-- volatile: index_rel_size, index_num_scans
SELECT i.*,i.indkey as keys,c.relname,c.relnamespace,c.relam,c.reltablespace,tc.relname as tabrelname,dsc.description,pg_catalog.pg_get_expr(i.indpred, i.indrelid) as pred_expr,pg_catalog.pg_get_expr(i.indexprs, i.indrelid, true) as expr,pg_catalog.pg_relation_size(i.indexrelid) as index_rel_size,pg_catalog.pg_stat_get_numscans(i.indexrelid) as index_num_scans FROM pg_catalog.pg_index i
    INNER JOIN pg_catalog.pg_class c ON c.oid=i.indexrelid
    INNER JOIN pg_catalog.pg_class tc ON tc.oid=i.indrelid
    LEFT OUTER JOIN pg_catalog.pg_description dsc ON i.indexrelid=dsc.objoid
    WHERE  i.indrelid='sales.order_lines'::regclass ORDER BY tabrelname, c.relname

-- name: constraints
-- source: DBeaver PostgreTableBase constraint cache, as replayed by datafusion-postgres (tests/dbeaver.rs), for table sales.orders (ORDER BY c.oid: the servers' OIDs differ)
-- known: conbin holds the expression's SQL, not PostgreSQL's node tree
-- oids: connamespace=regnamespace, conrelid=regclass, contypid=regtype, conindid=regclass, conparentid=regclass, confrelid=regclass, refnamespace=regnamespace
-- volatile: oid
-- order: sorted
SELECT c.oid,c.*,t.relname as tabrelname,rt.relnamespace as refnamespace,d.description, case when c.contype='c' then "substring"(pg_get_constraintdef(c.oid), 7) else null end consrc_copy
    FROM pg_catalog.pg_constraint c
    INNER JOIN pg_catalog.pg_class t ON t.oid=c.conrelid
    LEFT OUTER JOIN pg_catalog.pg_class rt ON rt.oid=c.confrelid
    LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_constraint'::regclass
    WHERE c.conrelid='sales.orders'::regclass
    ORDER BY c.oid
