-- Rails ActiveRecord PostgreSQL adapter (rails/rails at 0056b03),
-- activerecord/lib/active_record/connection_adapters/postgresql/schema_statements.rb:
-- each method's SQL with its quoted scope interpolated as the adapter does
-- for the table named (schema ANY (current_schemas(false)) when unqualified).

-- name: data_sources
-- source: SchemaStatements#data_source_sql (tables and views)
SELECT c.relname FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY (current_schemas(false)) AND c.relkind IN ('r','v','m','p','f')

-- name: tables
-- source: SchemaStatements#data_source_sql(type: "BASE TABLE")
SELECT c.relname FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY (current_schemas(false)) AND c.relkind IN ('r','p')

-- name: table_exists
-- source: SchemaStatements#data_source_sql("sales.orders", type: "BASE TABLE")
SELECT c.relname FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'sales' AND c.relname = 'orders' AND c.relkind IN ('r','p')

-- name: views
-- source: SchemaStatements#data_source_sql(type: "VIEW")
SELECT c.relname FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY (current_schemas(false)) AND c.relkind IN ('v','m')

-- name: schema_names
-- source: SchemaStatements#schema_names
SELECT nspname
  FROM pg_namespace
 WHERE nspname !~ '^pg_.*'
   AND nspname NOT IN ('information_schema')
 ORDER by nspname;

-- name: schema_exists
-- source: SchemaStatements#schema_exists?("sales")
SELECT COUNT(*) FROM pg_namespace WHERE nspname = 'sales'

-- name: index_name_exists
-- source: SchemaStatements#index_name_exists?("customers", "customers_name_idx")
SELECT COUNT(*)
FROM pg_class t
INNER JOIN pg_index d ON t.oid = d.indrelid
INNER JOIN pg_class i ON d.indexrelid = i.oid
LEFT JOIN pg_namespace n ON n.oid = i.relnamespace
WHERE i.relkind IN ('i', 'I')
  AND i.relname = 'customers_name_idx'
  AND t.relname = 'customers'
  AND n.nspname = ANY (current_schemas(false))

-- name: indexes
-- source: SchemaStatements#indexes("sales.orders")
-- oids: oid=regclass
SELECT distinct i.relname, d.indisunique, d.indkey, pg_get_indexdef(d.indexrelid), t.oid,
                pg_catalog.obj_description(i.oid, 'pg_class') AS comment
FROM pg_class t
INNER JOIN pg_index d ON t.oid = d.indrelid
INNER JOIN pg_class i ON d.indexrelid = i.oid
LEFT JOIN pg_namespace n ON n.oid = i.relnamespace
WHERE i.relkind IN ('i', 'I')
  AND d.indisprimary = 'f'
  AND t.relname = 'orders'
  AND n.nspname = 'sales'
ORDER BY i.relname

-- name: index_columns
-- source: SchemaStatements#indexes("sales.orders"), the columns of orders_customer_placed_idx
SELECT a.attnum, a.attname
FROM pg_attribute a
WHERE a.attrelid = 'sales.orders'::regclass
AND a.attnum IN (2,5)

-- name: table_comment
-- source: SchemaStatements#table_comment("customers")
SELECT pg_catalog.obj_description(c.oid, 'pg_class')
FROM pg_catalog.pg_class c
  LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname = 'customers'
  AND c.relkind IN ('r','p')
  AND n.nspname = ANY (current_schemas(false))

-- name: encoding
-- source: SchemaStatements#encoding
SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()

-- name: serial_sequence
-- source: SchemaStatements#serial_sequence("customers", "id")
SELECT pg_get_serial_sequence('customers', 'id')

-- name: pk_and_sequence_for
-- source: SchemaStatements#pk_and_sequence_for("customers"), by dependency
SELECT attr.attname, nsp.nspname, seq.relname
FROM pg_class      seq,
     pg_attribute  attr,
     pg_depend     dep,
     pg_constraint cons,
     pg_namespace  nsp
WHERE seq.oid           = dep.objid
  AND seq.relkind       = 'S'
  AND attr.attrelid     = dep.refobjid
  AND attr.attnum       = dep.refobjsubid
  AND attr.attrelid     = cons.conrelid
  AND attr.attnum       = cons.conkey[1]
  AND seq.relnamespace  = nsp.oid
  AND cons.contype      = 'p'
  AND dep.classid       = 'pg_class'::regclass
  AND dep.refobjid      = '"customers"'::regclass

-- name: pk_and_sequence_for_default
-- source: SchemaStatements#pk_and_sequence_for("customers"), by default expression
SELECT attr.attname, nsp.nspname,
  CASE
    WHEN pg_get_expr(def.adbin, def.adrelid) !~* 'nextval' THEN NULL
    WHEN split_part(pg_get_expr(def.adbin, def.adrelid), '''', 2) ~ '.' THEN
      substr(split_part(pg_get_expr(def.adbin, def.adrelid), '''', 2),
             strpos(split_part(pg_get_expr(def.adbin, def.adrelid), '''', 2), '.')+1)
    ELSE split_part(pg_get_expr(def.adbin, def.adrelid), '''', 2)
  END
FROM pg_class       t
JOIN pg_attribute   attr ON (t.oid = attrelid)
JOIN pg_attrdef     def  ON (adrelid = attrelid AND adnum = attnum)
JOIN pg_constraint  cons ON (conrelid = adrelid AND adnum = conkey[1])
JOIN pg_namespace   nsp  ON (t.relnamespace = nsp.oid)
WHERE t.oid = '"customers"'::regclass
  AND cons.contype = 'p'
  AND pg_get_expr(def.adbin, def.adrelid) ~* 'nextval|uuid_generate'

-- name: primary_keys
-- source: SchemaStatements#primary_keys("sales.order_lines")
SELECT a.attname
  FROM (
         SELECT indrelid, indkey, generate_subscripts(indkey, 1) idx
           FROM pg_index
          WHERE indrelid = '"sales"."order_lines"'::regclass
            AND indisprimary
       ) i
  JOIN pg_attribute a
    ON a.attrelid = i.indrelid
   AND a.attnum = i.indkey[i.idx]
 ORDER BY i.idx

-- name: foreign_keys
-- source: SchemaStatements#foreign_keys("sales.orders")
SELECT t2.oid::regclass::text AS to_table, a1.attname AS column, a2.attname AS primary_key, c.conname AS name, c.confupdtype AS on_update, c.confdeltype AS on_delete, c.convalidated AS valid
FROM pg_constraint c
JOIN pg_class t1 ON c.conrelid = t1.oid
JOIN pg_class t2 ON c.confrelid = t2.oid
JOIN pg_attribute a1 ON a1.attnum = c.conkey[1] AND a1.attrelid = t1.oid
JOIN pg_attribute a2 ON a2.attnum = c.confkey[1] AND a2.attrelid = t2.oid
JOIN pg_namespace t3 ON c.connamespace = t3.oid
WHERE c.contype = 'f'
  AND t1.relname = 'orders'
  AND t3.nspname = 'sales'
ORDER BY c.conname

-- name: load_additional_types
-- source: PostgreSQLAdapter#load_additional_types with OID::TypeMapInitializer#query_conditions_for_initial_load, as captured from ActiveRecord at connection (scout_apm's test_postgres_column_lookup)
-- oids: oid=regtype, typelem=regtype, rngsubtype=regtype, typbasetype=regtype
SELECT t.oid, t.typname, t.typelem, t.typdelim, t.typinput, r.rngsubtype, t.typtype, t.typbasetype
                  FROM pg_type as t
                  LEFT JOIN pg_range as r ON oid = rngtypid
                  WHERE
                    t.typname IN ('int2', 'int4', 'int8', 'oid', 'float4', 'float8', 'text', 'varchar', 'char', 'name', 'bpchar', 'bool', 'bit', 'varbit', 'timestamptz', 'date', 'time', 'money', 'bytea', 'point', 'hstore', 'json', 'jsonb', 'cidr', 'inet', 'uuid', 'xml', 'tsvector', 'macaddr', 'citext', 'ltree', 'interval', 'path', 'line', 'polygon', 'circle', 'lseg', 'box', 'timestamp', 'numeric')
                    OR t.typtype IN ('r', 'e', 'd')
                    OR t.typinput::varchar = 'array_in'
                    OR t.typelem != 0
