-- next seed
SELECT 'postgres=wr/postgres'::aclitem, '=r*U/postgres'::aclitem, 'pg_database_owner=X*/postgres'::aclitem;
SELECT '{=r/postgres,postgres=arw/postgres}'::aclitem[], 'postgres=r/postgres'::aclitem = 'postgres=r/postgres'::aclitem;
SELECT pg_typeof('=r/postgres'::aclitem), pg_typeof(relacl) FROM pg_class WHERE relname = 'pg_class';
SELECT '=rq/postgres'::aclitem
-- next seed
create table agg_t (id int, g int, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,2), s text, v varchar(10), bl boolean, iv interval);
insert into agg_t select i,
  case when i % 11 = 0 then null else i % 4 end,
  case when i % 7 = 0 then null else (i * 37 % 101 - 50)::smallint end,
  case when i % 5 = 0 then null else i * 7919 % 1000 - 500 end,
  case when i % 6 = 0 then null else i::bigint * 1000000007 % 999999937 end,
  case when i % 9 = 0 then null else (i * 1.25 - 20)::real end,
  case when i % 8 = 3 then null else i::float8 * 1.1 / 3 end,
  case when i % 10 = 4 then null else i * 1.25 - 3.5 + (i % 3) * 0.001 end,
  case when i % 12 = 5 then null else (i * 3.14)::numeric(10,2) end,
  case when i % 8 = 0 then null else 'v' || (i * 13 % 17) end,
  case when i % 13 = 0 then null else 'w' || (i % 5) end,
  case when i % 10 = 0 then null else i % 3 = 0 end,
  case when i % 7 = 2 then null else (i || ' days ' || (i * 5) || ' hours')::interval end
from generate_series(1, 61) i;
create table agg_empty (g int, i4 int, f8 double precision, n numeric, s text);
select g, string_agg(s, ',' order by id) from agg_t group by g order by g
-- next seed
create table agg_t (id int, g int, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,2), s text, v varchar(10), bl boolean, iv interval);
create table agg_empty (g int, i4 int, f8 double precision, n numeric, s text);
select string_agg(s, ',' order by id) from agg_t where id > 100;
select string_agg(s, ','), string_agg(s::bytea, ','::bytea) from agg_empty;
select string_agg(s::bytea, '/'::bytea order by id) from agg_t where id < 6;
select string_agg(x, d) from (values ('a', ','), ('b', null), ('c', ';'), (null, '!'), ('d', '')) t(x, d)
-- next seed
create table agg_t (id int, g int, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,2), s text, v varchar(10), bl boolean, iv interval);
select string_agg(s) from agg_t;
select string_agg(distinct s, ',' order by id) from agg_t;
select string_agg(s, ',' order by count(*)) from agg_t;
select string_agg(s, ',' order by id) over () from agg_t
-- next seed
create table agg_t (id int, g int, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,2), s text, v varchar(10), bl boolean, iv interval);
select bit_or('1');
select bit_xor(bl) from agg_t;
select g, bool_and(bl), bool_or(bl), every(bl) from agg_t group by g order by g;
select bool_and(bl), bool_or(bl), every(bl) from agg_t where bl is null
-- next seed
create table agg_t (id int, g int, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,2), s text, v varchar(10), bl boolean, iv interval);
select g, '<' || stddev(i2) || '>', '<' || stddev_samp(i4) || '>', '<' || stddev_pop(i8) || '>', '<' || variance(i2) || '>', '<' || var_pop(i4) || '>' from agg_t group by g order by g;
select g, '<' || var_samp(i8) || '>', '<' || stddev(n) || '>', '<' || var_pop(n) || '>', '<' || stddev_pop(n2) || '>' from agg_t group by g order by g;
select '<' || stddev(n) || '>', '<' || variance(n2) || '>', '<' || stddev_pop(i4) || '>', '<' || var_samp(i8) || '>' from agg_t;
select stddev(i4)::text, stddev_pop(i4)::text, var_samp(n)::text, var_pop(n)::text from agg_t where id = 1
-- next seed
create table agg_t (id int, g int, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,2), s text, v varchar(10), bl boolean, iv interval);
select g, '<' || stddev(distinct i4 % 10) || '>' from agg_t group by g order by g;
select g, '<' || var_pop(i4) filter (where id % 3 <> 0) || '>' from agg_t group by g order by g;
select id, '<' || stddev(i4) over (order by id) || '>' from agg_t where id < 12 order by id;
select id, '<' || var_pop(n) over (partition by g) || '>' from agg_t where id < 12 order by id
-- next seed
create table agg_t (id int, g int, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,2), s text, v varchar(10), bl boolean, iv interval);
select stddev(x), var_pop(x) from (values (1::float8), ('Infinity')) t(x);
select stddev(x), var_pop(x) from (values ('-Infinity'::float8)) t(x);
select var_pop(x) from (values (1e308::float8), (1e308)) t(x);
select id, stddev(f8) over (order by g, id), var_pop(f4) over (order by g) from agg_t where id < 12 order by id
-- next seed
create table agg_t (id int, g int, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,2), s text, v varchar(10), bl boolean, iv interval);
create table agg_empty (g int, i4 int, f8 double precision, n numeric, s text);
select g, regr_count(f8, i4), regr_intercept(f8, i4), regr_r2(f8, i4), regr_slope(f8, i4), regr_sxx(f8, i4), regr_sxy(f8, i4), regr_syy(f8, i4) from agg_t group by g order by g;
select corr(i2, n), covar_pop(i2, n), covar_samp(f4, i8), regr_slope(i2, n), regr_intercept(i2, n), regr_r2(f4, i8) from agg_t;
select corr(f8, i4), covar_pop(f8, i4), covar_samp(f8, i4), regr_count(f8, i4), regr_avgx(f8, i4), regr_avgy(f8, i4), regr_intercept(f8, i4), regr_r2(f8, i4), regr_slope(f8, i4), regr_sxx(f8, i4), regr_sxy(f8, i4), regr_syy(f8, i4) from agg_empty;
select corr(y, x), covar_pop(y, x), covar_samp(y, x), regr_count(y, x), regr_avgx(y, x), regr_avgy(y, x), regr_intercept(y, x), regr_r2(y, x), regr_slope(y, x), regr_sxx(y, x), regr_sxy(y, x), regr_syy(y, x) from (values (1, 2)) t(y, x)
-- next seed
create table agg_t (id int, g int, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,2), s text, v varchar(10), bl boolean, iv interval);
select id, regr_slope(f8, i4) over (order by id), corr(f8, n) over (partition by g order by id rows between unbounded preceding and unbounded following), regr_count(f8, i2) over (order by id) from agg_t where id < 12 order by id;
select corr(1, '2');
select corr(s, i4) from agg_t;
select corr(i4) from agg_t
-- next seed
create table agg_t (id int, g int, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,2), s text, v varchar(10), bl boolean, iv interval);
select percentile_cont(null) within group (order by i4), percentile_disc(null::float8) within group (order by i4) from agg_t;
select g, percentile_cont(0.5) within group (order by f8) filter (where id > 40), percentile_disc(0.5) within group (order by i4) filter (where id < 0) from agg_t group by g order by g;
select g, percentile_cont(g / 4.0) within group (order by i4), percentile_disc(g / 3.0) within group (order by f8 desc) from agg_t where g is not null group by g order by g;
select percentile_cont(0.5) within group (order by x), percentile_cont(0.1) within group (order by x), percentile_disc(0.5) within group (order by x) from (values ('Infinity'::float8), ('-Infinity'), (1)) t(x)
-- next seed
create table agg_t (id int, g int, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,2), s text, v varchar(10), bl boolean, iv interval);
select percentile_cont(0.5) within group (order by '1');
select mode() within group (order by x)::text, percentile_disc(0.5) within group (order by x)::text from (values (1.0), (1.00), (2), (2.0), (1)) t(x);
select percentile_cont(2) within group (order by i4) from agg_t;
select percentile_disc(-0.5) within group (order by i4) from agg_t where false
-- next seed
create table agg_t (id int, g int, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,2), s text, v varchar(10), bl boolean, iv interval);
select percentile_cont(0.5) within group (order by i4) over () from agg_t;
select mode() within group (order by '1');
select percentile_cont(0.5) within group (order by avg(i4)) from agg_t;
select mode() within group (order by x) from (values ('1'::json)) t(x)
-- next seed
create table agg_t (id int, g int, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,2), s text, v varchar(10), bl boolean, iv interval);
select count(*) filter (where i4) from agg_t;
select lower(s) filter (where true) from agg_t;
select lower(distinct s) from agg_t;
select lower(s order by s) from agg_t
-- next seed
CREATE TABLE at1 (a int, b text);
INSERT INTO at1 VALUES (1, 'x'), (2, NULL), (3, 'z');
ALTER TABLE at1 ADD COLUMN c int DEFAULT 7;
ALTER TABLE at1 ADD COLUMN d serial
-- next seed
CREATE TABLE at1 (a int, b text);
INSERT INTO at1 VALUES (1, 'x'), (2, NULL), (3, 'z');
INSERT INTO at1 (a) VALUES (4);
ALTER TABLE at1 ADD COLUMN c int;
ALTER TABLE at1 ADD COLUMN IF NOT EXISTS c int;
ALTER TABLE at1 ADD COLUMN f int NOT NULL;
ALTER TABLE at1 ADD COLUMN f int NOT NULL DEFAULT 0
-- next seed
CREATE TABLE at1 (a int, b text);
INSERT INTO at1 VALUES (1, 'x'), (2, NULL), (3, 'z');
INSERT INTO at1 (a) VALUES (4);
SELECT nextval('at1_d_seq');
ALTER TABLE at1 ALTER COLUMN c SET DEFAULT 42;
INSERT INTO at1 (a) VALUES (5);
ALTER TABLE at1 ALTER COLUMN c DROP DEFAULT
-- next seed
CREATE TABLE at1 (a int, b text);
INSERT INTO at1 VALUES (1, 'x'), (2, NULL), (3, 'z');
INSERT INTO at1 (a) VALUES (4);
INSERT INTO at1 (a) VALUES (5);
INSERT INTO at1 (a) VALUES (6);
INSERT INTO at1 (a) VALUES (NULL);
INSERT INTO at1 (a, b) VALUES (NULL, 'n');
ALTER TABLE at1 ALTER COLUMN zz SET DEFAULT 1;
ALTER TABLE at1 ALTER COLUMN b TYPE int;
CREATE TABLE at2 (a int, b text);
INSERT INTO at2 VALUES (1, '10'), (2, '20'), (3, NULL)
-- next seed
CREATE TABLE at3 (a int, b int);
INSERT INTO at3 VALUES (1, 1), (2, 2), (2, NULL);
ALTER TABLE at3 ADD CHECK (b > 1);
ALTER TABLE at3 ADD CONSTRAINT pos CHECK (a > 0)
-- next seed
CREATE TABLE at3 (a int, b int);
INSERT INTO at3 VALUES (1, 1), (2, 2), (2, NULL);
INSERT INTO at3 VALUES (0, 5);
INSERT INTO at3 VALUES (0, NULL);
ALTER TABLE at3 DROP CONSTRAINT pos;
ALTER TABLE at3 DROP CONSTRAINT IF EXISTS pos;
ALTER TABLE at3 ADD UNIQUE (a)
-- next seed
CREATE TABLE at3 (a int, b int);
INSERT INTO at3 VALUES (1, 1), (2, 2), (2, NULL);
INSERT INTO at3 VALUES (0, 5);
INSERT INTO at3 VALUES (0, NULL);
ALTER TABLE at3 ALTER COLUMN a DROP NOT NULL;
ALTER TABLE at3 DROP CONSTRAINT at3_pkey;
INSERT INTO at3 VALUES (1, 9);
INSERT INTO at3 VALUES (NULL, 9)
-- next seed
CREATE TABLE at4 (a int);
INSERT INTO at4 VALUES (1), (2);
ALTER TABLE at4 RENAME c TO cc;
INSERT INTO at4 VALUES (3, -1);
ALTER TABLE at4 RENAME COLUMN zz TO yy;
ALTER TABLE at4 RENAME COLUMN bb TO a
-- next seed
CREATE TABLE at1 (a int, b text);
INSERT INTO at1 VALUES (1, 'x'), (2, NULL), (3, 'z');
INSERT INTO at1 (a) VALUES (4);
INSERT INTO at1 (a) VALUES (5);
INSERT INTO at1 (a) VALUES (6);
INSERT INTO at1 (a) VALUES (NULL);
INSERT INTO at1 (a, b) VALUES (NULL, 'n');
CREATE SEQUENCE at_s1;
ALTER SEQUENCE at_s1 RENAME TO at_s2;
SELECT nextval('at_s2');
ALTER SEQUENCE at1 RENAME TO at_s3
-- next seed
CREATE TABLE at1 (a int, b text);
INSERT INTO at1 VALUES (1, 'x'), (2, NULL), (3, 'z');
INSERT INTO at1 (a) VALUES (4);
INSERT INTO at1 (a) VALUES (5);
INSERT INTO at1 (a) VALUES (6);
INSERT INTO at1 (a) VALUES (NULL);
INSERT INTO at1 (a, b) VALUES (NULL, 'n');
CREATE VIEW at_v1 AS SELECT 1 AS one;
ALTER VIEW at_v1 RENAME TO at_v2;
SELECT * FROM at_v2;
ALTER VIEW at1 RENAME TO at_v3
-- next seed
CREATE TABLE at6 (a int, b int);
INSERT INTO at6 VALUES (1, 2);
CREATE VIEW at6_v AS SELECT a FROM at6;
ALTER TABLE at6 ALTER COLUMN a TYPE bigint;
ALTER TABLE at6 DROP COLUMN b;
ALTER TABLE at6 DROP COLUMN a CASCADE;
SELECT * FROM at6_v
-- next seed
CREATE VIEW at8_star AS SELECT * FROM at8;
CREATE VIEW at8_vv AS SELECT b FROM at8_v;
SELECT * FROM at8_v2;
SELECT * FROM at8_vv;
SELECT * FROM at8_star ORDER BY a;
DROP VIEW at8_vv
-- next seed
CREATE TABLE at7 (a int);
INSERT INTO at7 VALUES (1);
INSERT INTO at7 VALUES (3, 4);
SAVEPOINT s;
ALTER TABLE at7 RENAME COLUMN b TO c;
ROLLBACK TO SAVEPOINT s;
SELECT a, b FROM at7 ORDER BY a
-- next seed
CREATE TABLE at7 (a int);
INSERT INTO at7 VALUES (1);
INSERT INTO at7 VALUES (3, 4);
INSERT INTO at7 VALUES (2);
SAVEPOINT s;
ALTER TABLE at7 ADD PRIMARY KEY (a), ALTER COLUMN b SET NOT NULL;
INSERT INTO at7 VALUES (1, 5);
ROLLBACK TO SAVEPOINT s
-- next seed
SELECT '{1,2,NULL}'::int[], '{}'::text[], '{"a b","c\"d", "", NULL, "NULL", x\,y}'::text[], ' { 1 , 2 } '::int8[];
SELECT ARRAY[true, NULL], ARRAY[1.5, 2], ARRAY['\x01'::bytea], ARRAY['2026-01-02'::date];
SELECT ARRAY['a b', 'c"d', '', NULL, 'NULL', '\x', ' x'], ARRAY[1, 2.5], ARRAY[1, '2'];
SELECT ARRAY['12:30'::time], ARRAY['2026-01-02 03:04:05'::timestamp], ARRAY['1 day 2 hours'::interval]
-- next seed
SELECT '{1,2'::int[];
SELECT '{1,2}x'::int[];
SELECT '{a,b}'::int[];
SELECT ARRAY[]
-- next seed
SELECT array_ndims(ARRAY[1]);
SELECT ARRAY[1] || ARRAY[2,3], ARRAY[1,2] || 3, 0 || ARRAY[1], ARRAY[1] || '{2,3}';
SELECT array_append(ARRAY[1,2], 3), array_prepend(0, ARRAY[1]), array_cat(ARRAY[1], ARRAY[2]), ARRAY[1,2] || 3::bigint;
SELECT array_append(NULL::int[], 1), array_prepend(1, NULL), array_cat(NULL, ARRAY[1]), array_cat(NULL::int[], NULL)
-- next seed
SELECT string_to_array('a,*,b', ',', '*'), pg_typeof(string_to_array('a', ','));
SELECT ARRAY[1,2] = '{1,2}', ARRAY[1,NULL] = ARRAY[1,NULL], ARRAY[1,2] < ARRAY[1,2,3], ARRAY[2] > ARRAY[1,5], ARRAY[1,NULL] > ARRAY[1,2], ARRAY[1,2] <> ARRAY[1];
SELECT ARRAY[1.0] = ARRAY[1.00], ARRAY['a'::char(3)] = ARRAY['a'::char(5)];
SELECT 1 = ANY(NULL::int[]), NULL = ANY('{}'::int[]), NULL = ALL('{}'::int[]), 1 = ANY('{2,NULL}'::int[]), 1 < ALL('{2,3}'::int[])
-- next seed
CREATE TABLE arr (id int PRIMARY KEY, a int[], b text[], c numeric[], d varchar(5)[], e float8[], f bool[], g date[]);
INSERT INTO arr VALUES (1, '{1,2,3}', ARRAY['x','y z'], '{1.5,2}', '{ab}', '{1.5,NaN}', '{t,f}', '{2026-01-02}'), (2, ARRAY[4,NULL], '{}', NULL, NULL, '{}', NULL, '{}'), (3, NULL, '{"q\"r"}', ARRAY[1.25], ARRAY['c','d'], NULL, '{NULL}', NULL);
SELECT id FROM arr WHERE 3 = ALL(a) OR 1 < ALL(a) ORDER BY id;
UPDATE arr SET a = a || 9, b = array_append(b, 'new') WHERE id IN (1, 2);
SELECT id, a, b FROM arr ORDER BY id;
SELECT id, a FROM arr ORDER BY a, id
-- next seed
CREATE TABLE arr (id int PRIMARY KEY, a int[], b text[], c numeric[], d varchar(5)[], e float8[], f bool[], g date[]);
INSERT INTO arr VALUES (1, '{1,2,3}', ARRAY['x','y z'], '{1.5,2}', '{ab}', '{1.5,NaN}', '{t,f}', '{2026-01-02}'), (2, ARRAY[4,NULL], '{}', NULL, NULL, '{}', NULL, '{}'), (3, NULL, '{"q\"r"}', ARRAY[1.25], ARRAY['c','d'], NULL, '{NULL}', NULL);
INSERT INTO arr VALUES (4, '{7}', '{}', '{}', '{}', '{-0.5}', '{}', '{2026-12-31}');
INSERT INTO arr (id, d) VALUES (5, '{abcdefg}');
INSERT INTO arr (id, a) VALUES (5, 'x'::text);
SELECT id, unnest(a) FROM arr ORDER BY id, 2;
SELECT unnest(ARRAY[1,2]), unnest(ARRAY['a','b','c'])
-- next seed
CREATE TABLE arr (id int PRIMARY KEY, a int[], b text[], c numeric[], d varchar(5)[], e float8[], f bool[], g date[]);
INSERT INTO arr VALUES (1, '{1,2,3}', ARRAY['x','y z'], '{1.5,2}', '{ab}', '{1.5,NaN}', '{t,f}', '{2026-01-02}'), (2, ARRAY[4,NULL], '{}', NULL, NULL, '{}', NULL, '{}'), (3, NULL, '{"q\"r"}', ARRAY[1.25], ARRAY['c','d'], NULL, '{NULL}', NULL);
INSERT INTO arr VALUES (4, '{7}', '{}', '{}', '{}', '{-0.5}', '{}', '{2026-12-31}');
INSERT INTO arr (id, d) VALUES (5, '{abcdefg}');
INSERT INTO arr (id, a) VALUES (5, 'x'::text);
SELECT array_agg(DISTINCT x) FROM (VALUES (2),(1),(2),(NULL),(NULL)) v(x);
SELECT array_agg(x) FILTER (WHERE x > 1) FROM (VALUES (2),(1),(3)) v(x);
SELECT id % 2, array_agg(id ORDER BY id) FROM arr GROUP BY 1 ORDER BY 1;
SELECT array_agg(x) FROM (VALUES (1)) v(x) WHERE false
-- next seed
SELECT ARRAY[1] || ARRAY[2::bigint], 1::bigint = ANY(ARRAY[1,2]);
CREATE TABLE arrkey (a int[] PRIMARY KEY, b int);
INSERT INTO arrkey VALUES ('{1,2}', 1), ('{1}', 1), ('{}', 1), ('{1,NULL}', 1);
INSERT INTO arrkey VALUES ('{1,2}', 2)
-- next seed
CREATE TABLE arrset (id int, a int[], b text[]);
INSERT INTO arrset VALUES (1, '{1,2,3}', '{x}'), (2, NULL, NULL), (3, '{}', '{}');
UPDATE arrset SET a[1] = 7, a[2] = 8 WHERE id = 3;
UPDATE arrset SET a[1] = NULL WHERE id = 2;
SELECT * FROM arrset ORDER BY id;
UPDATE arrset SET a[NULL::int] = 1
-- next seed
CREATE TABLE bw (s int2, i int4, b int8);
INSERT INTO bw VALUES (5, 12, 255), (-1, -8, -9223372036854775808), (NULL, 3, NULL), (32767, 2147483647, 9223372036854775807);
SELECT s & 3, i | 1, b # 15, ~s, ~i, ~b FROM bw;
SELECT i << 1, i >> 2, b << 62, s << 15 FROM bw
-- next seed
CREATE TABLE bw (s int2, i int4, b int8);
INSERT INTO bw VALUES (5, 12, 255), (-1, -8, -9223372036854775808), (NULL, 3, NULL), (32767, 2147483647, 9223372036854775807);
SELECT 1::int8 << 2::int2, 1 << '3';
SELECT 1 | 2 & 3 # 4 << 1;
SELECT int4and(12, 10) + int8shl(1, 3);
SELECT i FROM bw WHERE i & 1 = 1
-- next seed
SELECT pg_typeof(relfrozenxid), pg_typeof(relminmxid), pg_typeof(relpartbound), pg_typeof(relacl) FROM pg_class WHERE relname = 'pg_class';
SELECT pg_typeof(datfrozenxid) FROM pg_database WHERE datname = current_database();
SELECT format_type(atttypid, atttypmod), attname, attlen::text, attbyval::text FROM pg_attribute WHERE attrelid = 'pg_attrdef'::regclass AND attnum > 0 ORDER BY attnum;
SELECT 'abc'::pg_node_tree
-- next seed
CREATE TABLE nodes (a int DEFAULT 5, b text CHECK (b <> 'x'));
SELECT attname, atttypid::regtype::text, attnum, attbyval, attalign, attstorage, attstattarget, attnotnull FROM pg_attribute WHERE attrelid = 'nodes'::regclass ORDER BY attnum;
SELECT attname, attlen FROM pg_attribute WHERE attrelid = 'pg_class'::regclass AND attnum < 0 ORDER BY attnum;
SELECT count(*) FROM pg_attribute WHERE attrelid = 'pg_tables'::regclass AND attnum < 0;
CREATE TABLE sys1 (xmin int)
-- next seed
CREATE TABLE nodes (a int DEFAULT 5, b text CHECK (b <> 'x'));
CREATE VIEW sysv AS SELECT 1 AS xmin;
SELECT xmin FROM sysv;
SELECT tableoid = 'nodes'::regclass FROM nodes;
DROP VIEW sysv
-- next seed
CREATE TABLE cfn_t (a int PRIMARY KEY, b text DEFAULT 'x', c numeric CHECK (c > 0), d int UNIQUE);
CREATE TABLE cfn_t2 (x int REFERENCES cfn_t (a) ON DELETE CASCADE, y text);
CREATE INDEX cfn_ti ON cfn_t (b, c);
CREATE VIEW cfn_v AS SELECT a, b FROM cfn_t
-- next seed
SELECT nspname FROM pg_namespace WHERE oid = 11::int8;
SELECT 1::oid < 2::int2, 4294967295::oid > 1, '123'::oid = 123;
SELECT 1259::oid::int4, pg_typeof(1259::oid::int8);
SELECT 5::oid + 1
-- next seed
SELECT '+(text,text)'::regoperator;
SELECT '+(int4)'::regoperator;
SELECT 1259::regclass, 0::regclass, 23::regtype, 11::regnamespace;
SELECT 'pg_class'::regclass::oid = 1259
-- next seed
SELECT 'cfn_nosuch'::regtype;
SELECT 'cfn_nosuch'::regnamespace;
SELECT 'cfn_nosuch'::regrole;
SELECT 'cfn_nosuch'::regproc
-- next seed
SELECT format_type(23, NULL), format_type(1043, 7), format_type(1042, NULL), format_type(1042, -1), format_type(1700, 655366);
SELECT format_type(1007, NULL), format_type(0, NULL), format_type(99999, NULL), format_type(NULL, NULL) IS NULL;
SELECT format_type(1560, 5), format_type(1560, NULL), format_type(1562, 7), format_type(1266, NULL), format_type(1266, 3);
SELECT getdatabaseencoding(), pg_char_to_encoding('UTF8'), pg_char_to_encoding('utf-8'), pg_char_to_encoding('cfn_nosuch')
-- next seed
CREATE TABLE cfn_t (a int PRIMARY KEY, b text DEFAULT 'x', c numeric CHECK (c > 0), d int UNIQUE);
SELECT parse_ident('foo.boo[]');
SELECT parse_ident('foo.');
SELECT has_table_privilege('cfn_t', 'select'), has_table_privilege('postgres', 'cfn_t', 'select,insert'), has_schema_privilege('public', 'usage'), has_table_privilege(4294967295::oid, 'select') IS NULL;
SELECT has_database_privilege(current_database(), 'connect'), has_function_privilege('now()', 'execute')
-- next seed
CREATE TABLE cfn_t (a int PRIMARY KEY, b text DEFAULT 'x', c numeric CHECK (c > 0), d int UNIQUE);
SELECT obj_description('cfn_t'::regclass, 'pg_class') IS NULL, shobj_description(10, 'pg_authid') IS NULL;
COMMENT ON TABLE cfn_t IS 'the table';
COMMENT ON COLUMN cfn_t.b IS 'column b';
SELECT obj_description('cfn_t'::regclass, 'pg_class'), obj_description('cfn_t'::regclass), col_description('cfn_t'::regclass, 2)
-- next seed
SELECT pg_tablespace_location(1663), pg_get_triggerdef(0) IS NULL;
SELECT p.proname, pg_get_function_result(p.oid), pg_get_function_arguments(p.oid) FROM pg_proc p WHERE p.oid IN ('lower(text)'::regprocedure, 'generate_series(int4,int4)'::regprocedure, 'concat'::regproc) ORDER BY 1;
SELECT pg_get_function_result('pg_get_keywords'::regproc), pg_get_function_arguments('pg_get_keywords'::regproc);
SELECT pg_get_function_arguments('jsonb_each'::regproc), pg_get_function_identity_arguments('jsonb_each'::regproc)
-- next seed
SELECT current_setting(s) FROM (VALUES ('cfn.nosuch')) v(s);
SELECT 'abc' OPERATOR(pg_catalog.~) '^a', 1 OPERATOR(pg_catalog.+) 2, 'b' OPERATOR(pg_catalog.=) 'b';
SELECT 'a' COLLATE "C" < 'b', 'b' COLLATE pg_catalog.default, 'c' COLLATE "default";
SELECT pg_catalog.count(*), 1::pg_catalog.text, pg_catalog.lower('A')
-- next seed
CREATE TABLE cl (c char(5), v varchar(5), t text, m char(4));
INSERT INTO cl VALUES ('ab', 'ab', 'ab', 'é'), ('abc  ', 'abc  ', 'abc  ', 'éé  '), ('', '', '', ''), (NULL, NULL, NULL, NULL);
SELECT octet_length(c), length(c), char_length(c), octet_length(c::text), octet_length(v), octet_length(t), octet_length(m), length(m) FROM cl ORDER BY t;
SELECT bit_length(c), bit_length(v), bit_length(t), bit_length(m) FROM cl ORDER BY t
-- next seed
SELECT 'ab'::"char", 'ab'::char, pg_typeof('a'::"char"), pg_typeof('a'::char);
SELECT 'x'::"char" = 'x', 'a'::"char" < 'b'::"char", 'q'::"char" = 'q'::text;
SELECT ''::"char"::text || '|', ('7'::"char")::text;
CREATE TABLE ch (c "char", t text)
-- next seed
CREATE TABLE cm (a int, b text);
CREATE VIEW cmv AS SELECT a FROM cm;
CREATE SEQUENCE cms;
CREATE INDEX cmi ON cm (a)
-- next seed
CREATE TABLE cm (a int, b text);
CREATE VIEW cmv AS SELECT a FROM cm;
CREATE SEQUENCE cms;
SELECT obj_description('cm'::regclass, 'pg_class'), col_description('cm'::regclass, 1), col_description('cm'::regclass, 2), obj_description('cmv'::regclass, 'pg_class'), col_description('cmv'::regclass, 1), obj_description('cms'::regclass, 'pg_class'), obj_description('cmi'::regclass);
COMMENT ON TABLE cm IS NULL;
COMMENT ON COLUMN cm.a IS '';
COMMENT ON INDEX cmi IS 'changed'
-- next seed
CREATE TABLE cm (a int, b text);
CREATE VIEW cmv AS SELECT a FROM cm;
SELECT col_description('cm'::regclass, 2);
COMMENT ON TABLE nosuch IS 'x';
COMMENT ON TABLE cmv IS 'x';
COMMENT ON VIEW cm IS 'x'
-- next seed
SELECT '2020-01-01 12:00:00.1234567'::timestamp(7), '2020-01-01 12:00:00.1234567+00'::timestamptz(9), '12:00:00.1234567'::time(7), timestamp(8) '2020-01-01 00:00:00.9999999';
SELECT interval '1.1234567 second'::interval(7), interval(7) '1.1234567 second';
CREATE TABLE cm_tw (a timestamp(7), b time(9), c interval(8), d timestamp(7)[]);
INSERT INTO cm_tw VALUES ('2020-01-01 00:00:00.1234567', '10:00:00.1234567', '1.1234567 second', '{"2020-01-01 00:00:00.1234567"}')
-- next seed
CREATE TABLE cm_tw (a timestamp(7), b time(9), c interval(8), d timestamp(7)[]);
INSERT INTO cm_tw VALUES ('2020-01-01 00:00:00.1234567', '10:00:00.1234567', '1.1234567 second', '{"2020-01-01 00:00:00.1234567"}');
DROP TABLE cm_tw;
CREATE TABLE cm_uj (j jsonb PRIMARY KEY, v int);
INSERT INTO cm_uj VALUES ('{"a":1, "b":[1,2]}', 1);
INSERT INTO cm_uj VALUES ('{"b":[1.0,2.00],"a":1.000}', 2)
-- next seed
CREATE TABLE cm_uj (j jsonb PRIMARY KEY, v int);
INSERT INTO cm_uj VALUES ('{"a":1, "b":[1,2]}', 1);
INSERT INTO cm_uj VALUES ('{"b":[1.0,2.00],"a":1.000}', 2);
INSERT INTO cm_uj VALUES ('{"b":[1,2],"a":1.0}', 3) ON CONFLICT (j) DO UPDATE SET v = cm_uj.v + excluded.v RETURNING *;
INSERT INTO cm_uj VALUES ('{"a":1.0,"b":[1,2]}', 5) ON CONFLICT DO NOTHING RETURNING *;
INSERT INTO cm_uj VALUES ('{"a":2}', 6), ('{"a":[1]}', 7) ON CONFLICT (j) DO UPDATE SET v = excluded.v RETURNING *;
CREATE TABLE cm_ufk (j jsonb REFERENCES cm_uj (j));
INSERT INTO cm_ufk VALUES ('{"a":[1.0]}');
INSERT INTO cm_ufk VALUES ('{"a":[1.5]}');
CREATE TABLE cm_ua (a int[] UNIQUE)
-- next seed
CREATE TABLE cm_un (n numeric UNIQUE);
INSERT INTO cm_un VALUES (1.0), (1.00);
CREATE TABLE cm_utz (t timestamptz UNIQUE);
INSERT INTO cm_utz VALUES ('2020-01-01 00:00+00'), ('2020-01-01 01:00+01');
CREATE TABLE cm_ub (b bool UNIQUE, y bytea UNIQUE)
-- next seed
CREATE TABLE cm_ue (e cm_mood PRIMARY KEY, n int);
INSERT INTO cm_ue VALUES ('ok', 1);
INSERT INTO cm_ue VALUES ('ok', 2) ON CONFLICT (e) DO UPDATE SET n = cm_ue.n + excluded.n RETURNING *;
CREATE TABLE cm_js (j json PRIMARY KEY);
CREATE TABLE cm_js (a int, j json, UNIQUE (a, j));
CREATE TABLE cm_js (a int UNIQUE, j json)
-- next seed
CREATE TABLE cm_uj (j jsonb PRIMARY KEY, v int);
INSERT INTO cm_uj VALUES ('{"a":1, "b":[1,2]}', 1);
INSERT INTO cm_uj VALUES ('{"b":[1.0,2.00],"a":1.000}', 2);
INSERT INTO cm_uj VALUES ('{"b":[1,2],"a":1.0}', 3) ON CONFLICT (j) DO UPDATE SET v = cm_uj.v + excluded.v RETURNING *;
INSERT INTO cm_uj VALUES ('{"a":1.0,"b":[1,2]}', 5) ON CONFLICT DO NOTHING RETURNING *;
INSERT INTO cm_uj VALUES ('{"a":2}', 6), ('{"a":[1]}', 7) ON CONFLICT (j) DO UPDATE SET v = excluded.v RETURNING *;
CREATE TABLE cm_uj2 (j jsonb, v int);
INSERT INTO cm_uj2 VALUES ('{"a":1}', 1), ('{"a":2}', 2);
INSERT INTO cm_uj2 VALUES ('{"a":2.0}', 3);
CREATE TABLE cm_ufk (j jsonb REFERENCES cm_uj (j));
INSERT INTO cm_ufk VALUES ('{"a":[1.0]}');
INSERT INTO cm_ufk VALUES ('{"a":[1.5]}');
CREATE TABLE cm_ua (a int[] UNIQUE);
INSERT INTO cm_ua VALUES ('{1,2}'), ('{1,2}');
CREATE TABLE cm_ui (i interval PRIMARY KEY, v int);
INSERT INTO cm_ui VALUES ('1 mon', 1);
INSERT INTO cm_ui VALUES ('30 days', 2);
INSERT INTO cm_ui VALUES ('720:00:00', 3) ON CONFLICT (i) DO UPDATE SET v = excluded.v RETURNING *;
CREATE TABLE cm_uia (i interval[] UNIQUE);
INSERT INTO cm_uia VALUES ('{"1 day"}'), ('{"24 hours"}');
CREATE TABLE cm_un (n numeric UNIQUE);
INSERT INTO cm_un VALUES (1.0), (1.00);
CREATE TABLE cm_utz (t timestamptz UNIQUE);
INSERT INTO cm_utz VALUES ('2020-01-01 00:00+00'), ('2020-01-01 01:00+01');
CREATE TABLE cm_ub (b bool UNIQUE, y bytea UNIQUE);
INSERT INTO cm_ub VALUES (true, '\x01'), (false, '\x02');
INSERT INTO cm_ub VALUES (true, '\x03');
INSERT INTO cm_ub VALUES (NULL, '\x01');
CREATE TABLE cm_ubp (c bpchar UNIQUE);
INSERT INTO cm_ubp VALUES ('a'), ('a  ');
CREATE TYPE cm_mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE cm_ue (e cm_mood PRIMARY KEY, n int);
INSERT INTO cm_ue VALUES ('ok', 1);
INSERT INTO cm_ue VALUES ('ok', 2) ON CONFLICT (e) DO UPDATE SET n = cm_ue.n + excluded.n RETURNING *;
CREATE TABLE cm_js (j json PRIMARY KEY);
CREATE TABLE cm_js (a int, j json, UNIQUE (a, j));
CREATE TABLE cm_js (a int UNIQUE, j json);
DROP TABLE cm_ufk, cm_uj, cm_uj2, cm_ua, cm_ui, cm_uia, cm_un, cm_utz, cm_ub, cm_ubp, cm_ue, cm_js;
DROP TYPE cm_mood;
DROP DOMAIN cm_dj;
SET search_path = nosuch, public
-- next seed
SELECT current_setting('statement_timeout'), current_setting('TimeZone');
RESET ALL;
SELECT current_setting('statement_timeout'), current_setting('TimeZone') = 'Asia/Tokyo';
RESET server_version
-- next seed
CREATE TABLE cm_ct (x int);
INSERT INTO cm_ct VALUES (1), (2);
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3), c AS (SELECT nosuch FROM r) SELECT * FROM r;
SELECT (WITH c AS (SELECT nosuch) SELECT 1);
SELECT * FROM cm_ct WHERE x IN (WITH c AS (SELECT cm_ct.nosuch) SELECT 1);
WITH c AS (SELECT nosuch) INSERT INTO cm_ct VALUES (1)
-- next seed
CREATE TABLE ce(a int, b int);
INSERT INTO ce VALUES (1, 0), (2, 5);
SELECT 1/0 FROM ce WHERE false;
SELECT CASE WHEN a > 1000 THEN 1/0 ELSE 1 END FROM ce
-- next seed
SELECT convert_from('\xc3b1', 'UTF8'), convert_from('\xe9', 'LATIN1'), convert_to('ñ', 'LATIN1'), convert('\xc3b1'::bytea, 'UTF8', 'LATIN1'), convert_to('x', 'SQL_ASCII');
SELECT convert_from('\xe9', 'WIN1252'), convert_from('\x80', 'WIN1252'), convert_to('ñ', 'UTF-8'), convert_from('\x41', 'latin-1');
SELECT convert_from('\x85', 'LATIN2'), convert_from('\xa4', 'LATIN9'), convert('\xe9'::bytea, 'iso-8859-1', 'utf8');
SELECT convert_from('\x8140', 'SJIS'), convert_from('\xa4a2', 'BIG5'), convert_from('\xb0a1', 'EUC_KR'), convert_from('\xb0a1', 'GBK'), convert_from('\xc3b1', 'EUC_JP')
-- next seed
CREATE TABLE cc_a (x int, n text);
INSERT INTO cc_a VALUES (1, 'one'), (2, 'two'), (3, 'three'), (NULL, 'null'), (1, 'uno');
CREATE TABLE cc_b (x int, y int);
INSERT INTO cc_b VALUES (1, 10), (1, 11), (2, 20), (4, 40), (NULL, 50)
-- next seed
CREATE TABLE cc_a (x int, n text);
INSERT INTO cc_a VALUES (1, 'one'), (2, 'two'), (3, 'three'), (NULL, 'null'), (1, 'uno');
CREATE TABLE cc_b (x int, y int);
INSERT INTO cc_b VALUES (1, 10), (1, 11), (2, 20), (4, 40), (NULL, 50);
SELECT cc_a.n, (WITH c AS (SELECT cc_b.y FROM cc_b WHERE cc_b.x = cc_a.x) SELECT (SELECT max(y) FROM c)) FROM cc_a;
SELECT cc_a.n, (WITH c AS (SELECT cc_b.y FROM cc_b WHERE cc_b.x = cc_a.x), d AS (SELECT y + cc_a.x AS z FROM c) SELECT sum(z) FROM d) FROM cc_a;
SELECT cc_a.n, (WITH c AS (SELECT cc_b.y FROM cc_b WHERE cc_b.x = cc_a.x), d AS (SELECT y FROM c) SELECT sum(y) FROM d) FROM cc_a;
SELECT cc_a.n, (WITH c AS (SELECT cc_a.x AS v), d AS (SELECT v + 1 AS w FROM c) SELECT w FROM d) FROM cc_a
-- next seed
CREATE TABLE cc_a (x int, n text);
INSERT INTO cc_a VALUES (1, 'one'), (2, 'two'), (3, 'three'), (NULL, 'null'), (1, 'uno');
CREATE TABLE cc_b (x int, y int);
INSERT INTO cc_b VALUES (1, 10), (1, 11), (2, 20), (4, 40), (NULL, 50);
SELECT cc_a.n, (WITH c AS NOT MATERIALIZED (SELECT cc_b.y FROM cc_b WHERE cc_b.x = cc_a.x) SELECT max(y) FROM c) FROM cc_a;
SELECT cc_a.n FROM cc_a WHERE EXISTS (WITH c AS (SELECT 1 FROM cc_b WHERE cc_b.x = cc_a.x) SELECT * FROM c);
SELECT cc_a.n FROM cc_a WHERE NOT EXISTS (WITH c AS (SELECT 1 FROM cc_b WHERE cc_b.x = cc_a.x) SELECT * FROM c);
SELECT cc_a.n FROM cc_a WHERE cc_a.x IN (WITH c AS (SELECT cc_b.x FROM cc_b WHERE cc_b.y > cc_a.x * 10) SELECT x FROM c)
-- next seed
CREATE TABLE cc_a (x int, n text);
INSERT INTO cc_a VALUES (1, 'one'), (2, 'two'), (3, 'three'), (NULL, 'null'), (1, 'uno');
CREATE TABLE cc_b (x int, y int);
INSERT INTO cc_b VALUES (1, 10), (1, 11), (2, 20), (4, 40), (NULL, 50);
CREATE TABLE cc_tree (id int, parent int);
INSERT INTO cc_tree VALUES (1, NULL), (2, 1), (3, 1), (4, 2), (5, 4), (6, 3), (7, NULL), (8, 7);
SELECT cc_a.n, s.k FROM cc_a LEFT JOIN LATERAL (WITH c AS (SELECT y FROM cc_b WHERE cc_b.x = cc_a.x) SELECT count(*) AS k FROM c HAVING count(*) > 1) s ON true;
SELECT t.id, s.path, s.depth FROM cc_tree t, LATERAL (WITH RECURSIVE up(id, parent, path, d) AS (SELECT t.id, t.parent, t.id::text, 0 UNION ALL SELECT tr.id, tr.parent, up.path || '<' || tr.id, d + 1 FROM cc_tree tr JOIN up ON tr.id = up.parent) SELECT path, d AS depth FROM up WHERE parent IS NULL) s;
SELECT t.id, s.descendants FROM cc_tree t LEFT JOIN LATERAL (WITH RECURSIVE down(id) AS (SELECT t.id UNION ALL SELECT tr.id FROM cc_tree tr JOIN down ON tr.parent = down.id) SELECT count(*) - 1 AS descendants FROM down) s ON true;
SELECT t.id, (WITH RECURSIVE up(id, parent) AS (SELECT t.id, t.parent UNION ALL SELECT tr.id, tr.parent FROM cc_tree tr JOIN up ON tr.id = up.parent) SELECT count(*) FROM up u1, up u2) FROM cc_tree t
-- next seed
CREATE TABLE cc_a (x int, n text);
INSERT INTO cc_a VALUES (1, 'one'), (2, 'two'), (3, 'three'), (NULL, 'null'), (1, 'uno');
CREATE TABLE cc_b (x int, y int);
INSERT INTO cc_b VALUES (1, 10), (1, 11), (2, 20), (4, 40), (NULL, 50);
CREATE TABLE cc_t (k int, v int);
INSERT INTO cc_t SELECT DISTINCT x, 0 FROM cc_a WHERE x IS NOT NULL;
INSERT INTO cc_t SELECT o.x + 10, (WITH c AS (SELECT count(*) AS k FROM cc_b WHERE cc_b.x = o.x) SELECT k FROM c) FROM (SELECT DISTINCT x FROM cc_a WHERE x IS NOT NULL) o;
WITH u AS (UPDATE cc_t SET v = (WITH c AS (SELECT max(y) AS m FROM cc_b WHERE cc_b.x = cc_t.k - 10) SELECT m FROM c) WHERE k > 10 RETURNING *) SELECT * FROM u;
DELETE FROM cc_t WHERE EXISTS (WITH c AS (SELECT 1 FROM cc_b WHERE cc_b.x = cc_t.k) SELECT * FROM c) RETURNING *;
SELECT * FROM cc_t
-- next seed
CREATE TABLE cs_t (k int, g int, v int);
INSERT INTO cs_t SELECT i, i % 7, (i * 37) % 101 FROM generate_series(1, 3000) i;
WITH r AS (SELECT random() AS x) SELECT a.x = b.x FROM r a, r b;
WITH r AS (SELECT k, random() AS x FROM cs_t WHERE k <= 50) SELECT count(*) FROM r a JOIN r b ON a.k = b.k AND a.x = b.x
-- next seed
CREATE TABLE dtc (id int, d date);
INSERT INTO dtc VALUES (1, '1995-12-31'), (2, '1996-01-01'), (3, '1996-01-02'), (4, '1996-03-31'), (5, '1996-04-01'), (6, '1996-04-02'), (7, NULL), (8, 'infinity'), (9, '-infinity'), (10, '1900-02-28'), (11, '0044-03-15 BC');
SELECT id FROM dtc WHERE d < date '1996-01-01' + interval '3' month;
SELECT id FROM dtc WHERE d <= date '1996-01-01' + interval '3' month
-- next seed
CREATE TABLE dtc (id int, d date);
INSERT INTO dtc VALUES (1, '1995-12-31'), (2, '1996-01-01'), (3, '1996-01-02'), (4, '1996-03-31'), (5, '1996-04-01'), (6, '1996-04-02'), (7, NULL), (8, 'infinity'), (9, '-infinity'), (10, '1900-02-28'), (11, '0044-03-15 BC');
SELECT id FROM dtc WHERE timestamp '1996-01-01 06:00' < d;
SELECT id FROM dtc WHERE timestamp '1996-01-01 06:00' >= d;
SELECT id FROM dtc WHERE timestamp '1996-01-01' = d;
SELECT id FROM dtc WHERE d < timestamp '1900-03-01 00:00' - interval '1 microsecond'
-- next seed
CREATE TABLE xinf (id int, d date, ts timestamp, tz timestamptz);
INSERT INTO xinf VALUES (1, 'infinity', 'infinity', 'infinity'), (2, '-infinity', '-infinity', '-infinity'), (3, '2020-02-29', '2020-02-29 12:34:56.789', '2020-02-29 12:34:56.789+00'), (4, NULL, NULL, NULL);
SELECT extract(year from 'infinity'::timestamp)::text;
SELECT id, extract(microseconds FROM ts)::text, date_part('microseconds', ts)::text FROM xinf ORDER BY id
-- next seed
CREATE TABLE xinf (id int, d date, ts timestamp, tz timestamptz);
INSERT INTO xinf VALUES (1, 'infinity', 'infinity', 'infinity'), (2, '-infinity', '-infinity', '-infinity'), (3, '2020-02-29', '2020-02-29 12:34:56.789', '2020-02-29 12:34:56.789+00'), (4, NULL, NULL, NULL);
SELECT id, extract(day FROM ts)::text, date_part('day', ts)::text FROM xinf ORDER BY id;
SELECT id, extract(month FROM ts)::text, date_part('month', ts)::text FROM xinf ORDER BY id;
SELECT id, extract(quarter FROM ts)::text, date_part('quarter', ts)::text FROM xinf ORDER BY id;
SELECT id, extract(year FROM ts)::text, date_part('year', ts)::text FROM xinf ORDER BY id
-- next seed
CREATE TABLE xinf (id int, d date, ts timestamp, tz timestamptz);
INSERT INTO xinf VALUES (1, 'infinity', 'infinity', 'infinity'), (2, '-infinity', '-infinity', '-infinity'), (3, '2020-02-29', '2020-02-29 12:34:56.789', '2020-02-29 12:34:56.789+00'), (4, NULL, NULL, NULL);
SELECT id, extract(doy FROM ts)::text, date_part('doy', ts)::text FROM xinf ORDER BY id;
SELECT id, extract(epoch FROM ts)::text, date_part('epoch', ts)::text FROM xinf ORDER BY id;
SELECT id, extract(microseconds FROM tz)::text, date_part('microseconds', tz)::text FROM xinf ORDER BY id;
SELECT id, extract(milliseconds FROM tz)::text, date_part('milliseconds', tz)::text FROM xinf ORDER BY id
-- next seed
CREATE TABLE xinf (id int, d date, ts timestamp, tz timestamptz);
INSERT INTO xinf VALUES (1, 'infinity', 'infinity', 'infinity'), (2, '-infinity', '-infinity', '-infinity'), (3, '2020-02-29', '2020-02-29 12:34:56.789', '2020-02-29 12:34:56.789+00'), (4, NULL, NULL, NULL);
SELECT id, extract(month FROM tz)::text, date_part('month', tz)::text FROM xinf ORDER BY id;
SELECT id, extract(quarter FROM tz)::text, date_part('quarter', tz)::text FROM xinf ORDER BY id;
SELECT id, extract(year FROM tz)::text, date_part('year', tz)::text FROM xinf ORDER BY id;
SELECT id, extract(decade FROM tz)::text, date_part('decade', tz)::text FROM xinf ORDER BY id
-- next seed
CREATE TABLE xinf (id int, d date, ts timestamp, tz timestamptz);
INSERT INTO xinf VALUES (1, 'infinity', 'infinity', 'infinity'), (2, '-infinity', '-infinity', '-infinity'), (3, '2020-02-29', '2020-02-29 12:34:56.789', '2020-02-29 12:34:56.789+00'), (4, NULL, NULL, NULL);
SELECT id, extract(epoch FROM tz)::text, date_part('epoch', tz)::text FROM xinf ORDER BY id;
SELECT id, extract(day FROM d)::text, date_part('day', d)::text FROM xinf ORDER BY id;
SELECT id, extract(month FROM d)::text, date_part('month', d)::text FROM xinf ORDER BY id;
SELECT id, extract(quarter FROM d)::text, date_part('quarter', d)::text FROM xinf ORDER BY id
-- next seed
CREATE TABLE xinf (id int, d date, ts timestamp, tz timestamptz);
INSERT INTO xinf VALUES (1, 'infinity', 'infinity', 'infinity'), (2, '-infinity', '-infinity', '-infinity'), (3, '2020-02-29', '2020-02-29 12:34:56.789', '2020-02-29 12:34:56.789+00'), (4, NULL, NULL, NULL);
SELECT id, extract(isodow FROM d)::text, date_part('isodow', d)::text FROM xinf ORDER BY id;
SELECT id, extract(doy FROM d)::text, date_part('doy', d)::text FROM xinf ORDER BY id;
SELECT id, extract(epoch FROM d)::text, date_part('epoch', d)::text FROM xinf ORDER BY id;
SELECT extract(timezone FROM tz)::text, extract(timezone_hour FROM tz)::text, extract(timezone_minute FROM tz)::text FROM xinf ORDER BY id
-- next seed
CREATE TABLE xinf (id int, d date, ts timestamp, tz timestamptz);
INSERT INTO xinf VALUES (1, 'infinity', 'infinity', 'infinity'), (2, '-infinity', '-infinity', '-infinity'), (3, '2020-02-29', '2020-02-29 12:34:56.789', '2020-02-29 12:34:56.789+00'), (4, NULL, NULL, NULL);
SELECT extract(timezone FROM '-infinity'::date);
SELECT date_part('timezone', '-infinity'::date)::text, date_part('hour', date '2020-01-01')::text, date_part('second', date '2020-01-01')::text, date_part('epoch', date '2020-01-01')::text, date_part('microseconds', 'infinity'::date)::text;
SELECT date_part('timezone_m', date '2020-01-01');
SELECT pg_typeof(extract(year FROM d)), pg_typeof(extract(epoch FROM ts)), pg_typeof(extract(day FROM tz)), pg_typeof(date_part('year', d)) FROM xinf WHERE id = 1
-- next seed
CREATE TABLE xinf (id int, d date, ts timestamp, tz timestamptz);
INSERT INTO xinf VALUES (1, 'infinity', 'infinity', 'infinity'), (2, '-infinity', '-infinity', '-infinity'), (3, '2020-02-29', '2020-02-29 12:34:56.789', '2020-02-29 12:34:56.789+00'), (4, NULL, NULL, NULL);
SELECT id, isfinite(d), isfinite(ts), isfinite(tz), isfinite(interval '1 day') FROM xinf ORDER BY id;
SELECT timestamp '-infinity' AT TIME ZONE 'Nowhere/Zone', 'infinity'::text::date, '-infinity'::varchar::timestamptz;
SELECT to_timestamp('infinity'::float8)::text, to_timestamp('-infinity'::float8)::text;
SELECT d - date '2020-01-01' FROM xinf
-- next seed
SELECT '2020-01-01 12:00:00.123456'::timestamp(2), '2020-01-01 12:00:00.5'::timestamp(0), '1999-12-31 23:59:59.95'::timestamp(1);
SELECT '12:00:00.5'::time(0), '23:59:59.9'::time(0), '10:00:00.123456'::time(3);
SELECT '1960-06-01 10:00:00.55'::timestamp(1), '1960-06-01 10:00:00.45'::timestamp(0), '1900-01-01 00:00:00.999999'::timestamp(5);
SELECT cast(timestamp '2020-01-01 10:00:00.55' as timestamp(1)), (time '10:00:00.55')::time(1), (interval '1 hour 0.55 sec')::interval(1)
-- next seed
SELECT '1.5 days 3:04:05.678'::interval hour to minute, '1.5 days 3:04:05.678'::interval second(1), '3 days 04:05:06.789'::interval day to second(2);
SELECT '-1 day -0.5 sec'::interval(0), '-0.45 sec'::interval(1);
SET TimeZone = 'UTC';
CREATE TABLE dtm (a timestamp(0), b time(1), c interval day, d interval(1), e timestamptz(3))
-- next seed
CREATE TABLE dtm (a timestamp(0), b time(1), c interval day, d interval(1), e timestamptz(3));
INSERT INTO dtm VALUES ('2020-01-01 12:00:00.7', '10:00:00.66', '3 days 4 hours', '1.36 sec', '2020-01-01 00:00:00.12345+00');
INSERT INTO dtm VALUES (timestamp '2020-01-02 00:00:00.4', time '10:00:00.04', interval '5 days 1 hour', interval '0.04 sec', timestamptz '2020-01-02 00:00:00.0005+00');
UPDATE dtm SET a = a + interval '0.6 sec', c = c + interval '1 hour', d = d * 1.26, e = e + interval '0.0004 sec';
SELECT a, c, d, e FROM dtm;
CREATE TABLE dtm2 AS SELECT a, c FROM dtm;
SELECT pg_typeof(a), pg_typeof(c) FROM dtm2
-- next seed
CREATE SEQUENCE dps;
SELECT a.attname || ' = ' || pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'dpt'::regclass ORDER BY d.adnum;
SELECT conname || ': ' || replace(pg_get_constraintdef(oid), E'\n', '|') FROM pg_constraint WHERE conrelid = 'dpt'::regclass AND contype = 'c' ORDER BY conname;
SELECT conname || ': ' || replace(pg_get_constraintdef(oid, true), E'\n', '|') FROM pg_constraint WHERE conrelid = 'dpt'::regclass AND contype = 'c' ORDER BY conname
-- next seed
CREATE TYPE dpmood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN dpposint AS int CHECK (VALUE > 0);
CREATE DOMAIN dpcode AS varchar(5) CHECK (VALUE IN ('a', 'b') OR length(VALUE) > 3) CHECK (VALUE <> '');
SELECT conname || ': ' || pg_get_constraintdef(oid) || ' / ' || pg_get_constraintdef(oid, true) FROM pg_constraint WHERE contypid = 'dpcode'::regtype ORDER BY conname
-- next seed
CREATE TABLE dpt4 (
  a int, b text, c boolean, d date, ts timestamp, tz timestamptz, j jsonb, arr int[], n numeric, iv interval,
  CHECK (c IS TRUE),
  CHECK (c IS NOT FALSE),
  CHECK (extract(year FROM d) > 2000),
  CHECK (b ~ '^a'),
  CHECK (b !~* 'z'),
  CHECK (b SIMILAR TO 'a%'),
  CHECK (b LIKE 'a!%' ESCAPE '!'),
  CHECK (j ? 'k'),
  CHECK (j -> 'a' IS NOT NULL),
  CHECK (j ->> 'a' <> 'x'),
  CHECK (j @> '{"a":1}'),
  CHECK (arr @> ARRAY[1]),
  CHECK (a = ANY (arr)),
  CHECK (cardinality(arr || 3) > 0),
  CHECK (date_trunc('day', ts) <= ts),
  CHECK (ts + iv > ts),
  CHECK (tz AT TIME ZONE 'UTC' > ts),
  CHECK (d - 1 < d),
  CHECK (n::int > 0 OR n IS NULL),
  CHECK (round(n, 2) >= 0),
  CHECK (b::int > 0),
  CHECK (CASE WHEN a > 0 THEN 'p' WHEN a < 0 THEN 'n' END <> 'x'),
  CHECK (a BETWEEN SYMMETRIC 1 AND 10),
  CHECK (b NOT BETWEEN 'a' AND 'b'),
  CHECK (a::bigint + 1 > 0),
  CHECK (a / 2 * 2 = a),
  CHECK (concat(b, a) <> ''),
  CHECK (to_char(d, 'YYYY') <> ''),
  CHECK (lower(b) IN ('x', 'y') OR b IS NULL),
  CHECK (ts > now() - interval '1 year')
);
SELECT conname || ': ' || replace(pg_get_constraintdef(oid), E'\n', '|') FROM pg_constraint WHERE conrelid = 'dpt4'::regclass ORDER BY conname;
SELECT conname || ': ' || replace(pg_get_constraintdef(oid, true), E'\n', '|') FROM pg_constraint WHERE conrelid = 'dpt4'::regclass ORDER BY conname
-- next seed
CREATE TABLE dpemp (id int PRIMARY KEY, name text, dept int, salary numeric(10,2), mgr int);
CREATE TABLE dpdept (id int PRIMARY KEY, dname varchar(20));
SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'dpemp'::regclass ORDER BY indexrelid::regclass::text;
SELECT pg_get_indexdef('dpemp_dept_name'::regclass, 2, true);
CREATE VIEW dpv1 AS SELECT id, name FROM dpemp WHERE salary > 0;
CREATE VIEW dpv2 AS SELECT e.name, d.dname FROM dpemp e JOIN dpdept d ON e.dept = d.id
-- next seed
CREATE TABLE dpemp (id int PRIMARY KEY, name text, dept int, salary numeric(10,2), mgr int);
CREATE TABLE dpdept (id int PRIMARY KEY, dname varchar(20));
CREATE VIEW dpv11 AS SELECT DISTINCT dept FROM dpemp;
CREATE VIEW dpv12 AS SELECT name FROM dpemp WHERE EXISTS (SELECT 1 FROM dpdept WHERE dpdept.id = dpemp.dept);
CREATE VIEW dpv13 AS SELECT id, name FROM dpemp UNION ALL SELECT id, dname FROM dpdept ORDER BY 1 LIMIT 5 OFFSET 2;
CREATE VIEW dpv14 AS SELECT count(*) FROM dpemp
-- next seed
CREATE TABLE dpemp (id int PRIMARY KEY, name text, dept int, salary numeric(10,2), mgr int);
CREATE VIEW dpw9 AS SELECT dept, avg(salary) FROM dpemp GROUP BY dept ORDER BY avg(salary) DESC NULLS LAST, 1;
CREATE VIEW dpw10 AS SELECT DISTINCT ON (dept) dept, name FROM dpemp ORDER BY dept, name;
CREATE VIEW dpw11 AS SELECT name, salary * 2 + 1 AS s2, -salary AS neg, salary::int AS si, cast(id AS text) AS t FROM dpemp;
CREATE VIEW dpw12 AS SELECT 1 AS a, 'x' AS b, now() AS c, current_date AS d
-- next seed
CREATE TABLE dpemp (id int PRIMARY KEY, name text, dept int, salary numeric(10,2), mgr int);
CREATE TABLE dpdept (id int PRIMARY KEY, dname varchar(20));
CREATE VIEW dpw17 AS SELECT count(DISTINCT dept) AS nd, sum(salary) FILTER (WHERE dept > 1) AS sf FROM dpemp;
CREATE VIEW dpw18 AS SELECT name, row_number() OVER (PARTITION BY dept ORDER BY salary DESC) AS rn FROM dpemp;
CREATE VIEW dpw19 AS SELECT name FROM dpemp WHERE dept = ANY (SELECT id FROM dpdept) AND salary > ALL (SELECT salary FROM dpemp WHERE dept = 2);
CREATE VIEW dpw20 AS SELECT coalesce(name, 'none') AS n, nullif(dept, 0) AS d, greatest(id, mgr) AS g FROM dpemp LIMIT ALL OFFSET 0
-- next seed
CREATE TABLE dpemp (id int PRIMARY KEY, name text, dept int, salary numeric(10,2), mgr int);
CREATE VIEW dpx9 AS SELECT name || '!' AS n, name ~ 'x' AS m, id::text || name AS c FROM dpemp WHERE name NOT LIKE '%z' AND dept NOT IN (1, 2);
CREATE VIEW dpx6 AS SELECT dept, sum(salary) OVER w FROM dpemp WINDOW w AS (PARTITION BY dept);
CREATE VIEW dpx7 AS SELECT dept FROM dpemp GROUP BY ROLLUP(dept);
CREATE VIEW dpx10 AS SELECT dept, rank() OVER (w ORDER BY salary), sum(salary) OVER w2 FROM dpemp WINDOW w AS (PARTITION BY dept), w2 AS (ORDER BY id)
-- next seed
CREATE TABLE dpemp (id int PRIMARY KEY, name text, dept int, salary numeric(10,2), mgr int);
CREATE VIEW dpv1 AS SELECT id, name FROM dpemp WHERE salary > 0;
CREATE VIEW dpy7 AS SELECT sum(salary) FILTER (WHERE dept = 1) AS s1, string_agg(name, ',' ORDER BY name) AS names, percentile_cont(0.5) WITHIN GROUP (ORDER BY salary) AS med FROM dpemp;
CREATE VIEW dpy8 AS SELECT * FROM dpv1 x WHERE x.id > 0;
CREATE VIEW dpy9 AS SELECT name, salary::numeric(12,4) AS s, 2.50 AS c, 1e10::bigint AS big, '2020-01-01'::date + 1 AS d FROM dpemp;
CREATE SCHEMA dpschema
-- next seed
CREATE VIEW dpv1 AS SELECT id, name FROM dpemp WHERE salary > 0;
CREATE VIEW dpv9 AS SELECT x.a, x.b FROM (SELECT id AS a, name AS b FROM dpemp) x WHERE x.a > 1;
CREATE TABLE dpschema.other (k int, l text);
CREATE VIEW dpschema.ov AS SELECT o.k, e.name FROM dpschema.other o JOIN dpemp e ON e.id = o.k;
SELECT table_name || ':' || replace(view_definition, E'\n', '|') FROM information_schema.views WHERE table_name IN ('dpv1', 'dpv9') ORDER BY table_name;
DROP VIEW dpschema.ov;
DROP TABLE dpschema.other;
DROP SCHEMA dpschema
-- next seed
CREATE VIEW dpx6 AS SELECT dept, sum(salary) OVER w FROM dpemp WINDOW w AS (PARTITION BY dept);
CREATE VIEW dpx7 AS SELECT dept FROM dpemp GROUP BY ROLLUP(dept);
CREATE VIEW dpx10 AS SELECT dept, rank() OVER (w ORDER BY salary), sum(salary) OVER w2 FROM dpemp WINDOW w AS (PARTITION BY dept), w2 AS (ORDER BY id);
CREATE VIEW dpy9 AS SELECT name, salary::numeric(12,4) AS s, 2.50 AS c, 1e10::bigint AS big, '2020-01-01'::date + 1 AS d FROM dpemp;
DROP VIEW dpy9;
DROP VIEW dpx6;
DROP VIEW dpx7;
DROP VIEW dpx10
-- next seed
CREATE VIEW dpx3 AS SELECT g FROM generate_series(1, 3) g;
CREATE VIEW dpx4 AS SELECT * FROM dpemp NATURAL JOIN dpdept;
CREATE VIEW dpx5 AS SELECT s.x FROM generate_series(1, 3) AS s(x) WHERE s.x > 1;
CREATE VIEW dpx8 AS SELECT name FROM dpemp WHERE name SIMILAR TO 'a%' AND dept IS DISTINCT FROM 3 AND (salary > 10) IS NOT TRUE;
DROP VIEW dpx3;
DROP VIEW dpx4;
DROP VIEW dpx5;
DROP VIEW dpx8
-- next seed
CREATE VIEW dpw12 AS SELECT 1 AS a, 'x' AS b, now() AS c, current_date AS d;
CREATE VIEW dpw13 AS SELECT name FROM dpemp WHERE salary BETWEEN 10 AND 20 OR name LIKE 'a%' AND id IN (1, 2, 3);
CREATE VIEW dpw14 AS SELECT dpv1.id FROM dpv1 WHERE dpv1.name IS NOT NULL;
CREATE VIEW dpw15 AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r;
DROP VIEW dpw15;
DROP VIEW dpw14;
DROP VIEW dpw13;
DROP VIEW dpw12
-- next seed
CREATE VIEW dpv14 AS SELECT count(*) FROM dpemp;
CREATE VIEW dpv15 AS SELECT e.id, d.dname FROM dpemp e, dpdept d WHERE e.dept = d.id;
CREATE VIEW dpw1 AS SELECT name, (SELECT max(salary) FROM dpemp e2 WHERE e2.dept = dpemp.dept) AS top FROM dpemp;
CREATE VIEW dpw2(a, b) AS SELECT id, upper(name) FROM dpemp;
DROP VIEW dpw2;
DROP VIEW dpw1;
DROP VIEW dpv15;
DROP VIEW dpv14
-- next seed
CREATE VIEW dpv2 AS SELECT e.name, d.dname FROM dpemp e JOIN dpdept d ON e.dept = d.id;
CREATE VIEW dpv3 AS SELECT dept, count(*) AS n, sum(salary) total FROM dpemp GROUP BY dept HAVING count(*) > 1 ORDER BY dept LIMIT 10;
CREATE VIEW dpv4 AS SELECT id FROM dpemp UNION SELECT id FROM dpdept;
CREATE VIEW dpv5 AS SELECT name FROM dpemp WHERE dept IN (SELECT id FROM dpdept WHERE dname LIKE 'A%');
DROP VIEW dpv5;
DROP VIEW dpv4;
DROP VIEW dpv3;
DROP VIEW dpv2
-- next seed
SELECT obj_description(871, 'pg_proc'), obj_description('int4'::regtype, 'pg_type'), obj_description(11, 'pg_namespace'), obj_description(871);
SELECT obj_description(871, 'pg_class'), obj_description(871, 'no_such_catalog');
CREATE TYPE pdc_mood AS ENUM ('sad', 'happy');
CREATE DOMAIN pdc_pos AS int CHECK (VALUE > 0)
-- next seed
CREATE TYPE pdc_mood AS ENUM ('sad', 'happy');
COMMENT ON TYPE pdc_pos IS 'through TYPE';
COMMENT ON TYPE pdc_mood IS '';
SELECT obj_description('pdc_mood'::regtype, 'pg_type'), obj_description('pdc_pos'::regtype, 'pg_type');
BEGIN
-- next seed
CREATE TABLE pdc_t (a int, b int, c text, UNIQUE (a));
CREATE UNIQUE INDEX pdc_b ON pdc_t (b);
ALTER TABLE pdc_t ADD CONSTRAINT pdc_c_key UNIQUE (c);
SELECT conname, contype FROM pg_constraint WHERE conrelid = 'pdc_t'::regclass
-- next seed
CREATE TABLE pdc_t (a int, b int, c text, UNIQUE (a));
CREATE INDEX pdc_order ON pdc_t (a DESC, b NULLS FIRST, c DESC NULLS LAST);
CREATE INDEX pdc_plain ON pdc_t (a ASC NULLS LAST, b);
SELECT c.relname, array_to_string(i.indoption, ' ') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'pdc_t'::regclass;
SELECT indexdef FROM pg_indexes WHERE tablename = 'pdc_t'
-- next seed
CREATE TABLE pdc_am (a int, t text, j jsonb, arr int[]);
SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_index i ON i.indexrelid = c.oid WHERE i.indrelid = 'pdc_am'::regclass ORDER BY 1, 2;
SELECT pg_get_indexdef('pdc_am_a_t_arr_idx'::regclass, 1, true), pg_get_indexdef('pdc_am_a_t_arr_idx'::regclass, 3, true), pg_get_indexdef('pdc_am_a_t_arr_idx'::regclass, 4, true), array_to_string(indoption, ' ') FROM pg_index WHERE indexrelid = 'pdc_am_a_t_arr_idx'::regclass;
CREATE UNIQUE INDEX ON pdc_am USING hash (t);
CREATE INDEX ON pdc_am USING hash (a, t)
-- next seed
CREATE TABLE pdc_am (a int, t text, j jsonb, arr int[]);
ALTER TABLE pdc_am DROP COLUMN arr;
SELECT indexname FROM pg_indexes WHERE tablename = 'pdc_am';
DROP TABLE pdc_am;
CREATE TABLE pdc_oc (a int, t text, v varchar(5), c char(2))
-- next seed
CREATE TABLE pdc_oc (a int, t text, v varchar(5), c char(2));
DROP TABLE pdc_oc;
CREATE TABLE pdc_coll (a text COLLATE "C", b varchar(3) COLLATE pg_catalog."POSIX", c text[] COLLATE "C", d text COLLATE "default", e int);
CREATE INDEX pdc_coll_b ON pdc_coll (b, a) INCLUDE (d);
SELECT a.attname, a.attcollation FROM pg_attribute a WHERE a.attrelid = 'pdc_coll'::regclass AND a.attnum > 0 ORDER BY a.attnum
-- next seed
CREATE TABLE pdc_coll (a text COLLATE "C", b varchar(3) COLLATE pg_catalog."POSIX", c text[] COLLATE "C", d text COLLATE "default", e int);
DROP TABLE pdc_coll;
CREATE UNLOGGED TABLE pdc_ul (id serial PRIMARY KEY, b int UNIQUE);
CREATE INDEX pdc_ul_b ON pdc_ul (b);
CREATE UNLOGGED TABLE pdc_ul2 AS SELECT 1 AS a
-- next seed
CREATE SEQUENCE dsc_seq;
SELECT nextval('dsc_seq');
SELECT currval('dsc_seq'), lastval();
BEGIN
-- next seed
CREATE SEQUENCE dsc_seq;
DROP SEQUENCE dsc_seq;
CREATE TEMP TABLE dsc_temp (a int);
INSERT INTO dsc_temp VALUES (1), (2);
BEGIN
-- next seed
CREATE TABLE dsc_shadow (v text);
INSERT INTO dsc_shadow VALUES ('permanent');
CREATE TEMP TABLE dsc_shadow (v text);
INSERT INTO dsc_shadow VALUES ('temporary');
SELECT v FROM dsc_shadow
-- next seed
DISCARD ALL;
ROLLBACK;
CREATE TEMP TABLE dsc_all (a int);
CREATE SEQUENCE dsc_all_seq
-- next seed
CREATE TABLE dn (a int, b text, c int);
INSERT INTO dn VALUES (1,'x',3),(1,'y',2),(2,'z',9),(2,NULL,1),(NULL,'n',5),(NULL,'m',4),(3,'q',NULL);
SELECT DISTINCT ON (a) a, b, c FROM dn ORDER BY a, c;
SELECT DISTINCT ON (a) a, b FROM dn ORDER BY a, c DESC
-- next seed
CREATE TABLE dn (a int, b text, c int);
INSERT INTO dn VALUES (1,'x',3),(1,'y',2),(2,'z',9),(2,NULL,1),(NULL,'n',5),(NULL,'m',4),(3,'q',NULL);
SELECT DISTINCT ON (a) a, c FROM dn ORDER BY a DESC, c DESC;
SELECT DISTINCT ON (a) a, c FROM dn ORDER BY c, a;
SELECT DISTINCT ON (a, c) a, c FROM dn ORDER BY a, b;
SELECT count(*) FROM (SELECT DISTINCT ON (a) a FROM dn) s
-- next seed
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE DOMAIN nn AS text NOT NULL DEFAULT 'x';
CREATE DOMAIN d2 AS int CONSTRAINT c1 CHECK (VALUE > 0) CONSTRAINT c2 CHECK (VALUE < 100) DEFAULT 5;
CREATE TABLE dom_t (a posint, b nn, c d2)
-- next seed
CREATE TABLE dom_t (a posint, b nn, c d2);
INSERT INTO dom_t VALUES (1, 'a', 3);
INSERT INTO dom_t VALUES (0, 'a', 3);
INSERT INTO dom_t VALUES (1, NULL, 3);
INSERT INTO dom_t VALUES (1, 'a', 300);
INSERT INTO dom_t (a) VALUES (2), (NULL);
SELECT a, b, c FROM dom_t ORDER BY a NULLS LAST;
INSERT INTO dom_t (a) VALUES (10), (-10);
INSERT INTO dom_t (a) SELECT g - 2 FROM generate_series(1, 3) g
-- next seed
SELECT NULL::nn;
SELECT x::posint FROM (VALUES (3), (0)) v(x);
SELECT x::posint FROM (VALUES (3), (NULL)) v(x) ORDER BY 1;
SELECT 'abc'::posint
-- next seed
CREATE TABLE dom_u (id int PRIMARY KEY, c d2 DEFAULT 50, v varchar(5));
INSERT INTO dom_u (id) VALUES (1);
INSERT INTO dom_u VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET c = -1;
INSERT INTO dom_u VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET c = excluded.c + 1;
CREATE DOMAIN strict_nn AS int NOT NULL;
ALTER TABLE dom_u ADD COLUMN f strict_nn;
CREATE TABLE dom_v AS SELECT NULL::strict_nn AS x;
CREATE DOMAIN code AS varchar(3) CHECK (VALUE ~ '^[A-Z]+$')
-- next seed
CREATE TYPE dom_mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN good_mood AS dom_mood CHECK (VALUE > 'sad');
CREATE TABLE dom_moods (m good_mood);
INSERT INTO dom_moods VALUES ('happy'), ('ok')
-- next seed
CREATE TABLE dom_t (a posint, b nn, c d2);
INSERT INTO dom_t VALUES (1, 'a', 3);
INSERT INTO dom_t VALUES (0, 'a', 3);
INSERT INTO dom_t VALUES (1, NULL, 3);
INSERT INTO dom_t VALUES (1, 'a', 300);
INSERT INTO dom_t (a) VALUES (2), (NULL);
INSERT INTO dom_t (a) VALUES (10), (-10);
INSERT INTO dom_t (a) SELECT g - 2 FROM generate_series(1, 3) g;
INSERT INTO dom_t (a) VALUES (5000);
INSERT INTO dom_t (a) VALUES (500);
ALTER DOMAIN posint ADD CONSTRAINT small CHECK (VALUE < 10);
ALTER DOMAIN posint ADD CONSTRAINT big CHECK (VALUE > 6) NOT VALID;
INSERT INTO dom_t (a) VALUES (6);
ALTER DOMAIN posint DROP CONSTRAINT big
-- next seed
CREATE TABLE dom_t (a posint, b nn, c d2);
INSERT INTO dom_t VALUES (1, 'a', 3);
INSERT INTO dom_t VALUES (0, 'a', 3);
INSERT INTO dom_t VALUES (1, NULL, 3);
INSERT INTO dom_t VALUES (1, 'a', 300);
INSERT INTO dom_t (a) VALUES (2), (NULL);
INSERT INTO dom_t (a) VALUES (10), (-10);
INSERT INTO dom_t (a) SELECT g - 2 FROM generate_series(1, 3) g;
INSERT INTO dom_t (a) VALUES (5000);
INSERT INTO dom_t (a) VALUES (500);
INSERT INTO dom_t (a) VALUES (6);
INSERT INTO dom_t (a) VALUES (5000);
INSERT INTO dom_t (b) VALUES (NULL);
ALTER DOMAIN nn DROP DEFAULT;
INSERT INTO dom_t (c) VALUES (7);
SELECT a, b, c FROM dom_t ORDER BY a NULLS LAST, b NULLS LAST, c;
DELETE FROM dom_t WHERE b IS NULL
-- next seed
CREATE TABLE dom_u (id int PRIMARY KEY, c d2 DEFAULT 50, v varchar(5));
INSERT INTO dom_u (id) VALUES (1);
INSERT INTO dom_u VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET c = -1;
INSERT INTO dom_u VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET c = excluded.c + 1;
ALTER DOMAIN d2 RENAME TO small_int;
INSERT INTO dom_u (id, c) VALUES (2, 0);
CREATE DOMAIN dbad AS int DEFAULT 1 DEFAULT 2;
CREATE DOMAIN dbad AS int NOT NULL NULL
-- next seed
CREATE TABLE dom_t (a posint, b nn, c d2);
INSERT INTO dom_t VALUES (1, 'a', 3);
INSERT INTO dom_t VALUES (0, 'a', 3);
INSERT INTO dom_t VALUES (1, NULL, 3);
INSERT INTO dom_t VALUES (1, 'a', 300);
INSERT INTO dom_t (a) VALUES (2), (NULL);
INSERT INTO dom_t (a) VALUES (10), (-10);
INSERT INTO dom_t (a) SELECT g - 2 FROM generate_series(1, 3) g;
CREATE TYPE dom_mood AS ENUM ('sad', 'ok', 'happy');
INSERT INTO dom_t (a) VALUES (5000);
INSERT INTO dom_t (a) VALUES (500);
INSERT INTO dom_t (a) VALUES (6);
INSERT INTO dom_t (a) VALUES (5000);
INSERT INTO dom_t (b) VALUES (NULL);
INSERT INTO dom_t (c) VALUES (7);
INSERT INTO dom_t (a) VALUES (1);
DROP DOMAIN posint;
DROP DOMAIN posint CASCADE;
SELECT b, c FROM dom_t ORDER BY b, c;
DROP TYPE dom_mood CASCADE
-- next seed
CREATE SCHEMA drc;
CREATE TABLE drc.books (id int PRIMARY KEY, author int NOT NULL, title text NOT NULL, published date, CONSTRAINT books_author_title UNIQUE (author, title));
CREATE INDEX books_published_desc ON drc.books (published DESC);
CREATE INDEX books_title_author ON drc.books (title, author)
-- next seed
CREATE TABLE drc.codes (id int PRIMARY KEY, code text CONSTRAINT code_is_unique UNIQUE, alt text UNIQUE);
SELECT conname, pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint WHERE conrelid = 'drc.codes'::regclass ORDER BY conname;
SELECT * FROM information_schema._pg_expandarray(ARRAY[10, 20, 30]) ORDER BY n;
SELECT information_schema._pg_expandarray(ARRAY['a', 'b'])::text, (information_schema._pg_expandarray(ARRAY['a', 'b'])).n, 7;
SELECT (information_schema._pg_expandarray(ARRAY['p', 'q'])).x, (information_schema._pg_expandarray(ARRAY['p', 'q'])).x || '!'
-- next seed
CREATE TABLE drc.books (id int PRIMARY KEY, author int NOT NULL, title text NOT NULL, published date, CONSTRAINT books_author_title UNIQUE (author, title));
SELECT a.attname, i.idx FROM (SELECT indrelid, indkey, generate_subscripts(indkey, 1) idx FROM pg_index WHERE indrelid = 'drc.books'::regclass AND indexrelid = 'drc.books_title_author'::regclass) i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[i.idx] ORDER BY i.idx;
SELECT generate_subscripts(indkey, 1, true), generate_subscripts(ARRAY[7, 8], 1, true) FROM pg_index WHERE indexrelid = 'drc.books_title_author'::regclass;
SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indexrelid = 'drc.books_title_author'::regclass;
SELECT count(*) FROM pg_catalog.pg_index i, unnest(i.indkey) k WHERE i.indrelid = 'drc.books'::regclass
-- next seed
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE en_people (name text, m mood);
INSERT INTO en_people VALUES ('ann', 'happy'), ('bob', 'sad'), ('cid', 'ok'), ('dot', NULL), ('eve', 'happy');
SELECT name, m FROM en_people ORDER BY m, name
-- next seed
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE en_people (name text, m mood);
INSERT INTO en_people VALUES ('ann', 'happy'), ('bob', 'sad'), ('cid', 'ok'), ('dot', NULL), ('eve', 'happy');
SELECT 'sad'::mood < 'happy', 'ok'::mood >= 'happy', 'ok'::mood = 'ok', 'ok'::mood <> 'sad';
SELECT min(m), max(m) FROM en_people;
SELECT m, count(*) FROM en_people GROUP BY m ORDER BY m;
SELECT DISTINCT m FROM en_people ORDER BY m
-- next seed
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE en_people (name text, m mood);
INSERT INTO en_people VALUES ('ann', 'happy'), ('bob', 'sad'), ('cid', 'ok'), ('dot', NULL), ('eve', 'happy');
CREATE TABLE en_levels (m mood PRIMARY KEY, score int);
INSERT INTO en_levels VALUES ('sad', 1), ('ok', 5), ('happy', 10);
SELECT p.name, l.score FROM en_people p JOIN en_levels l ON p.m = l.m ORDER BY p.name;
INSERT INTO en_levels VALUES ('ok', 6)
-- next seed
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE en_people (name text, m mood);
INSERT INTO en_people VALUES ('ann', 'happy'), ('bob', 'sad'), ('cid', 'ok'), ('dot', NULL), ('eve', 'happy');
INSERT INTO en_people VALUES ('fay', 'grumpy');
SELECT * FROM en_people WHERE m = name;
INSERT INTO en_people (m) SELECT name FROM en_people;
CREATE TYPE color AS ENUM ('red', 'green');
SELECT 'ok'::mood = 'red'::color
-- next seed
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE en_people (name text, m mood);
INSERT INTO en_people VALUES ('ann', 'happy'), ('bob', 'sad'), ('cid', 'ok'), ('dot', NULL), ('eve', 'happy');
INSERT INTO en_people VALUES ('fay', 'grumpy');
INSERT INTO en_people (m) SELECT name FROM en_people;
CREATE TABLE en_moods (id int, ms mood[]);
INSERT INTO en_moods VALUES (1, '{sad,happy}'), (2, ARRAY['ok']::mood[]), (3, NULL);
SELECT id, unnest(ms) AS m FROM en_moods ORDER BY m, id;
SELECT id FROM en_moods WHERE ms = '{ok}';
PREPARE en_by_mood(mood) AS SELECT name FROM en_people WHERE m = $1 ORDER BY name
-- next seed
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE en_people (name text, m mood);
INSERT INTO en_people VALUES ('ann', 'happy'), ('bob', 'sad'), ('cid', 'ok'), ('dot', NULL), ('eve', 'happy');
INSERT INTO en_people VALUES ('fay', 'grumpy');
INSERT INTO en_people (m) SELECT name FROM en_people;
ALTER TYPE mood ADD VALUE 'ok';
ALTER TYPE mood ADD VALUE 'x' BEFORE 'nope';
SELECT enum_range(NULL::mood);
INSERT INTO en_people VALUES ('fay', 'meh'), ('gus', 'ecstatic'), ('hal', 'blue')
-- next seed
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE en_people (name text, m mood);
INSERT INTO en_people VALUES ('ann', 'happy'), ('bob', 'sad'), ('cid', 'ok'), ('dot', NULL), ('eve', 'happy');
INSERT INTO en_people VALUES ('fay', 'grumpy');
INSERT INTO en_people (m) SELECT name FROM en_people;
CREATE TYPE color AS ENUM ('red', 'green');
INSERT INTO en_people VALUES ('fay', 'meh'), ('gus', 'ecstatic'), ('hal', 'blue');
SELECT 'ok'::mood;
ALTER TYPE mood RENAME TO feeling;
ALTER TYPE feeling RENAME TO color;
SELECT name FROM en_people WHERE m = 'fine'::feeling ORDER BY name
-- next seed
SET search_path TO en_s, public;
SELECT 'small'::size, 'sad'::feeling;
CREATE TYPE shade AS ENUM ('dark');
SELECT 'dark'::en_s.shade
-- next seed
CREATE TABLE en_people (name text, m mood);
INSERT INTO en_people VALUES ('ann', 'happy'), ('bob', 'sad'), ('cid', 'ok'), ('dot', NULL), ('eve', 'happy');
CREATE TABLE en_levels (m mood PRIMARY KEY, score int);
INSERT INTO en_levels VALUES ('sad', 1), ('ok', 5), ('happy', 10);
INSERT INTO en_levels VALUES ('ok', 6);
INSERT INTO en_people VALUES ('fay', 'grumpy');
INSERT INTO en_people (m) SELECT name FROM en_people;
INSERT INTO en_people VALUES ('fay', 'meh'), ('gus', 'ecstatic'), ('hal', 'blue');
CREATE TYPE en_people AS ENUM ('a');
DROP TABLE en_levels;
DROP TYPE feeling CASCADE;
SELECT name FROM en_people ORDER BY name;
DROP TYPE feeling
-- next seed
CREATE TABLE xi (id int, email text, slug text, deleted_at timestamp, a int, b int, tz timestamptz);
CREATE UNIQUE INDEX xi_lower ON xi (lower(email));
CREATE UNIQUE INDEX xi_slug ON xi (slug) WHERE deleted_at IS NULL;
CREATE INDEX ON xi ((a + b), lower(slug) DESC, id) WHERE a > 0 AND b < 5
-- next seed
CREATE TABLE xi (id int, email text, slug text, deleted_at timestamp, a int, b int, tz timestamptz);
SELECT c.relname, i.indkey::text, pg_get_expr(i.indexprs, i.indrelid), pg_get_expr(i.indpred, i.indrelid), pg_get_expr(i.indpred, i.indrelid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'xi'::regclass ORDER BY c.relname;
SELECT c.relname, pg_get_indexdef(i.indexrelid), pg_get_indexdef(i.indexrelid, 1, true), pg_get_indexdef(i.indexrelid, 1, false), pg_get_indexdef(i.indexrelid, 2, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'xi'::regclass ORDER BY c.relname;
SELECT c.relname, pg_get_indexdef(i.indexrelid, 0, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'xi'::regclass ORDER BY c.relname;
SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'xi' ORDER BY indexname
-- next seed
CREATE TABLE xi (id int, email text, slug text, deleted_at timestamp, a int, b int, tz timestamptz);
CREATE INDEX ON xi ((tz + interval '1 day'));
CREATE INDEX ON xi ((count(*)));
CREATE INDEX ON xi (email) WHERE count(*) > 1;
CREATE INDEX ON xi ((sum(a) OVER ()))
-- next seed
CREATE TABLE xi (id int, email text, slug text, deleted_at timestamp, a int, b int, tz timestamptz);
INSERT INTO xi VALUES (1, 'A@b.c', 's', NULL, 1, 2);
INSERT INTO xi VALUES (2, 'a@B.c', 't', NULL, 1, 2);
INSERT INTO xi VALUES (2, 'b@b.c', 't', NULL, 1, 2);
UPDATE xi SET email = 'B@B.C' WHERE id = 1;
UPDATE xi SET email = 'A@B.C' WHERE id = 1
-- next seed
CREATE TABLE xi (id int, email text, slug text, deleted_at timestamp, a int, b int, tz timestamptz);
INSERT INTO xi VALUES (1, 'A@b.c', 's', NULL, 1, 2);
INSERT INTO xi VALUES (2, 'a@B.c', 't', NULL, 1, 2);
INSERT INTO xi VALUES (2, 'b@b.c', 't', NULL, 1, 2);
INSERT INTO xi VALUES (3, 'c', 's', NULL, 1, 2);
INSERT INTO xi VALUES (3, 'c', 's', '2020-01-01', 1, 2), (4, 'd', 's', '2020-01-02', 1, 2);
INSERT INTO xi VALUES (5, NULL, 'n', NULL, 1, 2), (6, NULL, 'm', NULL, 1, 2);
INSERT INTO xi VALUES (7, 'a@b.C', 'q', NULL, 1, 2) ON CONFLICT (lower(email)) DO UPDATE SET slug = excluded.slug;
INSERT INTO xi VALUES (8, 'w', 's', NULL, 1, 2) ON CONFLICT (slug) WHERE deleted_at IS NULL DO NOTHING;
INSERT INTO xi VALUES (9, 'w2', 'q', NULL, 1, 2) ON CONFLICT (slug) WHERE deleted_at IS NULL AND a > 0 DO UPDATE SET email = 'hit';
INSERT INTO xi VALUES (10, 'w3', 's', '2021-01-01', 1, 2) ON CONFLICT (slug) WHERE deleted_at IS NULL DO NOTHING;
INSERT INTO xi VALUES (11, 'w', 's', NULL, 1, 2) ON CONFLICT (slug) DO NOTHING;
INSERT INTO xi VALUES (11, 'w', 's', NULL, 1, 2) ON CONFLICT (email) DO NOTHING;
INSERT INTO xi VALUES (11, 'w', 's', NULL, 1, 2) ON CONFLICT (upper(email)) DO NOTHING
-- next seed
CREATE TABLE xp (a int, b text, c int, d timestamp);
INSERT INTO xp VALUES (1, 'q', 150, NULL);
INSERT INTO xp VALUES (9, 'q', 150) ON CONFLICT (b) WHERE c > 101 DO NOTHING;
INSERT INTO xp VALUES (9, 'q', 150) ON CONFLICT (b) WHERE c >= 100 DO NOTHING;
INSERT INTO xp VALUES (9, 'q', 150) ON CONFLICT (b) WHERE 200 < c DO NOTHING;
INSERT INTO xp VALUES (9, 'q', 150) ON CONFLICT (b) WHERE c < 200 DO NOTHING;
INSERT INTO xp VALUES (1, 'q', 150) ON CONFLICT (a) WHERE d IS NULL AND c = 5 DO NOTHING;
INSERT INTO xp VALUES (1, 'q', 150) ON CONFLICT (a) WHERE c > 6 DO NOTHING
-- next seed
CREATE TABLE xi (id int, email text, slug text, deleted_at timestamp, a int, b int, tz timestamptz);
INSERT INTO xi VALUES (1, 'A@b.c', 's', NULL, 1, 2);
INSERT INTO xi VALUES (2, 'a@B.c', 't', NULL, 1, 2);
INSERT INTO xi VALUES (2, 'b@b.c', 't', NULL, 1, 2);
INSERT INTO xi VALUES (3, 'c', 's', NULL, 1, 2);
INSERT INTO xi VALUES (3, 'c', 's', '2020-01-01', 1, 2), (4, 'd', 's', '2020-01-02', 1, 2);
INSERT INTO xi VALUES (5, NULL, 'n', NULL, 1, 2), (6, NULL, 'm', NULL, 1, 2);
INSERT INTO xi VALUES (7, 'a@b.C', 'q', NULL, 1, 2) ON CONFLICT (lower(email)) DO UPDATE SET slug = excluded.slug;
INSERT INTO xi VALUES (8, 'w', 's', NULL, 1, 2) ON CONFLICT (slug) WHERE deleted_at IS NULL DO NOTHING;
INSERT INTO xi VALUES (9, 'w2', 'q', NULL, 1, 2) ON CONFLICT (slug) WHERE deleted_at IS NULL AND a > 0 DO UPDATE SET email = 'hit';
INSERT INTO xi VALUES (10, 'w3', 's', '2021-01-01', 1, 2) ON CONFLICT (slug) WHERE deleted_at IS NULL DO NOTHING;
INSERT INTO xi VALUES (11, 'w', 's', NULL, 1, 2) ON CONFLICT (slug) DO NOTHING;
INSERT INTO xi VALUES (11, 'w', 's', NULL, 1, 2) ON CONFLICT (email) DO NOTHING;
INSERT INTO xi VALUES (11, 'w', 's', NULL, 1, 2) ON CONFLICT (upper(email)) DO NOTHING;
INSERT INTO xi VALUES (11, 'w4', 'u', NULL, 1, 2) ON CONFLICT (lower(email)) DO NOTHING;
SELECT id, email, slug, deleted_at FROM xi ORDER BY id;
CREATE UNIQUE INDEX xi_ab ON xi ((a + b));
CREATE UNIQUE INDEX xi_ab ON xi ((a + b)) WHERE id > 9;
CREATE TABLE xg (n int, s text)
-- next seed
CREATE TABLE xi (id int, email text, slug text, deleted_at timestamp, a int, b int, tz timestamptz);
INSERT INTO xi VALUES (1, 'A@b.c', 's', NULL, 1, 2);
INSERT INTO xi VALUES (2, 'a@B.c', 't', NULL, 1, 2);
INSERT INTO xi VALUES (2, 'b@b.c', 't', NULL, 1, 2);
INSERT INTO xi VALUES (3, 'c', 's', NULL, 1, 2);
INSERT INTO xi VALUES (3, 'c', 's', '2020-01-01', 1, 2), (4, 'd', 's', '2020-01-02', 1, 2);
INSERT INTO xi VALUES (5, NULL, 'n', NULL, 1, 2), (6, NULL, 'm', NULL, 1, 2);
INSERT INTO xi VALUES (7, 'a@b.C', 'q', NULL, 1, 2) ON CONFLICT (lower(email)) DO UPDATE SET slug = excluded.slug;
INSERT INTO xi VALUES (8, 'w', 's', NULL, 1, 2) ON CONFLICT (slug) WHERE deleted_at IS NULL DO NOTHING;
INSERT INTO xi VALUES (9, 'w2', 'q', NULL, 1, 2) ON CONFLICT (slug) WHERE deleted_at IS NULL AND a > 0 DO UPDATE SET email = 'hit';
INSERT INTO xi VALUES (10, 'w3', 's', '2021-01-01', 1, 2) ON CONFLICT (slug) WHERE deleted_at IS NULL DO NOTHING;
INSERT INTO xi VALUES (11, 'w', 's', NULL, 1, 2) ON CONFLICT (slug) DO NOTHING;
INSERT INTO xi VALUES (11, 'w', 's', NULL, 1, 2) ON CONFLICT (email) DO NOTHING;
INSERT INTO xi VALUES (11, 'w', 's', NULL, 1, 2) ON CONFLICT (upper(email)) DO NOTHING;
INSERT INTO xi VALUES (11, 'w4', 'u', NULL, 1, 2) ON CONFLICT (lower(email)) DO NOTHING;
SELECT pg_get_indexdef('xi_lower'::regclass);
INSERT INTO xi (id, mail, slug) VALUES (12, 'B@b.C', 'z');
ALTER TABLE xi RENAME COLUMN deleted_at TO gone_at;
SELECT pg_get_indexdef('xi_slug'::regclass)
-- next seed
CREATE TABLE xw (a int, b text, c int);
INSERT INTO xw VALUES (1, 'x', 0), (2, 'X', 1);
BEGIN;
INSERT INTO xw VALUES (3, 'y', 2), (4, 'Y', 3)
-- next seed
CREATE TABLE xw (a int, b text, c int);
INSERT INTO xw VALUES (1, 'x', 0), (2, 'X', 1);
INSERT INTO xw VALUES (3, 'y', 2), (4, 'Y', 3);
INSERT INTO xw VALUES (0, 'x', 1);
INSERT INTO xw VALUES (0, NULL, 1), (0, NULL, 1);
INSERT INTO xw VALUES (5, 'z', 0), (6, 'z', 0);
INSERT INTO xw VALUES (7, 'z', 100), (8, 'z', 0), (9, 'z', 100);
DROP INDEX xw_div;
ALTER INDEX xw_ab RENAME TO xw_ab2
-- next seed
SELECT extract(julian FROM timestamp '2020-01-01 00:00')::text, extract(julian FROM timestamp '2020-01-01 12:00')::text, extract(julian FROM timestamp '2020-01-01 06:00:00.000001')::text, extract(julian FROM timestamp '2020-01-01 23:59:59.999999')::text;
SELECT date_part('julian', timestamp '2020-01-01 00:00')::text, date_part('julian', timestamp '2020-01-01 12:00')::text, date_part('julian', timestamp '2020-01-01 06:00:00.000001')::text, date_part('julian', timestamp '2020-01-01 23:59:59.999999')::text;
SELECT extract(j FROM date '2020-01-01')::text, date_part('j', date '2020-01-01')::text, pg_typeof(extract(julian FROM timestamp '2020-01-01')), pg_typeof(date_part('julian', timestamp '2020-01-01'));
SELECT extract(julian FROM timestamp '0044-03-15 12:00 BC')::text, extract(julian FROM timestamp '4714-11-24 00:00 BC')::text, extract(julian FROM timestamp '4714-11-24 00:00:00.5 BC')::text
-- next seed
CREATE TABLE jt (id int, ts timestamp, tz timestamptz);
INSERT INTO jt VALUES (1, '1970-01-01 00:00:00', '1970-01-01 00:00:00+00'), (2, '1999-12-31 23:59:59.5', '1999-12-31 23:59:59.5+00'), (3, '2000-02-29 01:02:03.456789', '2000-02-29 01:02:03.456789-08'), (4, '1582-10-04 18:00', '1582-10-15 18:00+01'), (5, '0001-01-01 00:00:00.000001 BC', '0001-01-01 00:00:00.000001+00 BC'), (6, '2038-01-19 03:14:07.999999', '2038-01-19 03:14:07.999999+05:30'), (7, NULL, NULL), (8, '1969-12-31 23:59:59.999999', '1969-12-31 23:59:59.999999+00');
INSERT INTO jt SELECT 100 + g, timestamp '2001-03-04 05:06:07.891011' + g * interval '7 hours 13 minutes 0.123457 seconds', timestamptz '2001-03-04 05:06:07.891011+00' + g * interval '1 day 3 hours 0.000013 seconds' FROM generate_series(1, 40) g;
SET TimeZone = 'UTC';
SELECT id, extract(julian FROM ts)::text, date_part('julian', ts)::text, extract(julian FROM tz)::text, date_part('julian', tz)::text FROM jt ORDER BY id
-- next seed
CREATE TABLE jt (id int, ts timestamp, tz timestamptz);
INSERT INTO jt VALUES (1, '1970-01-01 00:00:00', '1970-01-01 00:00:00+00'), (2, '1999-12-31 23:59:59.5', '1999-12-31 23:59:59.5+00'), (3, '2000-02-29 01:02:03.456789', '2000-02-29 01:02:03.456789-08'), (4, '1582-10-04 18:00', '1582-10-15 18:00+01'), (5, '0001-01-01 00:00:00.000001 BC', '0001-01-01 00:00:00.000001+00 BC'), (6, '2038-01-19 03:14:07.999999', '2038-01-19 03:14:07.999999+05:30'), (7, NULL, NULL), (8, '1969-12-31 23:59:59.999999', '1969-12-31 23:59:59.999999+00');
INSERT INTO jt SELECT 100 + g, timestamp '2001-03-04 05:06:07.891011' + g * interval '7 hours 13 minutes 0.123457 seconds', timestamptz '2001-03-04 05:06:07.891011+00' + g * interval '1 day 3 hours 0.000013 seconds' FROM generate_series(1, 40) g;
SELECT count(*), sum(extract(julian FROM ts) - extract(julian FROM ts::date))::text FROM jt;
SELECT floor(extract(julian FROM ts))::text, count(*) FROM jt WHERE ts > '2001-03-10' GROUP BY 1 ORDER BY 1 LIMIT 5;
RESET TimeZone;
DROP TABLE jt
-- next seed
CREATE TABLE ft (a int, b int, c text);
INSERT INTO ft VALUES (1,1,'x'),(1,2,'y'),(2,3,'x'),(2,4,'x'),(2,5,'y'),(3,6,'z'),(NULL,7,'n'),(NULL,8,'n');
CREATE TABLE fbig AS SELECT i, i / 100 AS k FROM generate_series(1, 2000) i;
SELECT a, b FROM ft ORDER BY a FETCH FIRST 3 ROWS WITH TIES
-- next seed
CREATE TABLE ft (a int, b int, c text);
INSERT INTO ft VALUES (1,1,'x'),(1,2,'y'),(2,3,'x'),(2,4,'x'),(2,5,'y'),(3,6,'z'),(NULL,7,'n'),(NULL,8,'n');
SELECT a, b FROM ft ORDER BY a OFFSET 2 ROWS FETCH NEXT 1 ROW WITH TIES;
SELECT a, b FROM ft ORDER BY a DESC NULLS FIRST FETCH FIRST 1 ROW WITH TIES;
SELECT a, b FROM ft ORDER BY a DESC NULLS LAST FETCH FIRST 1 ROW WITH TIES;
SELECT a, b FROM ft ORDER BY a, b FETCH FIRST 3 ROWS WITH TIES
-- next seed
CREATE TABLE ft (a int, b int, c text);
INSERT INTO ft VALUES (1,1,'x'),(1,2,'y'),(2,3,'x'),(2,4,'x'),(2,5,'y'),(3,6,'z'),(NULL,7,'n'),(NULL,8,'n');
CREATE TABLE fbig AS SELECT i, i / 100 AS k FROM generate_series(1, 2000) i;
SELECT a, b FROM ft WHERE a IN (SELECT a FROM ft ORDER BY a FETCH FIRST 1 ROW WITH TIES) ORDER BY b;
SELECT count(*), min(i), max(i) FROM (SELECT i FROM fbig ORDER BY k FETCH FIRST 150 ROWS WITH TIES) s;
SELECT count(*), count(DISTINCT k), max(k) FROM (SELECT i, k FROM fbig ORDER BY k OFFSET 999 FETCH FIRST 1 ROWS WITH TIES) s;
SELECT count(*), min(i), count(DISTINCT k) FROM (SELECT i, k FROM fbig ORDER BY k DESC OFFSET 50 FETCH FIRST 1000 ROWS WITH TIES) s
-- next seed
CREATE TABLE fc(i2 smallint, i4 integer, i8 bigint, d date, ts timestamp, n numeric(30,2), m numeric(15,2));
INSERT INTO fc VALUES (1, 10, 100, '1994-01-01', '1994-01-01 10:00', 12345678901234567890.12, 0.05), (2, 20, 200, '1994-06-30', '1994-06-30 00:00', -12345678901234567890.12, 0.06), (3, NULL, 300, '1995-01-01', NULL, 0.07, 0.07), (NULL, 40, NULL, NULL, '1995-01-01 00:00', NULL, NULL), (-5, -50, -500, '1993-12-31', '1993-12-31 23:59:59', -0.01, 0.08), (5, 0, 0, '1994-12-31', '1994-12-31 00:00', 0, 24);
SELECT (SELECT count(*) FROM fc WHERE i4 = 20), (SELECT count(*) FROM fc WHERE i4 <> 20), (SELECT count(*) FROM fc WHERE i4 < 20), (SELECT count(*) FROM fc WHERE i4 <= 20), (SELECT count(*) FROM fc WHERE i4 > 0), (SELECT count(*) FROM fc WHERE i4 >= 0);
SELECT i2 FROM fc WHERE i2 >= 2 AND i2 < 5
-- next seed
CREATE TABLE fp (id int PRIMARY KEY, k int UNIQUE, n int);
CREATE TABLE fc (id int, pid int REFERENCES fp);
INSERT INTO fp VALUES (1, 10, 0), (2, 20, 0), (3, 30, 0);
INSERT INTO fc VALUES (1, 1), (2, NULL), (3, 2)
-- next seed
CREATE TABLE fp (id int PRIMARY KEY, k int UNIQUE, n int);
INSERT INTO fp VALUES (1, 10, 0), (2, 20, 0), (3, 30, 0);
DELETE FROM fp WHERE id = 3;
UPDATE fp SET id = 9 WHERE id = 2;
UPDATE fp SET n = n + 1;
INSERT INTO fp VALUES (4, 40, 0)
-- next seed
CREATE TABLE fp (id int PRIMARY KEY, k int UNIQUE, n int);
INSERT INTO fp VALUES (1, 10, 0), (2, 20, 0), (3, 30, 0);
INSERT INTO fp VALUES (4, 40, 0);
CREATE TABLE fc2 (a int, b int, CONSTRAINT fk FOREIGN KEY (a) REFERENCES fp (k) ON DELETE CASCADE ON UPDATE CASCADE);
INSERT INTO fc2 VALUES (10, 1), (10, 2), (20, 3), (NULL, 4);
UPDATE fp SET k = 11 WHERE k = 10;
SELECT * FROM fc2 ORDER BY b
-- next seed
CREATE TABLE fp (id int PRIMARY KEY, k int UNIQUE, n int);
INSERT INTO fp VALUES (1, 10, 0), (2, 20, 0), (3, 30, 0);
INSERT INTO fp VALUES (4, 40, 0);
CREATE TABLE fc3 (a int DEFAULT 3 REFERENCES fp ON DELETE SET DEFAULT ON UPDATE SET NULL, b int);
INSERT INTO fc3 VALUES (2, 1), (3, 2);
INSERT INTO fp VALUES (5, 50, 0);
INSERT INTO fc3 VALUES (5, 3);
DELETE FROM fp WHERE id = 5;
SELECT * FROM fc3 ORDER BY b
-- next seed
CREATE TABLE fp (id int PRIMARY KEY, k int UNIQUE, n int);
INSERT INTO fp VALUES (1, 10, 0), (2, 20, 0), (3, 30, 0);
INSERT INTO fp VALUES (4, 40, 0);
INSERT INTO fp VALUES (5, 50, 0);
CREATE TABLE ftree (id int PRIMARY KEY, parent int REFERENCES ftree ON DELETE CASCADE);
INSERT INTO ftree VALUES (1, NULL), (2, 1), (3, 2), (4, 1);
INSERT INTO ftree VALUES (5, 6);
DELETE FROM ftree WHERE id = 2;
SELECT * FROM ftree ORDER BY id;
CREATE TABLE fu (id int PRIMARY KEY, pid int REFERENCES fp)
-- next seed
CREATE TABLE fp (id int PRIMARY KEY, k int UNIQUE, n int);
INSERT INTO fp VALUES (1, 10, 0), (2, 20, 0), (3, 30, 0);
INSERT INTO fp VALUES (4, 40, 0);
INSERT INTO fp VALUES (5, 50, 0);
CREATE TABLE fu (id int PRIMARY KEY, pid int REFERENCES fp);
INSERT INTO fu VALUES (1, 99) ON CONFLICT (id) DO NOTHING;
INSERT INTO fu VALUES (1, 3) ON CONFLICT (id) DO NOTHING;
INSERT INTO fu VALUES (1, 98) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid;
INSERT INTO fu VALUES (1, 22) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid;
SELECT * FROM fu;
BEGIN;
INSERT INTO fp VALUES (7, 70, 0);
INSERT INTO fu VALUES (2, 7)
-- next seed
CREATE TABLE fp (id int PRIMARY KEY, k int UNIQUE, n int);
INSERT INTO fp VALUES (1, 10, 0), (2, 20, 0), (3, 30, 0);
INSERT INTO fp VALUES (4, 40, 0);
INSERT INTO fp VALUES (5, 50, 0);
CREATE TABLE fu (id int PRIMARY KEY, pid int REFERENCES fp);
INSERT INTO fu VALUES (1, 99) ON CONFLICT (id) DO NOTHING;
INSERT INTO fu VALUES (1, 3) ON CONFLICT (id) DO NOTHING;
INSERT INTO fu VALUES (1, 98) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid;
INSERT INTO fu VALUES (1, 22) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid;
INSERT INTO fp VALUES (7, 70, 0);
INSERT INTO fu VALUES (2, 7);
INSERT INTO fp VALUES (1, 10, 0);
INSERT INTO fu VALUES (1, 1);
SELECT count(*) FROM fu;
DROP TABLE fp;
DROP TABLE fp CASCADE;
INSERT INTO fu VALUES (5, 12345)
-- next seed
CREATE TABLE fp2 (id int PRIMARY KEY);
INSERT INTO fp2 VALUES (1), (2);
CREATE TABLE fc5 (id int, pid int);
INSERT INTO fc5 VALUES (1, 1), (2, 5);
ALTER TABLE fp2 DROP CONSTRAINT fp2_pkey;
ALTER TABLE fp2 DROP COLUMN id;
ALTER TABLE fc5 DROP CONSTRAINT fk5;
INSERT INTO fc5 VALUES (3, 3)
-- next seed
create table fn_t (id int, s text, p text, n numeric, f float8, ts timestamp, iv interval);
insert into fn_t values
  (1, 'Hello World', 'o', 12.345, 0.5, '2024-03-05 14:07:09.123456', '1 day 02:03:04'),
  (2, 'héllo wörld', 'l+', -7.5, -1.25, '1999-12-31 23:59:59', '-1 mon 3 days'),
  (3, '', 'x*', 0, 100, '2000-02-29 00:00:00', '0'),
  (4, null, null, null, null, null, null),
  (5, 'a,b,c', ',', 1e10, 1e-10, '0044-03-15 12:00:00 BC', '15 mons');
select split_part('a,b,c', ',', 2), split_part('a,b,c', ',', -1), split_part('a,b,c', ',', 4), split_part('', ',', 1);
select id, split_part(s, ',', 2), split_part(s, ' ', -1) from fn_t order by id
-- next seed
select chr(0);
select chr(-1);
select chr(1114112);
select chr(55296)
-- next seed
select format('|%*s|%2$*1$s|', -6, 'ab');
select format('%3$s %1$s %s', 'a', 'b', 'c');
select format('100%%'), format(null, 'a');
select format('%s|%L|', null, null)
-- next seed
create table fn_t (id int, s text, p text, n numeric, f float8, ts timestamp, iv interval);
insert into fn_t values
  (1, 'Hello World', 'o', 12.345, 0.5, '2024-03-05 14:07:09.123456', '1 day 02:03:04'),
  (2, 'héllo wörld', 'l+', -7.5, -1.25, '1999-12-31 23:59:59', '-1 mon 3 days'),
  (3, '', 'x*', 0, 100, '2000-02-29 00:00:00', '0'),
  (4, null, null, null, null, null, null),
  (5, 'a,b,c', ',', 1e10, 1e-10, '0044-03-15 12:00:00 BC', '15 mons');
select quote_literal('it''s'), quote_literal(E'back\\slash'), quote_literal(42), quote_literal(true);
select quote_nullable(null), quote_nullable('x'), quote_nullable(1.5);
select id, format('[%s|%L|%5s]', s, n, id) from fn_t order by id;
select 'abc' ~ 'b', 'abc' ~ '^b', 'ABC' ~* 'b', 'ABC' ~ 'b', 'abc' !~ 'x', 'abc' !~* 'B', 'héllo' ~ 'l+o$', null ~ 'a'
-- next seed
select similar_to_escape('a%b_c'), similar_to_escape('a#"b#"c', '#'), substring('foobar' similar '%#"o_b#"%' escape '#');
select similar_to_escape('abc', 'xy');
select regexp_replace('abcabc', 'b', 'X'), regexp_replace('abcabc', 'b', 'X', 'g'), regexp_replace('aBcabc', 'b', 'X', 'gi'), regexp_replace('abc', '', '-', 'g');
select regexp_replace('abcabc', '(b)(c)', '[\2\1\&]', 'g'), regexp_replace('abcabc', 'b', 'X', 3), regexp_replace('abcabc', 'b', 'X', 1, 2), regexp_replace('abcabc', 'b', 'X', 1, 0)
-- next seed
select regexp_like('abc', 'b', 'g');
select regexp_count('abc', 'b', 0);
select regexp_instr('abc', 'b', 1, 1, 2);
select substring('foobar' from 'o(.)b'), substring('foobar' from 'o.b'), substring('foobar' from 'x(y)?')
-- next seed
create table fn_t (id int, s text, p text, n numeric, f float8, ts timestamp, iv interval);
insert into fn_t values
  (1, 'Hello World', 'o', 12.345, 0.5, '2024-03-05 14:07:09.123456', '1 day 02:03:04'),
  (2, 'héllo wörld', 'l+', -7.5, -1.25, '1999-12-31 23:59:59', '-1 mon 3 days'),
  (3, '', 'x*', 0, 100, '2000-02-29 00:00:00', '0'),
  (4, null, null, null, null, null, null),
  (5, 'a,b,c', ',', 1e10, 1e-10, '0044-03-15 12:00:00 BC', '15 mons');
select 'a'::char(3) ~ 'a$', 'a'::char(3) ~ 'a  $', 'ab'::varchar ~ 'b', 'é'::char(2) ~ 'é $', 'ab'::char(3) similar to 'ab ';
select id, s similar to '%(o|,)%' from fn_t order by id;
select md5(''), md5('abc'), md5('abc'::bytea);
select sha256('abc'), sha224('')
-- next seed
select encode('abc', 'rot13');
select decode('\x', 'escape');
select '<' || sin(1) || '>', '<' || cos(1) || '>', '<' || tan(1) || '>', '<' || cot(1) || '>', '<' || atan2(1, 2) || '>';
select '<' || asin(0.5) || '>', '<' || acos(0.5) || '>', '<' || atan(1) || '>', '<' || sinh(1) || '>'
-- next seed
select exp(1000);
select exp(-1000);
select ln(0);
select power(0, -1)
-- next seed
select width_bucket(0.7::float8, 0, 2.1, 3);
select width_bucket(5, 0, 10, 0);
select width_bucket(5, 3, 3, 3);
select mod(7::smallint, 3::smallint), mod(-7, 3), mod(-7::bigint, 3), div(7.5, 2)
-- next seed
select clock_timestamp() >= now(), timeofday() like '% UTC';
select make_date(2024, 2, 29), make_date(-44, 3, 15), make_time(8, 15, 23.5), make_time(24, 0, 0);
select make_timestamp(2013, 7, 15, 8, 15, 23.5), make_timestamp(-44, 3, 15, 12, 0, 0);
select make_timestamptz(2013, 7, 15, 8, 15, 23.5), make_timestamptz(2013, 7, 15, 8, 15, 23.5, 'America/New_York'), make_timestamptz(2013, 7, 15, 8, 15, 23.5, '+05:30')
-- next seed
select make_timestamptz(2013, 7, 15, 8, 15, 23.5, 'foo');
select make_interval(1, 2, 3, 4, 5, 6, 7.5), make_interval(days => 10), make_interval(hours => 2, mins => 30);
select make_interval(), make_interval(1, secs => 0.25);
select make_date(year => 2024, month => 2, day => 29), make_timestamptz(2013, 7, 15, 8, 15, 23.5, timezone => 'Europe/Paris'), make_time(sec => 1, min => 2, hour => 3)
-- next seed
select isfinite(date '2024-03-05'), isfinite(timestamp '2024-03-05'), isfinite(timestamptz '2024-03-05'), isfinite(interval '1 day');
select to_timestamp(0), to_timestamp(1709647629.5), to_timestamp(-1);
select to_timestamp('NaN'::float8);
select to_char(timestamp '2024-03-05 14:07:09.123456', 'YYYY-MM-DD HH24:MI:SS.US')
-- next seed
create table fn_t (id int, s text, p text, n numeric, f float8, ts timestamp, iv interval);
insert into fn_t values
  (1, 'Hello World', 'o', 12.345, 0.5, '2024-03-05 14:07:09.123456', '1 day 02:03:04'),
  (2, 'héllo wörld', 'l+', -7.5, -1.25, '1999-12-31 23:59:59', '-1 mon 3 days'),
  (3, '', 'x*', 0, 100, '2000-02-29 00:00:00', '0'),
  (4, null, null, null, null, null, null),
  (5, 'a,b,c', ',', 1e10, 1e-10, '0044-03-15 12:00:00 BC', '15 mons');
select id, to_char(ts, 'YYYY-MM-DD HH24:MI:SS FF3 Mon Dy') from fn_t order by id;
select to_char(timestamp '2024-03-05', ''), to_char(1, '');
select to_char(1234.5, '9999.99'), to_char(-1234.5, 'FM9,999.00'), to_char(0.5, '0.99'), to_char(0.5, '9.99'), to_char(12, '999th');
select to_char(-42, 'S999'), to_char(42, '999MI'), to_char(-42, '999PR'), to_char(42, 'PL999'), to_char(-42, 'SG999')
-- next seed
select to_date('5/3/69', 'DD/MM/YY'), to_date('2024 10 2', 'IYYY IW ID'), to_date('44 BC', 'YYYY BC');
select to_date('2024-02-30', 'YYYY-MM-DD');
select to_date('xx', 'YYYY');
select to_timestamp('2024-03-05 14:07:09', 'YYYY-MM-DD HH24:MI:SS'), to_timestamp('2024-03-05 02:07 PM', 'YYYY-MM-DD HH:MI AM'), to_timestamp('10:30', 'HH24:MI')
-- next seed
CREATE TABLE gbn(col0 INTEGER, col1 INTEGER, col2 INTEGER);
INSERT INTO gbn VALUES (64,77,40), (75,67,58), (46,51,23), (46,51,null);
SELECT - cor0.col1 AS col1 FROM gbn AS cor0 GROUP BY col1 HAVING NOT (cor0.col1) IS NULL;
SELECT col0 + col2 AS col2, count(*) FROM gbn GROUP BY col0, col2 ORDER BY col2
-- next seed
CREATE TABLE gs (a int, b text, c int, d date);
INSERT INTO gs VALUES (1,'x',10,'2020-01-01'),(1,'y',20,'2020-01-02'),(2,'x',30,'2020-01-01'),(2,NULL,40,NULL),(NULL,'x',50,'2020-01-03');
CREATE TABLE gbig AS SELECT i, i % 7 AS g, i % 3 AS h, (i * 37) % 101 AS v FROM generate_series(1, 5000) i;
SELECT a, b, sum(c), count(*), grouping(a), grouping(a, b), grouping(b, a) FROM gs GROUP BY ROLLUP (a, b) ORDER BY 1, 2, 3
-- next seed
CREATE TABLE gs (a int, b text, c int, d date);
INSERT INTO gs VALUES (1,'x',10,'2020-01-01'),(1,'y',20,'2020-01-02'),(2,'x',30,'2020-01-01'),(2,NULL,40,NULL),(NULL,'x',50,'2020-01-03');
SELECT count(*) FROM gs WHERE false GROUP BY ROLLUP (a);
SELECT count(*) FROM gs GROUP BY ();
SELECT count(*) FROM gs WHERE false GROUP BY ();
SELECT 1 FROM gs GROUP BY ()
-- next seed
CREATE TABLE gs (a int, b text, c int, d date);
INSERT INTO gs VALUES (1,'x',10,'2020-01-01'),(1,'y',20,'2020-01-02'),(2,'x',30,'2020-01-01'),(2,NULL,40,NULL),(NULL,'x',50,'2020-01-03');
SELECT 1 AS one, count(*) FROM gs GROUP BY ROLLUP (one) ORDER BY 1;
SELECT b, count(*), grouping(b) FROM gs GROUP BY ROLLUP (1) ORDER BY 3, 1, 2;
SELECT a, string_agg(b, ',' ORDER BY b) FROM gs GROUP BY ROLLUP (a) ORDER BY 1;
SELECT a, count(DISTINCT b), avg(c) FROM gs GROUP BY CUBE (a) ORDER BY 1, 2
-- next seed
CREATE TABLE gs (a int, b text, c int, d date);
INSERT INTO gs VALUES (1,'x',10,'2020-01-01'),(1,'y',20,'2020-01-02'),(2,'x',30,'2020-01-01'),(2,NULL,40,NULL),(NULL,'x',50,'2020-01-03');
SELECT a FROM gs WHERE grouping(a) = 0 GROUP BY a;
SELECT a FROM gs GROUP BY grouping(a);
SELECT sum(grouping(a)) FROM gs GROUP BY a;
SELECT a, b, c FROM gs GROUP BY ROLLUP (a, b)
-- next seed
CREATE TABLE hd (v text, n int);
INSERT INTO hd VALUES ('zzzz ', 1), ('zzzzzz0', 2), ('bb_bb_zz', 3), ('zzzzzz0', 4), ('zzzz ', 5), (NULL, 6), ('a', 7), (NULL, 8);
SELECT DISTINCT v FROM hd;
SELECT DISTINCT v FROM (VALUES ('zzzz '), ('zzzzzz0'), ('bb_bb_zz')) t(v)
-- next seed
CREATE TABLE rjs (k int, a int, t text);
INSERT INTO rjs VALUES (1, 10, 'u1'), (2, 20, 'u5'), (2, 21, 'u9'), (3, NULL, NULL), (NULL, 50, 'v'), (7000, 70, 'z'), (5, 3, 'u3'), (60, 1, 'a');
CREATE TABLE rjb (k int, b int, u text);
INSERT INTO rjb SELECT CASE WHEN i % 97 = 0 THEN NULL ELSE i % 50 END, i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'u' || (i % 13) END FROM generate_series(1, 3000) i
-- next seed
CREATE TABLE rjs (k int, a int, t text);
INSERT INTO rjs VALUES (1, 10, 'u1'), (2, 20, 'u5'), (2, 21, 'u9'), (3, NULL, NULL), (NULL, 50, 'v'), (7000, 70, 'z'), (5, 3, 'u3'), (60, 1, 'a');
CREATE TABLE rjb (k int, b int, u text);
INSERT INTO rjb SELECT CASE WHEN i % 97 = 0 THEN NULL ELSE i % 50 END, i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'u' || (i % 13) END FROM generate_series(1, 3000) i;
INSERT INTO rjb SELECT 2, i, 'dup' FROM generate_series(1, 1100) i;
INSERT INTO rjb VALUES (NULL, NULL, NULL), (5, NULL, 'u0');
SELECT s.k, s.a, s.t FROM rjs s WHERE EXISTS (SELECT 1 FROM rjb b WHERE b.k = s.k AND b.u > s.t);
SELECT s.k, s.a, s.t FROM rjs s WHERE EXISTS (SELECT 1 FROM rjb b WHERE b.k = s.k AND b.b = s.a);
SELECT s.k, s.a, s.t FROM rjs s WHERE NOT EXISTS (SELECT 1 FROM rjb b WHERE b.k = s.k);
SELECT s.k, s.a, s.t FROM rjs s WHERE NOT EXISTS (SELECT 1 FROM rjb b WHERE b.k = s.k AND b.b < s.a * 10)
-- next seed
CREATE TABLE rjs (k int, a int, t text);
INSERT INTO rjs VALUES (1, 10, 'u1'), (2, 20, 'u5'), (2, 21, 'u9'), (3, NULL, NULL), (NULL, 50, 'v'), (7000, 70, 'z'), (5, 3, 'u3'), (60, 1, 'a');
CREATE TABLE rjb (k int, b int, u text);
INSERT INTO rjb SELECT CASE WHEN i % 97 = 0 THEN NULL ELSE i % 50 END, i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'u' || (i % 13) END FROM generate_series(1, 3000) i;
INSERT INTO rjb SELECT 2, i, 'dup' FROM generate_series(1, 1100) i;
INSERT INTO rjb VALUES (NULL, NULL, NULL), (5, NULL, 'u0');
SELECT s.k, s.a, s.t FROM rjs s WHERE s.a NOT IN (SELECT b.b FROM rjb b WHERE b.k = s.k);
SELECT s.k, s.a, s.t FROM rjs s WHERE s.a % 30 NOT IN (SELECT b.b % 30 FROM rjb b WHERE b.k = s.k AND b.b < 2000);
SELECT s.k, s.a, count(b.b), sum(b.b) FROM rjs s LEFT JOIN rjb b ON s.k = b.k GROUP BY s.k, s.a;
SELECT s.k, s.a, count(b.b), sum(b.b) FROM rjs s LEFT JOIN rjb b ON s.k = b.k AND b.b < s.a * 10 GROUP BY s.k, s.a
-- next seed
CREATE TABLE rjs (k int, a int, t text);
INSERT INTO rjs VALUES (1, 10, 'u1'), (2, 20, 'u5'), (2, 21, 'u9'), (3, NULL, NULL), (NULL, 50, 'v'), (7000, 70, 'z'), (5, 3, 'u3'), (60, 1, 'a');
CREATE TABLE rjb (k int, b int, u text);
INSERT INTO rjb SELECT CASE WHEN i % 97 = 0 THEN NULL ELSE i % 50 END, i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'u' || (i % 13) END FROM generate_series(1, 3000) i;
INSERT INTO rjb SELECT 2, i, 'dup' FROM generate_series(1, 1100) i;
INSERT INTO rjb VALUES (NULL, NULL, NULL), (5, NULL, 'u0');
SET max_parallel_workers_per_gather = 2;
SET pqdb.parallel_min_rows = 0;
SELECT s.k, s.a, g.c FROM rjs s LEFT JOIN (SELECT k, count(*) c FROM rjb GROUP BY k) g ON s.k = g.k;
SELECT s.k, s.a, g.c FROM rjs s LEFT JOIN (SELECT k, count(*) c FROM rjb GROUP BY k) g ON s.k = g.k AND g.c > s.a * 5
-- next seed
CREATE TABLE hw_empty (a int);
CREATE TABLE hw (a int);
INSERT INTO hw VALUES (1), (2), (2);
SELECT 1 FROM hw_empty HAVING true
-- next seed
CREATE SCHEMA ist;
CREATE TABLE ist.parent (id serial PRIMARY KEY, code varchar(10) NOT NULL UNIQUE, note text DEFAULT 'x', amount numeric(10,2), ratio float8, big bigint, small smallint, flag boolean DEFAULT true, at timestamptz, d date, t time(3), iv interval, tags int4[], names text[], uid uuid, js jsonb, ch char(4), bin bytea, num numeric, r real, ts timestamp(0));
CREATE TABLE ist.child (cid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, pid int REFERENCES ist.parent(id) ON DELETE CASCADE, code varchar(10), qty int CHECK (qty > 0), CONSTRAINT child_code_fk FOREIGN KEY (code) REFERENCES ist.parent(code));
CREATE TABLE ist.multi (a int, b int, c text, PRIMARY KEY (a, b))
-- next seed
CREATE SEQUENCE ist.s START 5 INCREMENT 2 MAXVALUE 1000 CACHE 1;
CREATE SEQUENCE ist.s2 AS int2 CYCLE;
CREATE TYPE ist.mood AS ENUM ('sad', 'happy');
CREATE DOMAIN ist.posint AS int CHECK (VALUE > 0)
-- next seed
SELECT table_name, column_name, ordinal_position, is_nullable, data_type, udt_name, character_maximum_length, character_octet_length, numeric_precision, numeric_precision_radix, numeric_scale, datetime_precision, interval_type, udt_schema, dtd_identifier, is_updatable FROM information_schema.columns WHERE table_schema = 'ist' ORDER BY table_name, ordinal_position;
SELECT table_name, column_name, is_identity, identity_generation, identity_start, identity_increment, identity_maximum, identity_minimum, identity_cycle, is_generated FROM information_schema.columns WHERE table_schema = 'ist' AND table_name IN ('child', 'byd', 'parent') AND column_name IN ('cid', 'id', 'v', 'code') ORDER BY 1, 2;
SELECT table_name, column_name, column_default FROM information_schema.columns WHERE table_schema = 'ist' AND column_default IS NOT NULL AND column_name NOT IN ('note') ORDER BY 1, 2;
SELECT column_name, data_type, udt_schema, udt_name, domain_schema, domain_name FROM information_schema.columns WHERE table_schema = 'ist' AND table_name = 'typed' ORDER BY ordinal_position
-- next seed
SELECT table_name, count(*) FROM information_schema.table_constraints WHERE table_schema = 'ist' AND constraint_name LIKE '%not_null' GROUP BY table_name ORDER BY 1;
SELECT constraint_name, nulls_distinct FROM information_schema.table_constraints WHERE table_schema = 'ist' AND constraint_type = 'UNIQUE';
SELECT constraint_name, table_name, column_name, ordinal_position, position_in_unique_constraint FROM information_schema.key_column_usage WHERE table_schema = 'ist' ORDER BY table_name, constraint_name, ordinal_position;
SELECT constraint_name, unique_constraint_schema, unique_constraint_name, match_option, update_rule, delete_rule FROM information_schema.referential_constraints WHERE constraint_schema = 'ist' ORDER BY 1
-- next seed
SELECT sequence_schema, sequence_name, numeric_precision, numeric_precision_radix, numeric_scale, data_type, start_value, minimum_value, maximum_value, increment FROM information_schema.sequences WHERE sequence_schema = 'ist' ORDER BY 2;
SELECT sequence_name, cycle_option FROM information_schema.sequences WHERE sequence_schema = 'ist' ORDER BY 1;
SELECT grantor, grantee, table_name, privilege_type, is_grantable, with_hierarchy FROM information_schema.role_table_grants WHERE table_schema = 'ist' AND table_name IN ('parent', 'v') ORDER BY table_name, privilege_type;
SELECT grantee, table_name, privilege_type, with_hierarchy FROM information_schema.table_privileges WHERE table_schema = 'ist' AND table_name = 'multi' ORDER BY privilege_type
-- next seed
SELECT name, setting, vartype, context, source FROM pg_settings WHERE name IN ('search_path', 'standard_conforming_strings', 'integer_datetimes', 'max_identifier_length', 'IntervalStyle', 'statement_timeout') ORDER BY name;
SELECT name, unit, category FROM pg_settings WHERE name IN ('statement_timeout', 'lock_timeout') ORDER BY 1;
SELECT enumvals FROM pg_settings WHERE name = 'default_transaction_isolation';
SET statement_timeout = 5000
-- next seed
SELECT name, statement, prepare_time <= now(), cardinality(parameter_types), from_sql FROM pg_prepared_statements;
DEALLOCATE ist_p;
SELECT count(*) FROM pg_prepared_statements;
BEGIN
-- next seed
CREATE TABLE ist.multi (a int, b int, c text, PRIMARY KEY (a, b));
SELECT schemaname, relname, heap_blks_read, idx_blks_hit FROM pg_statio_user_tables WHERE schemaname = 'ist' ORDER BY relname;
SELECT schemaname, relname, indexrelname, idx_scan FROM pg_stat_user_indexes WHERE schemaname = 'ist' ORDER BY indexrelname;
SELECT count(*) = count(DISTINCT relid) FROM pg_stat_all_tables;
COMMENT ON COLUMN ist.multi.c IS 'the c'
-- next seed
CREATE SCHEMA isd;
CREATE DOMAIN isd.posint AS int CHECK (VALUE > 0);
CREATE TABLE isd.t (id int PRIMARY KEY, n isd.posint);
SELECT t.typname, t.typtype, format_type(t.typbasetype, t.typtypmod), a.typname, t.oid::int, t.typnotnull, t.typdefault, t.typcategory
FROM pg_type t JOIN pg_type a ON a.oid = t.typarray
WHERE t.typnamespace = 'information_schema'::regnamespace AND t.typtype = 'd'
ORDER BY t.oid
-- next seed
SELECT udt_schema, udt_name, domain_schema, domain_name FROM information_schema.domain_udt_usage
ORDER BY domain_name;
SELECT table_schema, table_name, column_name, domain_name FROM information_schema.column_domain_usage
WHERE table_schema = 'isd' OR (table_name = 'tables' AND column_name IN ('table_name', 'table_type', 'is_typed'))
ORDER BY 1, 2, 3;
SELECT attname, atttypid::regtype::text, attcollation::int FROM pg_attribute
WHERE attrelid = 'information_schema.tables'::regclass AND attnum IN (3, 4, 11)
ORDER BY attnum;
SELECT column_name, data_type, domain_schema, domain_name, udt_name FROM information_schema.columns
WHERE table_schema = 'information_schema' AND table_name = 'sequences' AND column_name IN ('sequence_name', 'numeric_precision', 'cycle_option')
ORDER BY column_name
-- next seed
SELECT table_name, table_type FROM information_schema.tables
WHERE table_schema = 'information_schema' AND table_name LIKE 'sql\_%' ORDER BY 1;
SELECT count(*) FROM information_schema.sql_features;
SELECT feature_id, feature_name, sub_feature_id, is_supported FROM information_schema.sql_features
WHERE feature_id IN ('E011', 'T321') ORDER BY feature_id, sub_feature_id;
SELECT implementation_info_id, implementation_info_name, integer_value, character_value FROM information_schema.sql_implementation_info
WHERE implementation_info_id IN ('23', '26', '10003') ORDER BY 1
-- next seed
SELECT count(*) FROM pg_statio_user_indexes WHERE relname = 't';
SELECT usename, usesuper::text FROM pg_shadow WHERE usename = 'postgres';
SELECT count(*) FROM pg_timezone_abbrevs;
SELECT abbrev, utc_offset::text, is_dst::text FROM pg_timezone_abbrevs WHERE abbrev IN ('PST', 'PDT', 'UTC', 'CET', 'ACDT', 'NZDT') ORDER BY abbrev
-- next seed
CREATE TABLE ins_sel (id int, b boolean, d date, n numeric(6,2), t text);
INSERT INTO ins_sel SELECT 1, 'true', '2024-02-29', '12.345', 'x';
INSERT INTO ins_sel SELECT 2, NULL, NULL, NULL, NULL;
INSERT INTO ins_sel (t, id, b) SELECT 'y', 3, 'off'
-- next seed
CREATE TABLE iv (id int, i interval);
INSERT INTO iv VALUES (1, '1 day'), (2, '24 hours'), (3, '1 mon'), (4, '30 days'), (5, '720:00:00'), (6, '1 day 1 second'), (7, NULL), (8, '-1 day'), (9, '-24 hours');
SELECT count(*) FROM iv GROUP BY i;
SELECT count(DISTINCT i) FROM iv
-- next seed
CREATE TABLE ja (k int, x int, t text);
INSERT INTO ja VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (NULL, 40, 'null');
CREATE TABLE jb (k int, v text, w int);
INSERT INTO jb VALUES (1, 'a', 5), (1, 'b', 6), (2, 'c', 7), (4, 'd', 8), (NULL, 'e', 9)
-- next seed
CREATE TABLE ja (k int, x int, t text);
INSERT INTO ja VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (NULL, 40, 'null');
CREATE TABLE jb (k int, v text, w int);
INSERT INTO jb VALUES (1, 'a', 5), (1, 'b', 6), (2, 'c', 7), (4, 'd', 8), (NULL, 'e', 9);
SELECT * FROM (ja FULL JOIN jb USING (k)) AS j;
SELECT * FROM (ja NATURAL JOIN jb) AS j;
SELECT j.k, count(*) FROM (ja LEFT JOIN jb USING (k)) AS j GROUP BY j.k;
SELECT j.x, j.v FROM (ja JOIN jb ON ja.k = jb.k) AS j ORDER BY j.x, j.v
-- next seed
CREATE TABLE ja (k int, x int, t text);
INSERT INTO ja VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (NULL, 40, 'null');
CREATE TABLE jb (k int, v text, w int);
INSERT INTO jb VALUES (1, 'a', 5), (1, 'b', 6), (2, 'c', 7), (4, 'd', 8), (NULL, 'e', 9);
SELECT j.k FROM (ja JOIN jb ON ja.k = jb.k) AS j;
SELECT j.nope FROM (ja JOIN jb USING (k)) AS j;
SELECT xx FROM (ja JOIN jb USING (k)) AS j;
SELECT jj.k FROM (ja JOIN jb USING (k)) AS j
-- next seed
CREATE TABLE ja (k int, x int, t text);
INSERT INTO ja VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (NULL, 40, 'null');
CREATE TABLE jb (k int, v text, w int);
INSERT INTO jb VALUES (1, 'a', 5), (1, 'b', 6), (2, 'c', 7), (4, 'd', 8), (NULL, 'e', 9);
SELECT j.x, (SELECT max(w) FROM jb WHERE jb.k = j.k) FROM (ja LEFT JOIN jb USING (k)) AS j;
SELECT j.k FROM ja JOIN jb USING (k) AS j;
SELECT j.* FROM ja JOIN jb USING (k) AS j;
SELECT ja.x, jb.v, j.k FROM ja JOIN jb USING (k) AS j
-- next seed
SELECT '{"b": 1, "a": [1.50, 1e2, -0, "x\u00e9\"y"], "b": 2}'::jsonb, '  {"b":1,  "a":2}  '::json, '[]'::jsonb;
SELECT 'null'::jsonb, 'true'::jsonb, '"\u0041\n"'::jsonb, '1e-3'::jsonb;
SELECT '{"aa": 1, "b": 2, "a": 3, "ab": 4}'::jsonb;
SELECT '{"a" 1}'::jsonb
-- next seed
SELECT pg_typeof('{}'::jsonb), pg_typeof('{}'::json);
SELECT '1.0'::jsonb = '1', '{"a": 1.50}'::jsonb = '{"a": 1.5}', '[1, 2]'::jsonb <> '[2, 1]', '[]'::jsonb < '1', '{}'::jsonb > '[1, 2, 3]', 'null'::jsonb < '""';
SELECT '"abc"'::jsonb < '"abd"', '[1, 2]'::jsonb < '[1, 3]', '[9]'::jsonb < '[1, 1]', '{"b": 1}'::jsonb > '{"a": 2}';
SELECT '1'::jsonb = NULL, NULL::jsonb = NULL::jsonb
-- next seed
CREATE TABLE jorder (id int, j jsonb);
INSERT INTO jorder VALUES (1, '[]'), (2, '1'), (3, '1.0'), (4, '"a"'), (5, 'null'), (6, 'true'), (7, '[1]'), (8, '[0, 0]'), (9, '{}'), (10, '{"a": 1}'), (11, 'false'), (12, NULL), (13, '-5'), (14, '""'), (15, '{"b": 0}'), (16, '[[]]');
SELECT DISTINCT j FROM jorder;
SELECT count(DISTINCT j) FROM jorder;
SELECT a.id, b.id FROM jorder a JOIN jorder b ON a.j = b.j AND a.id < b.id ORDER BY 1, 2;
SELECT j FROM jorder WHERE id < 4 UNION SELECT '1.00'::jsonb
-- next seed
CREATE TABLE jorder (id int, j jsonb);
INSERT INTO jorder VALUES (1, '[]'), (2, '1'), (3, '1.0'), (4, '"a"'), (5, 'null'), (6, 'true'), (7, '[1]'), (8, '[0, 0]'), (9, '{}'), (10, '{"a": 1}'), (11, 'false'), (12, NULL), (13, '-5'), (14, '""'), (15, '{"b": 0}'), (16, '[[]]');
SELECT j::json FROM jorder ORDER BY 1;
SELECT '1'::json UNION ALL SELECT '2'::json;
SELECT max(j) FROM jorder;
SELECT '{"a": {"b": [1, "x", null]}}'::jsonb -> 'a', '{"a": 1}'::jsonb -> 'z', '[1, 2, 3]'::jsonb -> 0, '[1, 2, 3]'::jsonb -> -1
-- next seed
SELECT '[1]'::jsonb -> 1.5;
SELECT '{"a": 1}' -> 'a';
SELECT 1 -> 'a';
SELECT '{"a": "\u0000"}'::json ->> 'a'
-- next seed
SELECT '[1]'::jsonb || 'x'::text, 'x' || '[1]'::json;
SELECT '{"a": 1, "b": 2}'::jsonb - 'a', '["a", "b", "a"]'::jsonb - 'a', '[1, 2, 3]'::jsonb - 1, '[1, 2, 3]'::jsonb - -1;
SELECT '{"a": 1, "b": 2, "c": 3}'::jsonb - '{a,c}'::text[], '{"a": 1}'::jsonb - ARRAY['a', NULL], '{"a": 1}'::jsonb - '{a,b}', '[1, 2]'::jsonb - 5;
SELECT '{"a": {"b": 1, "c": 2}}'::jsonb #- '{a,b}', '[1, [2, 3]]'::jsonb #- '{1,0}', '{"a": 1}'::jsonb #- '{}', '{"a": 1}'::jsonb #- '{x,y}'
-- next seed
SELECT '{}'::jsonb @> '{}'::json;
SELECT 'x' || '[1, 2]'::jsonb;
SELECT jsonb_typeof('{}'), jsonb_typeof('[]'), jsonb_typeof('"x"'), jsonb_typeof('1.5'), jsonb_typeof('false'), jsonb_typeof('null');
SELECT json_typeof(' {"a": 1}'), json_typeof('[1, 2]'), json_typeof('-1'), json_typeof(NULL::json)
-- next seed
SELECT jsonb_set('1', '{a}', '2');
SELECT jsonb_set('{"a": 1}', ARRAY[NULL], '2');
SELECT jsonb_insert('[1, 2]', '{1}', '"x"'), jsonb_insert('[1, 2]', '{1}', '"x"', true), jsonb_insert('{"a": [1]}', '{a,0}', '0'), jsonb_insert('{"a": 1}', '{b}', '2');
SELECT jsonb_insert('{"a": 1}', '{a}', '2')
-- next seed
SELECT to_json('infinity'::date), to_json('0044-03-15 10:00 BC'::timestamp), to_json('12:30'::time), to_json('1 day 2 hours'::interval);
SELECT to_json('ab'::char(4)), to_json('\x01ff'::bytea), to_json('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid), to_json(E'x\ny\t"'::text);
SELECT to_json(ARRAY[1, 2, NULL]), to_jsonb(ARRAY['a', NULL]), to_json(ARRAY[]::int[]), to_jsonb(ARRAY[1.0, 2.50]);
SELECT to_json('{"b":1,  "a":2}'::json), to_jsonb('{"b":1,  "a":2}'::json), to_json('{"b":1,"a":2}'::jsonb), to_json(ARRAY['{"a":1}'::json])
-- next seed
SELECT to_json(ARRAY['2020-01-01'::date, NULL]), to_jsonb(ARRAY[true, NULL]), to_jsonb(ARRAY['{"b": 1, "a": 2}'::jsonb]), to_json(ARRAY['x'::char(2)]);
SELECT jsonb_typeof(NULL), jsonb_array_length(NULL), jsonb_set(NULL, '{a}', '1'), jsonb_set('{}', NULL, '1'), jsonb_insert('[]', '{0}', NULL), jsonb_strip_nulls(NULL), jsonb_pretty(NULL), to_json(NULL::text);
SELECT NULL::jsonb -> 'a', NULL::json ->> 0, '{}'::jsonb #> NULL, NULL::jsonb @> '{}', '{}'::jsonb ? NULL, NULL::jsonb || '[]', '[]'::jsonb - NULL::int, '{}'::jsonb #- NULL;
SELECT jsonb_build_object('b', 1, 'a', ARRAY[1, 2], 'c', NULL, 'd', '{"x": 1}'::json, 1.5, true, 'b', 'x')
-- next seed
SELECT jsonb_build_object('a', 1, NULL, 2);
SELECT jsonb_build_object(ARRAY[1], 1);
SELECT json_build_object('{}'::json, 1);
SELECT '1.50'::jsonb::numeric, '7'::jsonb::int2, '-7'::jsonb::int4, '9000000000'::jsonb::int8, '1.5'::jsonb::float4, '1e-3'::jsonb::float8, 'true'::jsonb::bool
-- next seed
SELECT '1'::json::int;
SELECT 1::jsonb;
SELECT true::json;
SELECT '"2020-01-01"'::jsonb::date
-- next seed
CREATE TABLE jagg (g int, k text, v int, d date);
INSERT INTO jagg VALUES (1, 'a', 1, '2020-01-01'), (1, 'b', NULL, NULL), (2, 'c', 3, '2021-06-30'), (1, 'a', 4, '2022-12-31'), (2, 'd', 3, NULL);
SELECT jsonb_agg(j ORDER BY j), jsonb_agg(DISTINCT j) FROM (VALUES ('{"a": 1}'::jsonb), ('[1]'), ('1.0'), ('1'), (NULL)) t(j);
SELECT jsonb_agg(v), json_object_agg(k, v) FROM jagg WHERE false;
SELECT json_agg(j), jsonb_agg(j) FROM (VALUES ('{"b":1,  "a":2}'::json), (NULL)) t(j);
SELECT jsonb_object_agg(k, jsonb_build_object('v', v) ORDER BY k, v) FROM jagg
-- next seed
SELECT json_agg(DISTINCT j) FROM (VALUES ('1'::json)) t(j);
SELECT ARRAY['1.0'::jsonb] = ARRAY['1'::jsonb], ARRAY['[]'::jsonb] < ARRAY['1'::jsonb], ARRAY['{"b":1, "a":2}'::jsonb, NULL];
SELECT array_agg(j ORDER BY j) FROM (VALUES ('"x"'::jsonb), ('[]'), ('{}'), ('2'), ('null')) t(j);
SELECT x, json_agg(x) OVER (ORDER BY x) FROM generate_series(1, 3) x ORDER BY x
-- next seed
CREATE TABLE docs (id int PRIMARY KEY, doc jsonb, raw json);
INSERT INTO docs VALUES (1, '{"name": "ann", "tags": ["x", "y"], "n": 1}', '{"name":"ann"}'), (2, '{"name": "bob", "tags": [], "n": 2.50}', '{"name" : "bob"}'), (3, '{"name": "cy", "n": null}', NULL), (4, NULL, '[]');
UPDATE docs SET doc = jsonb_set(doc, '{n}', to_jsonb((doc ->> 'n')::numeric * 2)) WHERE doc ->> 'n' IS NOT NULL;
UPDATE docs SET doc = doc || '{"seen": true}' WHERE id = 3;
UPDATE docs SET doc = doc - 'tags' WHERE jsonb_array_length(doc -> 'tags') = 0;
SELECT id, doc FROM docs ORDER BY id
-- next seed
CREATE TABLE docs (id int PRIMARY KEY, doc jsonb, raw json);
INSERT INTO docs VALUES (1, '{"name": "ann", "tags": ["x", "y"], "n": 1}', '{"name":"ann"}'), (2, '{"name": "bob", "tags": [], "n": 2.50}', '{"name" : "bob"}'), (3, '{"name": "cy", "n": null}', NULL), (4, NULL, '[]');
INSERT INTO docs VALUES (5, '{bad}', NULL);
INSERT INTO docs VALUES (5, 'x'::text, NULL);
INSERT INTO docs (id, raw) VALUES (6, '{"dup": 1, "dup": 2}');
SELECT raw FROM docs WHERE id = 6;
SELECT raw::jsonb FROM docs WHERE id = 6
-- next seed
CREATE TABLE lt (id int, k int, x int, arr int[], n int);
INSERT INTO lt VALUES (1, 1, 10, ARRAY[1,2], 2), (2, 2, 20, ARRAY[]::int[], 0), (3, 3, NULL, NULL, NULL), (4, 1, 11, ARRAY[3], 1), (5, NULL, 50, ARRAY[NULL,5]::int[], 3), (6, 2, 21, ARRAY[6,7,8], 5);
CREATE TABLE lu (k int, v text, w int);
INSERT INTO lu VALUES (1, 'a', 5), (1, 'b', 6), (1, 'c', NULL), (2, 'd', 7), (4, 'e', 8), (NULL, 'f', 9)
-- next seed
CREATE TABLE lt (id int, k int, x int, arr int[], n int);
INSERT INTO lt VALUES (1, 1, 10, ARRAY[1,2], 2), (2, 2, 20, ARRAY[]::int[], 0), (3, 3, NULL, NULL, NULL), (4, 1, 11, ARRAY[3], 1), (5, NULL, 50, ARRAY[NULL,5]::int[], 3), (6, 2, 21, ARRAY[6,7,8], 5);
CREATE TABLE lu (k int, v text, w int);
INSERT INTO lu VALUES (1, 'a', 5), (1, 'b', 6), (1, 'c', NULL), (2, 'd', 7), (4, 'e', 8), (NULL, 'f', 9);
SELECT lt.id, s.w, s.v FROM lt JOIN LATERAL (SELECT v, w FROM lu WHERE lu.k = lt.k) s ON s.w > 5;
SELECT lt.id, s.w, s.v FROM lt JOIN LATERAL (SELECT v, w FROM lu WHERE lu.k = lt.k) s ON s.w > lt.k + 4;
SELECT lt.id, s.w, s.xw, s.kk FROM lt, LATERAL (SELECT w, lt.x + w AS xw, lt.k * 10 AS kk FROM lu WHERE lu.k = lt.k) s;
SELECT lt.id, s.w, s.v FROM lt LEFT JOIN LATERAL (SELECT v, w FROM lu WHERE lu.k = lt.k) s ON true
-- next seed
CREATE TABLE lt (id int, k int, x int, arr int[], n int);
INSERT INTO lt VALUES (1, 1, 10, ARRAY[1,2], 2), (2, 2, 20, ARRAY[]::int[], 0), (3, 3, NULL, NULL, NULL), (4, 1, 11, ARRAY[3], 1), (5, NULL, 50, ARRAY[NULL,5]::int[], 3), (6, 2, 21, ARRAY[6,7,8], 5);
CREATE TABLE lu (k int, v text, w int);
INSERT INTO lu VALUES (1, 'a', 5), (1, 'b', 6), (1, 'c', NULL), (2, 'd', 7), (4, 'e', 8), (NULL, 'f', 9);
SELECT lt.id, s.k, s.c FROM lt, LATERAL (SELECT k, count(*) AS c FROM lu WHERE lu.k >= lt.k GROUP BY k) s;
SELECT lt.id, s.k FROM lt, LATERAL (SELECT DISTINCT lu.k FROM lu WHERE lu.k <= lt.k) s;
SELECT lt.id, s.mx FROM lt, LATERAL (SELECT max(w) AS mx FROM lu WHERE lu.k = lt.k HAVING count(*) > 1) s;
SELECT lt.id, s.w, s.v FROM lt, LATERAL (SELECT v, w FROM lu WHERE lu.k = lt.k ORDER BY w DESC NULLS LAST LIMIT 2) s
-- next seed
CREATE TABLE lt (id int, k int, x int, arr int[], n int);
INSERT INTO lt VALUES (1, 1, 10, ARRAY[1,2], 2), (2, 2, 20, ARRAY[]::int[], 0), (3, 3, NULL, NULL, NULL), (4, 1, 11, ARRAY[3], 1), (5, NULL, 50, ARRAY[NULL,5]::int[], 3), (6, 2, 21, ARRAY[6,7,8], 5);
CREATE TABLE lu (k int, v text, w int);
INSERT INTO lu VALUES (1, 'a', 5), (1, 'b', 6), (1, 'c', NULL), (2, 'd', 7), (4, 'e', 8), (NULL, 'f', 9);
CREATE TABLE lw (k int, y int);
INSERT INTO lw VALUES (1, 100), (2, 200), (2, 201), (5, 500);
SELECT lt.id, s.e FROM lt, LATERAL (SELECT e FROM unnest(lt.arr) e WHERE e > 1) s;
SELECT lt.id, a.y, b.z, c.t FROM lt, LATERAL (SELECT lt.x + 1 AS y) a, LATERAL (SELECT a.y * 2 AS z) b, LATERAL (SELECT b.z + lt.k AS t) c;
SELECT lt.id, lw.y, s.w, s.sum FROM lt JOIN lw ON lw.k = lt.k, LATERAL (SELECT w, w + lw.y + lt.x AS sum FROM lu WHERE lu.k = lt.k AND lu.w < lw.y) s;
SELECT lt.id, s.w, s.z FROM lt, LATERAL (SELECT s1.w, s2.z FROM (SELECT w FROM lu WHERE lu.k = lt.k) s1, LATERAL (SELECT s1.w * lt.k AS z) s2) s
-- next seed
CREATE TABLE lt (id int, k int, x int, arr int[], n int);
INSERT INTO lt VALUES (1, 1, 10, ARRAY[1,2], 2), (2, 2, 20, ARRAY[]::int[], 0), (3, 3, NULL, NULL, NULL), (4, 1, 11, ARRAY[3], 1), (5, NULL, 50, ARRAY[NULL,5]::int[], 3), (6, 2, 21, ARRAY[6,7,8], 5);
CREATE TABLE lu (k int, v text, w int);
INSERT INTO lu VALUES (1, 'a', 5), (1, 'b', 6), (1, 'c', NULL), (2, 'd', 7), (4, 'e', 8), (NULL, 'f', 9);
SELECT a.id, b.id, s.c FROM lt a, lt b, LATERAL (SELECT count(*) AS c FROM lu WHERE lu.k = a.k OR lu.k = b.k) s WHERE a.id <= 3;
SELECT a.k, count(*), sum(s.w), count(s.w) FROM lt a LEFT JOIN LATERAL (SELECT w FROM lu WHERE lu.k = a.k) s ON true GROUP BY a.k;
SELECT lt.id, s.r FROM lt, LATERAL (SELECT random() >= 0 AS r) s;
SELECT lt.id, u FROM lt LEFT JOIN LATERAL unnest(lt.arr) u ON true
-- next seed
CREATE TABLE lt (id int, k int, x int, arr int[], n int);
INSERT INTO lt VALUES (1, 1, 10, ARRAY[1,2], 2), (2, 2, 20, ARRAY[]::int[], 0), (3, 3, NULL, NULL, NULL), (4, 1, 11, ARRAY[3], 1), (5, NULL, 50, ARRAY[NULL,5]::int[], 3), (6, 2, 21, ARRAY[6,7,8], 5);
CREATE TABLE lu (k int, v text, w int);
INSERT INTO lu VALUES (1, 'a', 5), (1, 'b', 6), (1, 'c', NULL), (2, 'd', 7), (4, 'e', 8), (NULL, 'f', 9);
SELECT * FROM lt NATURAL JOIN LATERAL (SELECT lt.k, lt.x) s;
SELECT s.* FROM lt, LATERAL (SELECT lt.*) s WHERE lt.id < 3;
SELECT lt.id, (SELECT count(*) FROM (SELECT lt.*) s WHERE s.x > 10), (SELECT x FROM (SELECT lt.x) s) FROM lt;
SELECT lt.id, (SELECT count(*) FROM lu, LATERAL (SELECT lu.w + lt.k AS z) s WHERE s.z > 7) FROM lt
-- next seed
CREATE TABLE lt (id int, k int, x int, arr int[], n int);
INSERT INTO lt VALUES (1, 1, 10, ARRAY[1,2], 2), (2, 2, 20, ARRAY[]::int[], 0), (3, 3, NULL, NULL, NULL), (4, 1, 11, ARRAY[3], 1), (5, NULL, 50, ARRAY[NULL,5]::int[], 3), (6, 2, 21, ARRAY[6,7,8], 5);
CREATE TABLE lu (k int, v text, w int);
INSERT INTO lu VALUES (1, 'a', 5), (1, 'b', 6), (1, 'c', NULL), (2, 'd', 7), (4, 'e', 8), (NULL, 'f', 9);
CREATE TABLE lw (k int, y int);
INSERT INTO lw VALUES (1, 100), (2, 200), (2, 201), (5, 500);
CREATE TABLE lbig AS SELECT g AS id, g % 7 AS k FROM generate_series(1, 200) g;
SELECT count(*), sum(g) FROM lbig, LATERAL generate_series(1, lbig.k) g;
SELECT * FROM lt, (SELECT v FROM lu WHERE lu.k = lt.k) s;
SELECT * FROM lt, (SELECT v FROM lu WHERE lu.w = x) s;
SELECT * FROM lt, lu JOIN lw ON lw.k = lt.k
-- next seed
CREATE TABLE lk (s text);
INSERT INTO lk VALUES ('a_b'), ('axb'), ('a%'), ('a\b'), ('a!b'), ('AB'), ('a'), (NULL);
SELECT s FROM lk WHERE s LIKE 'a!_b' ESCAPE '!';
SELECT s FROM lk WHERE s LIKE 'a#%' ESCAPE '#'
-- next seed
SELECT pg_typeof(localtime), pg_typeof(localtime(2)), pg_typeof(current_timestamp(3)), pg_typeof(localtimestamp(0)), pg_typeof(localtimestamp);
SELECT localtime = localtimestamp::time, localtime(0) = date_trunc('second', localtimestamp(0))::time, current_timestamp(0) = now()::timestamptz(0), localtimestamp(3) = localtimestamp::timestamp(3), localtime(2) = localtime::time(2);
SET TimeZone = 'Asia/Kolkata';
SELECT localtime = localtimestamp::time, localtime = (now() AT TIME ZONE 'Asia/Kolkata')::time, localtime(4) = (now() AT TIME ZONE 'Asia/Kolkata')::time(4)
-- next seed
SELECT count(DISTINCT localtime) FROM generate_series(1, 100);
BEGIN;
CREATE TEMP TABLE lt_seen AS SELECT localtime AS t, localtimestamp AS ts, now() AS tz, statement_timestamp() AS st;
SELECT t = localtime, ts = localtimestamp, tz = now(), tz = current_timestamp(6), st < statement_timestamp() FROM lt_seen
-- next seed
SELECT nspname, nspacl::text FROM pg_catalog.pg_namespace
WHERE nspname IN ('pg_catalog', 'information_schema', 'pg_toast')
ORDER BY 1
-- next seed
CREATE TABLE ng(col0 INTEGER, col1 INTEGER, col2 INTEGER);
INSERT INTO ng VALUES (83,0,38), (26,0,79), (43,81,24), (NULL, 5, NULL);
SELECT DISTINCT col1 FROM ng WHERE NOT CASE 87 WHEN col1 THEN col1 ELSE NULL END NOT BETWEEN - col1 / col1 AND NULL GROUP BY col1;
SELECT count(*) FROM ng WHERE NOT - col0 NOT BETWEEN (NULL) AND col1 * - col0 / 0 GROUP BY col0
-- next seed
SELECT 12345::numeric(5,-2)::text, 12350::numeric(5,-2)::text, (-12350)::numeric(5,-2)::text, 12349.99::numeric(5,-2)::text, 49::numeric(2,-2)::text, 50::numeric(2,-2)::text;
SELECT 0.001234::numeric(4,6)::text, CAST(0.0012345 AS numeric(4,6))::text, CAST(-0.0012345 AS numeric(4,6))::text, 0.0099994::numeric(4,6)::text, 0::numeric(4,6)::text;
SELECT 9999949::numeric(5,-2)::text, (-9999949)::numeric(5,-2)::text, 0.009999499::numeric(4,6)::text, 1.5::numeric(1,-1)::text;
SELECT '12345'::numeric(5,-2)::text, '  -0.0012345e0 '::numeric(4,6)::text, '1.2345e5'::numeric(5,-2)::text, 'NaN'::numeric(5,-2)::text
-- next seed
SELECT 12345678901234567890123456789012345678901234567890.123456789012::numeric(60,10)::text;
SELECT 1.5::numeric(60,10)::text, (-2.25)::numeric(39,1)::text;
SELECT (10::numeric ^ 999)::numeric(1000,0) = 10::numeric ^ 999;
SELECT pg_typeof(1::numeric(5,-2)), pg_typeof(1::numeric(60,10)), pg_typeof(CAST(0.001 AS numeric(4,6)))
-- next seed
SELECT 1::numeric(5,-1001);
SELECT 1::numeric(5,1001);
CREATE TABLE nt (id int, h numeric(5,-2), m numeric(4,6), w numeric(60,10), k numeric(3,-3));
INSERT INTO nt VALUES (1, 12345, 0.001234, 1.23456789012, 123456), (2, 12350, 0.0012345, -98765432109876543210987654321.5, -449), (3, -250, -0.0000005, 0, 500)
-- next seed
CREATE TABLE nt (id int, h numeric(5,-2), m numeric(4,6), w numeric(60,10), k numeric(3,-3));
INSERT INTO nt VALUES (1, 12345, 0.001234, 1.23456789012, 123456), (2, 12350, 0.0012345, -98765432109876543210987654321.5, -449), (3, -250, -0.0000005, 0, 500);
INSERT INTO nt VALUES (4, '9999949', '0.009999', '1e49', '999499'), (5, NULL, NULL, NULL, NULL), (6, 150, 0.000001, 0.00000000005, 1500);
INSERT INTO nt SELECT 7, 12345.678::float8, 0.0012345::float8, 2.5, 2500;
INSERT INTO nt VALUES (8, 10000000, 0, 0, 0);
INSERT INTO nt VALUES (8, 0, 0.01, 0, 0);
INSERT INTO nt VALUES (8, 0, 0, 0, 999500);
INSERT INTO nt (id, h) SELECT 8, 123456789;
SELECT id, h::text, m::text FROM nt WHERE id <= 3 ORDER BY id;
UPDATE nt SET h = h * 1000 WHERE id = 1;
SELECT id, h::text, m::text, w::text, k::text FROM nt ORDER BY id;
INSERT INTO nt VALUES (9, 12351, 0.0000015, 1, 1)
-- next seed
CREATE TABLE nt (id int, h numeric(5,-2), m numeric(4,6), w numeric(60,10), k numeric(3,-3));
INSERT INTO nt VALUES (1, 12345, 0.001234, 1.23456789012, 123456), (2, 12350, 0.0012345, -98765432109876543210987654321.5, -449), (3, -250, -0.0000005, 0, 500);
INSERT INTO nt VALUES (4, '9999949', '0.009999', '1e49', '999499'), (5, NULL, NULL, NULL, NULL), (6, 150, 0.000001, 0.00000000005, 1500);
INSERT INTO nt SELECT 7, 12345.678::float8, 0.0012345::float8, 2.5, 2500;
INSERT INTO nt VALUES (8, 10000000, 0, 0, 0);
INSERT INTO nt VALUES (8, 0, 0.01, 0, 0);
INSERT INTO nt VALUES (8, 0, 0, 0, 999500);
INSERT INTO nt (id, h) SELECT 8, 123456789;
INSERT INTO nt VALUES (9, 12351, 0.0000015, 1, 1);
SELECT sum(h)::text, avg(h)::text, min(h)::text, max(h)::text, count(h) FROM nt;
SELECT sum(m)::text, avg(m)::text, min(m)::text, max(m)::text FROM nt;
SELECT sum(w)::text, avg(w)::text, min(w)::text, max(w)::text FROM nt;
SELECT sum(k)::text, min(k)::text, max(k)::text FROM nt
-- next seed
CREATE TABLE nt (id int, h numeric(5,-2), m numeric(4,6), w numeric(60,10), k numeric(3,-3));
INSERT INTO nt VALUES (1, 12345, 0.001234, 1.23456789012, 123456), (2, 12350, 0.0012345, -98765432109876543210987654321.5, -449), (3, -250, -0.0000005, 0, 500);
INSERT INTO nt VALUES (4, '9999949', '0.009999', '1e49', '999499'), (5, NULL, NULL, NULL, NULL), (6, 150, 0.000001, 0.00000000005, 1500);
INSERT INTO nt SELECT 7, 12345.678::float8, 0.0012345::float8, 2.5, 2500;
INSERT INTO nt VALUES (8, 10000000, 0, 0, 0);
INSERT INTO nt VALUES (8, 0, 0.01, 0, 0);
INSERT INTO nt VALUES (8, 0, 0, 0, 999500);
INSERT INTO nt (id, h) SELECT 8, 123456789;
INSERT INTO nt VALUES (9, 12351, 0.0000015, 1, 1);
CREATE TABLE nt2 (x numeric(10,2), y numeric);
INSERT INTO nt2 VALUES (12300, 12300), (150.00, 0.000617), (-300, 150);
CREATE TABLE nt3 AS SELECT id, h, m FROM nt WHERE id <= 3;
INSERT INTO nt3 SELECT 10, y, y FROM nt2 WHERE y < 1;
INSERT INTO nt3 SELECT 11, y, y FROM nt2;
SELECT id, h::text, m::text FROM nt3 ORDER BY id
-- next seed
CREATE TABLE nt2 (x numeric(10,2), y numeric);
INSERT INTO nt2 VALUES (12300, 12300), (150.00, 0.000617), (-300, 150);
SELECT x::text, y::text FROM nt2 ORDER BY x;
CREATE TABLE ntk (k numeric(5,-2) PRIMARY KEY, v numeric(3,-3) DEFAULT 12345, a numeric(4,6)[]);
INSERT INTO ntk (k, a) VALUES (12345, '{0.0012345, NULL, -0.001}'), (150, ARRAY[0.000001, 0.0000005]);
INSERT INTO ntk (k) VALUES (12340)
-- next seed
CREATE TABLE ntf (r numeric(5,-2) REFERENCES ntk);
INSERT INTO ntf VALUES (12349), (199);
INSERT INTO ntf VALUES (12351);
CREATE DOMAIN ntd AS numeric(5,-2);
SELECT 12345::ntd::text;
SELECT 123456789::ntd;
DROP TABLE ntf
-- next seed
CREATE TABLE ntc (id int, a numeric(15,2), b numeric(10,4), c numeric(6,0));
INSERT INTO ntc VALUES (1, 0.04, 0.0549, 1), (2, 0.05, 0.0550, 2), (3, 0.06, 0.0551, 3), (4, 0.07, 1.5, 24), (5, 24.00, -0.05, 25), (6, NULL, NULL, NULL), (7, -0.05, 24, -24), (8, 23.99, 0.06, 99999), (9, 9999999999999.99, -9999.9999, -999999);
SELECT id FROM ntc WHERE a BETWEEN .06 - 0.01 AND .06 + 0.01;
SELECT id FROM ntc WHERE a < 24
-- next seed
CREATE TABLE ntc (id int, a numeric(15,2), b numeric(10,4), c numeric(6,0));
INSERT INTO ntc VALUES (1, 0.04, 0.0549, 1), (2, 0.05, 0.0550, 2), (3, 0.06, 0.0551, 3), (4, 0.07, 1.5, 24), (5, 24.00, -0.05, 25), (6, NULL, NULL, NULL), (7, -0.05, 24, -24), (8, 23.99, 0.06, 99999), (9, 9999999999999.99, -9999.9999, -999999);
SELECT id FROM ntc WHERE b <= 0.0550 * 1;
SELECT id FROM ntc WHERE c > 1.5 * 1;
SELECT id FROM ntc WHERE c = 24 + 0;
SELECT id FROM ntc WHERE 0.05 * 1 < a
-- next seed
CREATE TABLE ocr_kv (k int PRIMARY KEY, v text, n numeric(8,3), t timestamptz, a int[]);
INSERT INTO ocr_kv SELECT g, 'old' || g, g, '2020-01-01'::timestamptz + g * interval '1 day', ARRAY[g] FROM generate_series(1, 10, 2) g;
INSERT INTO ocr_kv AS x SELECT g, 'new' || g, g * 1.5, '2021-01-01', ARRAY[g, g] FROM generate_series(10, 1, -1) g
  ON CONFLICT (k) DO UPDATE SET v = x.v || '+' || EXCLUDED.v, n = EXCLUDED.n WHERE x.k <> 5
  RETURNING k, v, n, t, a;
INSERT INTO ocr_kv AS x (k, v) VALUES (2, 'again'), (20, 'twenty'), (1, 'again'), (21, 'twenty-one')
  ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v RETURNING k, v
-- next seed
CREATE TABLE orn (k int, name text, x int);
INSERT INTO orn VALUES (1, 'FRANCE', 10), (2, 'GERMANY', 20), (3, 'ITALY', NULL), (4, NULL, 40), (5, 'FRANCE', 50), (NULL, 'GERMANY', 60);
CREATE TABLE orm (k int, name text, y int);
INSERT INTO orm VALUES (1, 'GERMANY', 1), (2, 'FRANCE', 2), (3, NULL, 3), (4, 'ITALY', NULL), (5, 'GERMANY', 5), (6, 'FRANCE', 6), (NULL, NULL, 7)
-- next seed
CREATE TABLE ojl (k int, a int, t text);
INSERT INTO ojl VALUES (1, 10, 'x'), (2, 20, 'y'), (3, NULL, NULL), (4, 40, 'w'), (NULL, 50, 'v');
CREATE TABLE ojr (k int, b int, u text, arr int[]);
INSERT INTO ojr VALUES (1, 100, 'p', '{1}'), (2, NULL, NULL, NULL), (2, 200, 'q', '{2,3}'), (5, 500, 'r', '{}')
-- next seed
CREATE TABLE ojl (k int, a int, t text);
INSERT INTO ojl VALUES (1, 10, 'x'), (2, 20, 'y'), (3, NULL, NULL), (4, 40, 'w'), (NULL, 50, 'v');
CREATE TABLE ojr (k int, b int, u text, arr int[]);
INSERT INTO ojr VALUES (1, 100, 'p', '{1}'), (2, NULL, NULL, NULL), (2, 200, 'q', '{2,3}'), (5, 500, 'r', '{}');
SELECT l.k, r.k, (r.arr || l.a)::text FROM ojl l LEFT JOIN ojr r ON l.k = r.k WHERE (r.arr || l.a) IS NOT NULL;
SELECT l.k, l.a, r.k, r.b FROM ojl l LEFT JOIN ojr r ON l.k = r.k WHERE (r.u || 'z') = 'pz';
SELECT l.k, l.a, r.k, r.b FROM ojl l LEFT JOIN ojr r ON l.k = r.k AND r.b > 150 WHERE l.a > 5;
SELECT l.k, l.a, r.k, r.b FROM ojl l LEFT JOIN ojr r ON l.k = r.k LEFT JOIN ojr r2 ON r2.k = r.k WHERE r2.b = 100
-- next seed
CREATE SCHEMA pct;
COMMENT ON SCHEMA pct IS 'catalog tests';
CREATE TYPE pct.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN pct.posint AS integer NOT NULL CHECK (VALUE > 0)
-- next seed
CREATE TABLE pct.parent (id serial PRIMARY KEY, code varchar(20) NOT NULL UNIQUE, price numeric(10,2) DEFAULT 1.5, note text, m pct.mood, tags int[], qty pct.posint, nm pct.shortname, ts timestamp(3), c char(4), b bool, f float8, CHECK (price > 0));
CREATE TABLE pct.pair (x int, y int, PRIMARY KEY (x, y));
CREATE TABLE pct.child (cid int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, pid int REFERENCES pct.parent (id) ON DELETE CASCADE, a int, b int, CONSTRAINT ab_positive CHECK (a > 0 AND b > 0));
ALTER TABLE pct.child ADD CONSTRAINT child_ab_fkey FOREIGN KEY (a, b) REFERENCES pct.pair (x, y) ON UPDATE SET NULL;
CREATE INDEX child_ba_idx ON pct.child (b, a)
-- next seed
SELECT c.relname, a.attname, a.attidentity
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'pct' AND a.attidentity <> '';
SELECT c.relname, a.attname, d.adnum
FROM pg_catalog.pg_attrdef d
JOIN pg_catalog.pg_class c ON c.oid = d.adrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
WHERE n.nspname = 'pct'
ORDER BY 1, 3;
SELECT c.relname, c.relkind, a.attname, t.typname, a.attnotnull, d.adrelid IS NOT NULL AS has_default, dsc.description
FROM pg_catalog.pg_namespace n
JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
JOIN pg_catalog.pg_type t ON a.atttypid = t.oid
LEFT JOIN pg_catalog.pg_attrdef d ON a.attrelid = d.adrelid AND a.attnum = d.adnum
LEFT JOIN pg_catalog.pg_description dsc ON c.oid = dsc.objoid AND a.attnum = dsc.objsubid
LEFT JOIN pg_catalog.pg_class dc ON dc.oid = dsc.classoid AND dc.relname = 'pg_class'
LEFT JOIN pg_catalog.pg_namespace dn ON dc.relnamespace = dn.oid AND dn.nspname = 'pg_catalog'
WHERE c.relkind IN ('r', 'p', 'v', 'f', 'm') AND a.attnum > 0 AND NOT a.attisdropped AND n.nspname = 'pct'
ORDER BY 1, a.attnum
-- next seed
SELECT t.typname, i.proname, o.proname, rc.proname, s.proname
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_proc i ON i.oid = t.typinput
JOIN pg_catalog.pg_proc o ON o.oid = t.typoutput
LEFT JOIN pg_catalog.pg_proc rc ON rc.oid = t.typreceive
LEFT JOIN pg_catalog.pg_proc s ON s.oid = t.typsend
WHERE n.nspname = 'pct' AND t.typname IN ('mood', '_mood', 'parent', '_parent')
ORDER BY 1;
SELECT t.typname, e.enumsortorder, e.enumlabel
FROM pg_catalog.pg_enum e
JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = 'pct'
ORDER BY e.enumsortorder;
SELECT t.typname, t.typlen, t.typbyval, t.typtype, t.typcategory, e.typname, t.typalign, t.typcollation
FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem
WHERE t.oid IN (16, 23, 25, 1043, 1007, 1700, 2249)
ORDER BY t.oid;
SELECT i.relname, t.relname, x.indisunique, x.indisprimary, x.indnatts, x.indnkeyatts, a.attname
FROM pg_catalog.pg_index x
JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (x.indkey)
WHERE n.nspname = 'pct'
ORDER BY 1, a.attnum
-- next seed
SELECT d.description FROM pg_catalog.pg_description d JOIN pg_catalog.pg_proc p ON p.oid = d.objoid
WHERE d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.proname = 'lower' AND p.pronargs = 1 AND p.prorettype = 25;
SELECT s.relname, t.relname, d.refobjsubid, d.deptype
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_class s ON s.oid = d.objid
JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
JOIN pg_catalog.pg_namespace n ON n.oid = s.relnamespace
WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
  AND s.relkind = 'S' AND n.nspname = 'pct'
ORDER BY 1;
SELECT t.typname, r.relname, d.deptype
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_type t ON t.oid = d.objid
JOIN pg_catalog.pg_class r ON r.oid = d.refobjid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND n.nspname = 'pct'
ORDER BY 1;
SELECT t.typname, e.typname, d.deptype
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_type t ON t.oid = d.objid
JOIN pg_catalog.pg_type e ON e.oid = d.refobjid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND n.nspname = 'pct'
ORDER BY 1
-- next seed
CREATE TABLE pkn_a (id int CONSTRAINT pkn_a_id_pk PRIMARY KEY, v text);
CREATE TABLE pkn_b (x int, y int, CONSTRAINT pkn_b_key PRIMARY KEY (x, y));
CREATE TABLE pkn_c (id int PRIMARY KEY);
SELECT c.conrelid::regclass::text, c.conname, c.conindid::regclass::text FROM pg_constraint c WHERE c.contype = 'p' AND c.conrelid::regclass::text LIKE 'pkn_%'
-- next seed
CREATE TABLE pkn_a (id int CONSTRAINT pkn_a_id_pk PRIMARY KEY, v text);
INSERT INTO pkn_a VALUES (1, 'x'), (1, 'y');
ALTER TABLE pkn_d RENAME CONSTRAINT pkn_c_pkey TO pkn_d_main;
SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'pkn_d'::regclass;
ALTER TABLE pkn_d RENAME CONSTRAINT pkn_d_main TO pkn_a;
INSERT INTO pkn_d VALUES (1)
-- next seed
INSERT INTO pkn_d VALUES (1);
INSERT INTO pkn_d VALUES (1);
INSERT INTO pkn_d VALUES (1) ON CONFLICT ON CONSTRAINT pkn_d_main DO NOTHING;
SELECT conname FROM pg_constraint WHERE conrelid = 'pkn_d'::regclass;
ALTER TABLE pkn_d DROP CONSTRAINT pkn_z;
ALTER TABLE pkn_d ADD PRIMARY KEY (id);
SELECT conname FROM pg_constraint WHERE conrelid = 'pkn_d'::regclass
-- next seed
CREATE TABLE rc (i int4, b int8, r float4, n numeric, d float8);
INSERT INTO rc VALUES (16777217, 16777217, 16777216, 1.1, 1.1), (1, 1, 1.1, 1.1, 0.1), (2, 3, 2.5, 2.5, 2.5);
SELECT i = r, b = r, n < r, n = r, r = d, r > 1.1 FROM rc;
SELECT i FROM rc WHERE i IN (r, 2)
-- next seed
SELECT array_agg(t) FROM (VALUES (1,'a'),(2,'b')) t(x,y);
SELECT ARRAY[ROW(1,'a')];
SELECT ARRAY[ROW(1,'a'), ROW(2, NULL), NULL];
SELECT pg_typeof(ARRAY[ROW(1,'a')]), pg_typeof(array_agg(t)) FROM (VALUES (1,'a')) t(x,y)
-- next seed
SELECT array_length(ARRAY[ROW(1,'a'), ROW(2,'b')], 1), cardinality(array_agg(t)) FROM (VALUES (1,'a')) t(x,y);
SELECT x, array_agg(t) FROM (VALUES (1,'a'),(1,'b'),(2,'c')) t(x,y) GROUP BY x ORDER BY x;
SELECT ARRAY[ROW(1, ARRAY[1,2]), ROW(2, ARRAY[3])];
SELECT ARRAY[ROW(ROW(1,2),'x')]
-- next seed
SELECT t, (SELECT array_agg(s) FROM (VALUES (t.x, 'z')) s(a,b)) FROM (VALUES (1,'a')) t(x,y);
SELECT array_agg(t) FROM (VALUES (1::numeric/3, interval '1 day', true, '\x01'::bytea, NULL::int)) t;
SELECT ARRAY[ROW(1.5::float8, 'x'::char(3), '{"a":1}'::jsonb, timestamptz '2020-01-01 00:00+00')];
SET TimeZone = 'Asia/Kolkata'
-- next seed
CREATE TABLE ra_rows (a int, b text);
INSERT INTO ra_rows VALUES (1, 'x'), (2, 'y,z'), (3, NULL);
SELECT u FROM unnest((SELECT array_agg(t ORDER BY a) FROM ra_rows t)) u;
SELECT * FROM unnest((SELECT array_agg(t ORDER BY a) FROM ra_rows t), ARRAY[1, 2, 3, 4]) u;
SELECT * FROM unnest((SELECT array_agg(t ORDER BY a) FROM ra_rows t)) WITH ORDINALITY u(p, q, n);
SELECT * FROM unnest((SELECT array_agg(t) FROM (VALUES (1, 'a'), (2, NULL)) t(x, y))) AS u(x int, y text) ORDER BY x
-- next seed
CREATE TABLE rt (a int, b text);
INSERT INTO rt VALUES (1, 'x'), (2, NULL), (NULL, 'a,b'), (NULL, NULL), (3, ''), (4, 'a b'), (5, 'q"u\o'), (6, '(p)'), (7, 'NULL'), (8, ' lead');
CREATE TABLE rl (x int, y text);
INSERT INTO rl VALUES (1, 'one'), (2, 'two'), (3, NULL)
-- next seed
CREATE TABLE rt (a int, b text);
INSERT INTO rt VALUES (1, 'x'), (2, NULL), (NULL, 'a,b'), (NULL, NULL), (3, ''), (4, 'a b'), (5, 'q"u\o'), (6, '(p)'), (7, 'NULL'), (8, ' lead');
SELECT t FROM rt t WHERE t.a < 3;
SELECT ROW(1, 'a'), (1, 'a');
SELECT ROW(), ROW(NULL), ROW(NULL, NULL), ROW(1, NULL, 'x y');
SELECT ROW(1.5, 'x'::varchar, true, NULL::int, ARRAY[1, 2], '{"a": 1}'::jsonb, ROW(1, 'z'), 'a"b'::text, '2020-01-02'::date)
-- next seed
CREATE TABLE rt (a int, b text);
INSERT INTO rt VALUES (1, 'x'), (2, NULL), (NULL, 'a,b'), (NULL, NULL), (3, ''), (4, 'a b'), (5, 'q"u\o'), (6, '(p)'), (7, 'NULL'), (8, ' lead');
SELECT ROW(rt.*, 1) FROM rt WHERE a = 5;
SELECT ROW(1, 'a')::text;
SELECT rt::text FROM rt WHERE a = 6;
SELECT s, to_jsonb(s) FROM (SELECT 1 AS a, 2 AS a) s
-- next seed
CREATE TABLE rc (rc int, v int);
INSERT INTO rc VALUES (7, 8);
SELECT rc, rc.v FROM rc;
SELECT to_jsonb(rc.*) FROM rc;
CREATE TABLE rn (x int);
INSERT INTO rn VALUES (NULL)
-- next seed
CREATE TABLE rl (x int, y text);
INSERT INTO rl VALUES (1, 'one'), (2, 'two'), (3, NULL);
CREATE TABLE rr (x int, z int);
INSERT INTO rr VALUES (1, 10), (1, 11), (3, NULL), (4, NULL);
CREATE TABLE rn (x int);
INSERT INTO rn VALUES (NULL);
SELECT to_jsonb(rr) FROM rl LEFT JOIN (rn LEFT JOIN rr ON rr.x = 4) ON rl.x = 1;
SELECT j, to_jsonb(j) FROM rl LEFT JOIN (rn CROSS JOIN rr) j ON rl.x = 1;
SELECT count(rr), count(*) FROM rl LEFT JOIN rr ON rl.x = rr.x;
SELECT json_agg(rr ORDER BY rr.z) FROM rl LEFT JOIN rr ON rl.x = rr.x GROUP BY rl.x
-- next seed
CREATE TABLE rt (a int, b text);
INSERT INTO rt VALUES (1, 'x'), (2, NULL), (NULL, 'a,b'), (NULL, NULL), (3, ''), (4, 'a b'), (5, 'q"u\o'), (6, '(p)'), (7, 'NULL'), (8, ' lead');
SELECT (ROW(1, 2)).*;
SELECT (rt).* FROM rt WHERE a < 3;
SELECT (rt.*).* FROM rt WHERE a < 3;
SELECT (r).f2 FROM (SELECT ROW(1, 2) r) x
-- next seed
CREATE TABLE rt (a int, b text);
INSERT INTO rt VALUES (1, 'x'), (2, NULL), (NULL, 'a,b'), (NULL, NULL), (3, ''), (4, 'a b'), (5, 'q"u\o'), (6, '(p)'), (7, 'NULL'), (8, ' lead');
SELECT a, rt IS NULL, rt IS NOT NULL FROM rt;
SELECT r IS NULL, r IS NOT NULL FROM (SELECT ROW(NULL, NULL) r) s;
SELECT ROW(rt.*) IS NULL, ROW(rt.*) IS NOT NULL FROM rt WHERE a = 1;
SELECT ROW(1, NULL::int) = ROW(1, NULL::int)
-- next seed
CREATE TABLE rt (a int, b text);
INSERT INTO rt VALUES (1, 'x'), (2, NULL), (NULL, 'a,b'), (NULL, NULL), (3, ''), (4, 'a b'), (5, 'q"u\o'), (6, '(p)'), (7, 'NULL'), (8, ' lead');
SELECT rt = ROW(1) FROM rt;
SELECT '(1,2)'::record;
SELECT NULL::record IS NULL;
SELECT DISTINCT rt FROM rt ORDER BY rt
-- next seed
CREATE TABLE rt (a int, b text);
INSERT INTO rt VALUES (1, 'x'), (2, NULL), (NULL, 'a,b'), (NULL, NULL), (3, ''), (4, 'a b'), (5, 'q"u\o'), (6, '(p)'), (7, 'NULL'), (8, ' lead');
SELECT jsonb_agg(rt ORDER BY rt) FROM rt WHERE a < 4;
SELECT json_agg(r ORDER BY a) FROM (SELECT a, ROW(a, ROW(b)) r FROM rt WHERE a < 3) s;
SELECT json_object_agg(a, rt ORDER BY a) FROM rt WHERE a < 3;
SELECT json_agg(rt) FROM rt WHERE false
-- next seed
SELECT * FROM jsonb_to_record(NULL) AS x(a int);
SELECT count(*) FROM jsonb_to_recordset(NULL) AS x(a int);
SELECT * FROM jsonb_to_recordset('[{"a":1},{"a":2,"b":"q"},{}]') AS x(a int, b text);
SELECT * FROM json_to_recordset('[{"a":1,"a":2,"b":"z"},{"b":null}]') AS x(a int, b text)
-- next seed
SELECT * FROM json_to_record('{"a":"abc", "b": [1, 2 ]}') AS x(a json, b jsonb);
SELECT a IS NULL, b IS NULL, c IS NULL FROM json_to_record('{"a":null,"b":null,"c":null}') AS x(a json, b jsonb, c int[]);
SELECT * FROM jsonb_to_record('{"a":"xyz","b":"1 day","c":12.345}') AS x(a char(5), b interval, c numeric(5,1));
SELECT * FROM jsonb_to_record('{"a":"2020-01-01 10:00+02"}') AS x(a timestamptz)
-- next seed
SELECT jsonb_to_record('{"a":1}');
SELECT * FROM jsonb_to_recordset('{"a":1}') AS x(a int);
SELECT * FROM json_to_recordset('{"a":1}') AS x(a int);
SELECT * FROM json_to_recordset('1') AS x(a int)
-- next seed
CREATE TABLE rt (a int, b text);
INSERT INTO rt VALUES (1, 'x'), (2, NULL), (NULL, 'a,b'), (NULL, NULL), (3, ''), (4, 'a b'), (5, 'q"u\o'), (6, '(p)'), (7, 'NULL'), (8, ' lead');
CREATE TABLE rbad AS SELECT ROW(1, 2) AS r;
SELECT pg_typeof(rt), pg_typeof(ROW(1)) FROM rt WHERE a = 1;
SELECT to_jsonb(x) FROM rt AS x(p, q) WHERE p = 1;
SELECT CASE WHEN true THEN ROW(1, 'a'::text) ELSE rt END FROM rt
-- next seed
CREATE TABLE rt (a int, b text);
INSERT INTO rt VALUES (1, 'x'), (2, NULL), (NULL, 'a,b'), (NULL, NULL), (3, ''), (4, 'a b'), (5, 'q"u\o'), (6, '(p)'), (7, 'NULL'), (8, ' lead');
SELECT * FROM json_populate_recordset(NULL::rt, '[{"a":1},{"b":"x"}]');
SELECT count(*) FROM jsonb_populate_recordset(NULL::rt, NULL);
SELECT * FROM jsonb_populate_recordset(NULL::rt, '[{"a":1},{"b":"x","c":3}]') _;
SELECT * FROM jsonb_populate_record(NULL::record, '{"a":1}') AS x(a int)
-- next seed
SELECT '{23,25}'::oid[]::regtype[]::text[];
SELECT ARRAY[23::regtype, NULL]::text[];
SELECT ARRAY['int4'::regtype, 'timestamptz'::regtype]::text;
SELECT ARRAY['pg_class'::regclass]::varchar[]
-- next seed
CREATE TABLE rs (id int, s text, p text, f text);
INSERT INTO rs VALUES (1, 'foo123bar45', '\d+', 'g'), (2, 'Hello World', '(o)(r)?', 'gi'), (3, '', 'x*', ''), (4, NULL, 'a', 'g'), (5, 'abc', NULL, ''), (6, 'a,b,,c', ',', NULL), (7, 'añb€c', '', 'g'), (8, 'ABCabc', 'b', 'i');
SELECT regexp_match('foobarbequebaz', 'bar.*que');
SELECT regexp_match('foobarbequebaz', '(bar)(beque)')
-- next seed
SELECT regexp_match('abc', '((a)(b))c');
SELECT regexp_match('abc', '(?:a)(b)');
SELECT regexp_match('abc', '');
SELECT regexp_match('', '')
-- next seed
SELECT regexp_match(E'x\nab', '^a(.)', 'n');
SELECT regexp_match('ñandú', '([áéíóú])(.*)');
SELECT regexp_match('foo bar', '(\w+) (\w+)');
SELECT (regexp_match('foo bar', '(\w+) (\w+)'))[2]
-- next seed
CREATE TABLE rs (id int, s text, p text, f text);
INSERT INTO rs VALUES (1, 'foo123bar45', '\d+', 'g'), (2, 'Hello World', '(o)(r)?', 'gi'), (3, '', 'x*', ''), (4, NULL, 'a', 'g'), (5, 'abc', NULL, ''), (6, 'a,b,,c', ',', NULL), (7, 'añb€c', '', 'g'), (8, 'ABCabc', 'b', 'i');
SELECT id, regexp_match(s, 'b', 'i') FROM rs ORDER BY id;
SELECT id, unnest(regexp_match(s, '(.)(.)')) FROM rs ORDER BY id;
SELECT pg_typeof(regexp_match('a', 'a'));
SELECT array_length(regexp_match('abc', '(a)(b)(c)'), 1)
-- next seed
SELECT regexp_matches('abc', '$', 'g');
SELECT regexp_matches(E'ab\ncd', '^(.)', 'gn');
SELECT regexp_matches('ABCabc', 'b', 'gi');
SELECT regexp_matches('ABCabc', 'b', 'ig')
-- next seed
CREATE TABLE rs (id int, s text, p text, f text);
INSERT INTO rs VALUES (1, 'foo123bar45', '\d+', 'g'), (2, 'Hello World', '(o)(r)?', 'gi'), (3, '', 'x*', ''), (4, NULL, 'a', 'g'), (5, 'abc', NULL, ''), (6, 'a,b,,c', ',', NULL), (7, 'añb€c', '', 'g'), (8, 'ABCabc', 'b', 'i');
SELECT regexp_matches('a', NULL, 'g');
SELECT regexp_matches('a', 'a', NULL);
SELECT id, regexp_matches(s, p, f) FROM rs WHERE id <> 6 ORDER BY id;
SELECT id, regexp_matches(s, '[a-c]', 'gi') FROM rs ORDER BY id
-- next seed
SELECT regexp_split_to_array('hello world', '\s+');
SELECT regexp_split_to_array('hello world', '\s*');
SELECT regexp_split_to_array('  a  b ', '\s*');
SELECT regexp_split_to_array('  a  b ', '\s+')
-- next seed
SELECT regexp_split_to_array('aaa', 'a*');
SELECT regexp_split_to_array('aaa', 'a');
SELECT regexp_split_to_array('aXbXc', 'x', 'i');
SELECT regexp_split_to_array('aXbXc', 'x')
-- next seed
CREATE TABLE rs (id int, s text, p text, f text);
INSERT INTO rs VALUES (1, 'foo123bar45', '\d+', 'g'), (2, 'Hello World', '(o)(r)?', 'gi'), (3, '', 'x*', ''), (4, NULL, 'a', 'g'), (5, 'abc', NULL, ''), (6, 'a,b,,c', ',', NULL), (7, 'añb€c', '', 'g'), (8, 'ABCabc', 'b', 'i');
SELECT id, regexp_split_to_array(s, p) FROM rs ORDER BY id;
SELECT id, regexp_split_to_array(s, '[,b]', 'i') FROM rs ORDER BY id;
SELECT regexp_split_to_table('hello world', '\s*');
SELECT regexp_split_to_table('the quick brown fox', '\s+')
-- next seed
CREATE TABLE rs (id int, s text, p text, f text);
INSERT INTO rs VALUES (1, 'foo123bar45', '\d+', 'g'), (2, 'Hello World', '(o)(r)?', 'gi'), (3, '', 'x*', ''), (4, NULL, 'a', 'g'), (5, 'abc', NULL, ''), (6, 'a,b,,c', ',', NULL), (7, 'añb€c', '', 'g'), (8, 'ABCabc', 'b', 'i');
SELECT * FROM regexp_split_to_table('a b  c', ' ') WITH ORDINALITY;
SELECT w, n FROM regexp_split_to_table('a b  c', '\s+') WITH ORDINALITY AS t(w, n);
SELECT rs.id, x.n, x.w FROM rs, regexp_split_to_table(rs.s, ',') WITH ORDINALITY AS x(w, n) ORDER BY rs.id, x.n;
SELECT * FROM ROWS FROM (regexp_split_to_table('a b c', ' '), string_to_table('x,y', ',')) WITH ORDINALITY
-- next seed
SELECT string_to_table('a,b,,c', ',');
SELECT string_to_table('a,b,,c', ',', '');
SELECT string_to_table('a,b,,c', ',', 'b');
SELECT string_to_table('a,b,,c', ',', NULL)
-- next seed
CREATE TABLE rs (id int, s text, p text, f text);
INSERT INTO rs VALUES (1, 'foo123bar45', '\d+', 'g'), (2, 'Hello World', '(o)(r)?', 'gi'), (3, '', 'x*', ''), (4, NULL, 'a', 'g'), (5, 'abc', NULL, ''), (6, 'a,b,,c', ',', NULL), (7, 'añb€c', '', 'g'), (8, 'ABCabc', 'b', 'i');
SELECT string_to_table('x€y€€z', '€');
SELECT string_to_table('abc', NULL, 'b');
SELECT * FROM string_to_table('1|2|3', '|') WITH ORDINALITY;
SELECT id, string_to_table(s, ',') FROM rs ORDER BY id
-- next seed
CREATE TABLE rs (id int, s text, p text, f text);
INSERT INTO rs VALUES (1, 'foo123bar45', '\d+', 'g'), (2, 'Hello World', '(o)(r)?', 'gi'), (3, '', 'x*', ''), (4, NULL, 'a', 'g'), (5, 'abc', NULL, ''), (6, 'a,b,,c', ',', NULL), (7, 'añb€c', '', 'g'), (8, 'ABCabc', 'b', 'i');
SELECT string_to_array(',', ',');
SELECT id, string_to_array(s, f, 'b') FROM rs ORDER BY id;
SELECT pg_typeof(string_to_table('a', 'b'));
SELECT regexp_split_to_array('a-b'::varchar, '-'::varchar)
-- next seed
CREATE TABLE rs (id int, s text, p text, f text);
INSERT INTO rs VALUES (1, 'foo123bar45', '\d+', 'g'), (2, 'Hello World', '(o)(r)?', 'gi'), (3, '', 'x*', ''), (4, NULL, 'a', 'g'), (5, 'abc', NULL, ''), (6, 'a,b,,c', ',', NULL), (7, 'añb€c', '', 'g'), (8, 'ABCabc', 'b', 'i');
SELECT regexp_match('abc', '(');
SELECT regexp_matches('abc', '(', 'g');
SELECT * FROM regexp_split_to_table('abc', '[');
SELECT id, regexp_split_to_array(s, '(') FROM rs
-- next seed
CREATE TABLE rri_t (id int PRIMARY KEY, v text);
CREATE VIEW rri_v AS SELECT id FROM rri_t;
CREATE SEQUENCE rri_s;
SELECT relname, relkind, relreplident FROM pg_catalog.pg_class
WHERE relname IN ('rri_t', 'rri_v', 'rri_s', 'rri_t_pkey', 'pg_class', 'pg_tables')
ORDER BY 1
-- next seed
CREATE TABLE rw (a int, b int, c text);
INSERT INTO rw VALUES (1, 1, 'x'), (1, 2, 'y'), (2, NULL, 'z'), (NULL, 1, 'w'), (2, 3, NULL), (3, 0, 'v');
SELECT (1, 2) < (1, 3), (1, 2) <= (1, 2), (2, 1) > (1, 9), (1, 2) >= (1, 3), (1, 2) = (1, 2), (1, 2) <> (1, 2), (1, 2) != (2, 2);
SELECT (1, NULL) < (2, 0), (NULL, 1) < (2, 0), (1, NULL) < (1, 0), (2, NULL) < (1, 0), (1, NULL) = (2, 1), (1, NULL) <> (1, 1)
-- next seed
CREATE TABLE rw (a int, b int, c text);
INSERT INTO rw VALUES (1, 1, 'x'), (1, 2, 'y'), (2, NULL, 'z'), (NULL, 1, 'w'), (2, 3, NULL), (3, 0, 'v');
SELECT a, b FROM rw WHERE (a, b) IN ((1, 2), (2, 3), (NULL, 1));
SELECT a, b FROM rw WHERE (a, b) NOT IN ((1, 2), (2, 3));
SELECT a, b FROM rw WHERE (a, b) IS DISTINCT FROM (1, 1);
SELECT a, b FROM rw WHERE (a, b) IS NOT DISTINCT FROM (2, NULL)
-- next seed
create table rt (k int, v varchar, b boolean, d decimal);
insert into rt values (2, 'two', true, 1.50), (1, '', false, 42.0), (3, null, null, null);
select k, v, b, d from rt;
select k from rt
-- next seed
CREATE TABLE fu_a (id int PRIMARY KEY, v int);
CREATE TABLE fu_b (id int PRIMARY KEY, a int);
INSERT INTO fu_a VALUES (1, 10), (2, 20), (3, 30);
INSERT INTO fu_b VALUES (1, 1), (2, 3)
-- next seed
CREATE TABLE fu_a (id int PRIMARY KEY, v int);
CREATE TABLE fu_b (id int PRIMARY KEY, a int);
INSERT INTO fu_a VALUES (1, 10), (2, 20), (3, 30);
INSERT INTO fu_b VALUES (1, 1), (2, 3);
SELECT a.id, a.v, b.id FROM fu_a a JOIN fu_b b ON a.id = b.a ORDER BY a.id FOR UPDATE OF a FOR KEY SHARE OF b NOWAIT;
SELECT fu_a.id, fu_b.id, fu_b.a FROM fu_a LEFT JOIN fu_b ON fu_a.id = fu_b.a ORDER BY 1 FOR UPDATE OF fu_a;
SELECT g, id, v FROM generate_series(1, 2) g, fu_a WHERE id = g ORDER BY 1 FOR UPDATE;
WITH c AS (SELECT 2 AS x) SELECT x, v FROM c, fu_a WHERE id = x FOR UPDATE
-- next seed
CREATE TABLE fu_a (id int PRIMARY KEY, v int);
INSERT INTO fu_a VALUES (1, 10), (2, 20), (3, 30);
COMMIT;
SELECT * FROM fu_a FOR UPDATE OF nosuch;
SELECT * FROM fu_a a FOR SHARE OF fu_a;
SELECT DISTINCT v FROM fu_a FOR UPDATE
-- next seed
CREATE TABLE fu_a (id int PRIMARY KEY, v int);
CREATE TABLE fu_b (id int PRIMARY KEY, a int);
INSERT INTO fu_a VALUES (1, 10), (2, 20), (3, 30);
INSERT INTO fu_b VALUES (1, 1), (2, 3);
SELECT * FROM generate_series(1, 2) g FOR UPDATE OF g;
WITH c AS (SELECT 1 AS x) SELECT * FROM c FOR UPDATE OF c;
SELECT * FROM (fu_a JOIN fu_b ON true) j FOR UPDATE OF j;
BEGIN READ ONLY
-- next seed
CREATE TABLE sr (id int, n int, a int[], j jsonb, t text);
INSERT INTO sr VALUES (1, 3, ARRAY[10,20], '{"b":[1,2],"a":"x"}', 'a,b'), (2, 0, ARRAY[]::int[], '[1,"two",null,{"k":3}]', ''), (3, NULL, NULL, NULL, NULL), (4, 2, ARRAY[40,NULL,60], '{}', 'c');
SELECT * FROM generate_series(1, 5);
SELECT * FROM generate_series(5, 1, -2)
-- next seed
SELECT * FROM generate_series(1.5, 3, 0.5);
SELECT * FROM generate_series(1::numeric, 2, 0.3);
SELECT generate_series(0.10, -0.5, -0.25);
SELECT generate_series(1, 3.5)
-- next seed
SELECT * FROM generate_series('2022-01-01'::timestamp, '2022-01-02', '0 hours');
SELECT * FROM generate_series(now(), now() + '1 day', '-1 hour');
SELECT generate_series('2022-01-01', '2022-01-02', '12 hours');
SELECT generate_series(1, 3), generate_series(1, 2)
-- next seed
CREATE TABLE sr (id int, n int, a int[], j jsonb, t text);
INSERT INTO sr VALUES (1, 3, ARRAY[10,20], '{"b":[1,2],"a":"x"}', 'a,b'), (2, 0, ARRAY[]::int[], '[1,"two",null,{"k":3}]', ''), (3, NULL, NULL, NULL, NULL), (4, 2, ARRAY[40,NULL,60], '{}', 'c');
SELECT id, unnest(a), generate_series(1, n) FROM sr ORDER BY 1, 3, 2;
SELECT unnest(ARRAY[1, 2]) ORDER BY unnest(ARRAY[3, 4, 5]);
SELECT count(*) FROM (SELECT generate_series(1, n) FROM sr) s;
SELECT n, count(*) FROM (SELECT n, generate_series(1, 4) g FROM sr) s GROUP BY n ORDER BY n
-- next seed
SELECT * FROM ROWS FROM (generate_series(1, 2), lower('A')) WITH ORDINALITY;
SELECT * FROM lower('ABC');
SELECT x FROM lower(NULL) x;
SELECT * FROM generate_series(1, 2) WITH ORDINALITY AS x(a)
-- next seed
SELECT unnest('{1,2}');
SELECT generate_subscripts(ARRAY[1, 2, 3], 1);
SELECT generate_subscripts(ARRAY[1, 2, 3], 1, true);
SELECT generate_subscripts(ARRAY[1, 2, 3], 2)
-- next seed
SELECT * FROM jsonb_array_elements('[1, "a", {"x":  2}, null, [true]]');
SELECT * FROM jsonb_array_elements_text('[1, "a", {"x":  2}, null]');
SELECT * FROM jsonb_object_keys('{"b":1, "a":2, "aa":3}') k;
SELECT * FROM json_array_elements('[1, "a" , {"x":  2}]')
-- next seed
CREATE TABLE sr (id int, n int, a int[], j jsonb, t text);
INSERT INTO sr VALUES (1, 3, ARRAY[10,20], '{"b":[1,2],"a":"x"}', 'a,b'), (2, 0, ARRAY[]::int[], '[1,"two",null,{"k":3}]', ''), (3, NULL, NULL, NULL, NULL), (4, 2, ARRAY[40,NULL,60], '{}', 'c');
SELECT * FROM json_array_elements('1');
SELECT * FROM json_each('[1]');
SELECT id, jsonb_array_elements(j) FROM sr WHERE jsonb_typeof(j) = 'array' ORDER BY 1;
SELECT id, k, v FROM sr, jsonb_each(j) AS e(k, v) WHERE jsonb_typeof(j) = 'object' ORDER BY 1, 2
-- next seed
CREATE TABLE sgn_t (id int PRIMARY KEY, v text);
CREATE INDEX sgn_v ON sgn_t (v);
SELECT pg_stat_get_numscans('sgn_v'::regclass), pg_stat_get_numscans(NULL);
SELECT pg_typeof(pg_stat_get_numscans('sgn_t_pkey'::regclass))
-- next seed
CREATE SCHEMA sdn1;
CREATE SCHEMA sdn2;
CREATE SEQUENCE sdn1.q;
CREATE SEQUENCE sdn2.q START 100
-- next seed
INSERT INTO sdn_t DEFAULT VALUES;
SELECT column_default FROM information_schema.columns WHERE table_name = 'sdn_t' ORDER BY ordinal_position;
RESET search_path;
CREATE DOMAIN sdn_d1 int DEFAULT 5;
CREATE DOMAIN sdn_d2 text DEFAULT 'x'
-- next seed
CREATE TABLE sqk (a int, b int);
INSERT INTO sqk VALUES (1, 2);
SELECT (SELECT 1), (SELECT 2) FROM sqk GROUP BY (SELECT 1);
SELECT count(*), (SELECT 1) FROM sqk GROUP BY (SELECT 1)
-- next seed
CREATE TABLE tt_shadow (id int, v text);
INSERT INTO tt_shadow VALUES (1, 'permanent');
CREATE TEMP TABLE tt_shadow (id int, v text);
INSERT INTO tt_shadow VALUES (2, 'temporary')
-- next seed
CREATE TABLE tt_shadow (id int, v text);
INSERT INTO tt_shadow VALUES (1, 'permanent');
CREATE TEMP TABLE tt_shadow (id int, v text);
INSERT INTO tt_shadow VALUES (2, 'temporary');
SELECT * FROM tt_shadow;
DROP TABLE tt_shadow;
CREATE TEMPORARY TABLE tt_keys (id serial PRIMARY KEY, k text UNIQUE, n int DEFAULT 7 CHECK (n > 0));
INSERT INTO tt_keys (k) VALUES ('a'), ('b')
-- next seed
SELECT * FROM pg_temp.tt_into ORDER BY id;
CREATE TEMP TABLE tt_delete (id int) ON COMMIT DELETE ROWS;
BEGIN;
INSERT INTO tt_delete VALUES (1), (2)
-- next seed
CREATE TEMP TABLE tt_drop (id int) ON COMMIT DROP;
INSERT INTO tt_drop VALUES (1);
SELECT count(*) FROM tt_drop;
COMMIT;
SELECT * FROM tt_drop;
BEGIN
-- next seed
CREATE TEMP TABLE tt_as AS SELECT g AS id, g * g AS sq FROM generate_series(1, 5) g;
CREATE TABLE tt_perm (id int, name text);
INSERT INTO tt_perm VALUES (1, 'one'), (2, 'two'), (4, 'four');
SELECT a.id, a.sq, p.name FROM tt_as a JOIN tt_perm p ON p.id = a.id ORDER BY a.id;
CREATE TEMP TABLE public.tt_bad (id int);
CREATE TABLE tt_bad (id int) ON COMMIT DELETE ROWS
-- next seed
CREATE TABLE tt_serial (id serial, b bigint GENERATED ALWAYS AS IDENTITY, c int);
CREATE TEMP TABLE tt_serial_tmp (id serial);
SELECT pg_get_serial_sequence('tt_serial_tmp', 'id');
SELECT nextval(pg_get_serial_sequence('tt_serial_tmp', 'id'));
DROP TABLE tt_serial, tt_serial_tmp;
CREATE TEMP TABLE tt_alias (a int)
-- next seed
SELECT '(1,2)'::tid, '(4294967295,65535)'::tid, '(-1,1)'::tid;
SELECT '(01,+2)'::tid;
SELECT '( 1 , 2 )'::tid;
SELECT '(4294967296,1)'::tid
-- next seed
SELECT 'abc'::pg_lsn;
SELECT '1/'::pg_lsn;
SELECT '1/1 '::pg_lsn;
SELECT '123456789/0'::pg_lsn
-- next seed
SET TimeZone = 'UTC';
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SET TimeZone = 'UTC'
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT date '2022-11-06'::timestamptz, '2022-11-06 01:30'::timestamptz, cast('2022-03-13 02:30' as timestamptz)::text, timestamptz '2022-06-01 12:00+00'::text;
SELECT id, ts < tz, d = tz, ts::timestamptz = tz FROM tz_t ORDER BY id;
SELECT id, extract(hour from tz), extract(minute from tz), extract(day from tz), extract(dow from tz), extract(doy from tz), date_part('week', tz), date_part('isoyear', tz) FROM tz_t ORDER BY id;
SELECT id, extract(timezone from tz), extract(timezone_hour from tz), extract(timezone_minute from tz), date_part('timezone_m', tz), extract(epoch from tz)::text FROM tz_t ORDER BY id
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT timestamptz '2022-03-14 04:00+00' - interval '1 day', timestamptz '2022-01-31 23:00+00' + interval '1 mon 1 day 1 hour';
SELECT id, age(tz, timestamptz '2022-01-01 00:00+00') FROM tz_t ORDER BY id;
SELECT id, age(tz) = age(current_date::timestamptz, tz) FROM tz_t ORDER BY id;
SELECT age(timestamptz '2022-03-14 04:00+00', timestamptz '2022-03-13 05:00+00'), age(timestamptz '2022-11-07 05:00+00', timestamptz '2022-11-06 04:00+00')
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SET TimeZone = 'America/New_York';
SHOW TimeZone;
SELECT id, tz, tz::timestamp, tz::date, tz::time FROM tz_t ORDER BY id;
SELECT id, ts::timestamptz, d::timestamptz, tz::text, (ts::text)::timestamptz FROM tz_t ORDER BY id
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT id, date_trunc('day', tz, 'Asia/Kolkata'), date_trunc('hour', tz, z) FROM tz_t ORDER BY id;
SELECT date_trunc('day', timestamptz '2022-11-06 12:00+00'), date_trunc('day', date '2022-03-13');
SELECT id, to_char(tz, 'YYYY-MM-DD HH24:MI:SS.US TZ tz OF TZH:TZM Dy') FROM tz_t ORDER BY id;
SELECT id, tz + iv, tz - iv, iv + tz FROM tz_t ORDER BY id
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT current_date = now()::date, current_date = (now() AT TIME ZONE current_setting('TimeZone'))::date, localtimestamp = now()::timestamp, localtimestamp = now() AT TIME ZONE current_setting('TimeZone');
SELECT to_json(timestamptz '2022-11-06 05:30+00'), to_jsonb(timestamptz '2022-11-06 05:30+00'), jsonb_build_object('t', timestamptz '2022-11-06 05:30+00');
SELECT json_agg(tz ORDER BY id) FROM tz_t;
SELECT array_to_string(array_agg(tz ORDER BY id), ', '), string_agg(format('%s', tz), ', ' ORDER BY id), (array_agg(tz ORDER BY id))::text FROM tz_t
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT id, ts::timestamptz, d::timestamptz, tz::text, (ts::text)::timestamptz FROM tz_t ORDER BY id;
SELECT timestamptz '2022-03-13 06:30+00'::timestamp, timestamptz '2022-11-06 05:30+00'::date, timestamptz '2022-11-06 05:30+00'::time, timestamp '2022-03-13 02:30'::timestamptz;
SELECT date '2022-11-06'::timestamptz, '2022-11-06 01:30'::timestamptz, cast('2022-03-13 02:30' as timestamptz)::text, timestamptz '2022-06-01 12:00+00'::text;
SELECT id, ts < tz, d = tz, ts::timestamptz = tz FROM tz_t ORDER BY id
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT id, tz + iv, tz - iv, iv + tz FROM tz_t ORDER BY id;
SELECT timestamptz '2022-03-12 17:00+00' + interval '1 day', timestamptz '2022-03-12 17:00+00' + interval '24 hours', timestamptz '2022-11-05 16:00+00' + interval '1 day', timestamptz '2022-02-13 17:00+00' + interval '1 month';
SELECT timestamptz '2022-03-14 04:00+00' - interval '1 day', timestamptz '2022-01-31 23:00+00' + interval '1 mon 1 day 1 hour';
SELECT id, age(tz, timestamptz '2022-01-01 00:00+00') FROM tz_t ORDER BY id
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT array_to_string(array_agg(tz ORDER BY id), ', '), string_agg(format('%s', tz), ', ' ORDER BY id), (array_agg(tz ORDER BY id))::text FROM tz_t;
SELECT tz::date, count(*) FROM tz_t GROUP BY 1 ORDER BY 1;
SET TimeZone = 'Australia/Lord_Howe';
SHOW TimeZone
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT id, date_trunc('day', tz), date_trunc('hour', tz), date_trunc('month', tz), date_trunc('week', tz) FROM tz_t ORDER BY id;
SELECT id, date_trunc('minute', tz), date_trunc('year', tz), date_trunc('day', d) FROM tz_t ORDER BY id;
SELECT id, date_trunc('day', tz, 'Asia/Kolkata'), date_trunc('hour', tz, z) FROM tz_t ORDER BY id;
SELECT date_trunc('day', timestamptz '2022-11-06 12:00+00'), date_trunc('day', date '2022-03-13')
-- next seed
SELECT make_timestamptz(2022, 11, 6, 1, 30, 0), make_timestamptz(2022, 11, 6, 1, 30, 0, 'UTC'), make_timestamptz(2022, 11, 6, 1, 30, 0, 'America/New_York');
SELECT to_timestamp('2022-03-13 02:30', 'YYYY-MM-DD HH24:MI'), to_timestamp('2022-03-13 02:30 +02', 'YYYY-MM-DD HH24:MI TZH');
SELECT current_date = now()::date, current_date = (now() AT TIME ZONE current_setting('TimeZone'))::date, localtimestamp = now()::timestamp, localtimestamp = now() AT TIME ZONE current_setting('TimeZone');
SELECT to_json(timestamptz '2022-11-06 05:30+00'), to_jsonb(timestamptz '2022-11-06 05:30+00'), jsonb_build_object('t', timestamptz '2022-11-06 05:30+00')
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT date '2022-11-06'::timestamptz, '2022-11-06 01:30'::timestamptz, cast('2022-03-13 02:30' as timestamptz)::text, timestamptz '2022-06-01 12:00+00'::text;
SELECT id, ts < tz, d = tz, ts::timestamptz = tz FROM tz_t ORDER BY id;
SELECT id, extract(hour from tz), extract(minute from tz), extract(day from tz), extract(dow from tz), extract(doy from tz), date_part('week', tz), date_part('isoyear', tz) FROM tz_t ORDER BY id;
SELECT id, extract(timezone from tz), extract(timezone_hour from tz), extract(timezone_minute from tz), date_part('timezone_m', tz), extract(epoch from tz)::text FROM tz_t ORDER BY id
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT date_trunc('day', timestamptz '2022-11-06 12:00+00'), date_trunc('day', date '2022-03-13');
SELECT id, to_char(tz, 'YYYY-MM-DD HH24:MI:SS.US TZ tz OF TZH:TZM Dy') FROM tz_t ORDER BY id;
SELECT id, tz + iv, tz - iv, iv + tz FROM tz_t ORDER BY id;
SELECT timestamptz '2022-03-12 17:00+00' + interval '1 day', timestamptz '2022-03-12 17:00+00' + interval '24 hours', timestamptz '2022-11-05 16:00+00' + interval '1 day', timestamptz '2022-02-13 17:00+00' + interval '1 month'
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT to_json(timestamptz '2022-11-06 05:30+00'), to_jsonb(timestamptz '2022-11-06 05:30+00'), jsonb_build_object('t', timestamptz '2022-11-06 05:30+00');
SELECT json_agg(tz ORDER BY id) FROM tz_t;
SELECT array_to_string(array_agg(tz ORDER BY id), ', '), string_agg(format('%s', tz), ', ' ORDER BY id), (array_agg(tz ORDER BY id))::text FROM tz_t;
SELECT tz::date, count(*) FROM tz_t GROUP BY 1 ORDER BY 1
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT id, extract(timezone from tz), extract(timezone_hour from tz), extract(timezone_minute from tz), date_part('timezone_m', tz), extract(epoch from tz)::text FROM tz_t ORDER BY id;
SELECT extract(hour from timestamptz '2022-11-06 05:30+00'), extract(timezone from timestamptz '2022-11-06 05:30+00'), extract(epoch from timestamptz '2022-11-06 05:30+00')::text;
SELECT id, date_trunc('day', tz), date_trunc('hour', tz), date_trunc('month', tz), date_trunc('week', tz) FROM tz_t ORDER BY id;
SELECT id, date_trunc('minute', tz), date_trunc('year', tz), date_trunc('day', d) FROM tz_t ORDER BY id
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT age(timestamptz '2022-03-14 04:00+00', timestamptz '2022-03-13 05:00+00'), age(timestamptz '2022-11-07 05:00+00', timestamptz '2022-11-06 04:00+00');
SELECT id, make_timestamptz(2022, 3, id + 10, 2, 30, 0) FROM tz_t ORDER BY id;
SELECT make_timestamptz(2022, 11, 6, 1, 30, 0), make_timestamptz(2022, 11, 6, 1, 30, 0, 'UTC'), make_timestamptz(2022, 11, 6, 1, 30, 0, 'America/New_York');
SELECT to_timestamp('2022-03-13 02:30', 'YYYY-MM-DD HH24:MI'), to_timestamp('2022-03-13 02:30 +02', 'YYYY-MM-DD HH24:MI TZH')
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
SELECT id, tz AT TIME ZONE interval '+05:30', ts AT TIME ZONE interval '-03:00' FROM tz_t ORDER BY id;
SELECT timestamp '2022-03-13 02:30' AT TIME ZONE 'America/New_York', timestamp '2022-11-06 01:30' AT TIME ZONE 'America/New_York', timestamp '2022-11-06 02:00' AT TIME ZONE 'America/New_York';
SELECT date '2022-03-13' AT TIME ZONE 'UTC', '2022-03-13 12:00' AT TIME ZONE 'UTC', pg_typeof(timestamp '2022-01-01' AT TIME ZONE 'UTC');
CREATE TABLE tz_names (name text)
-- next seed
SELECT timestamptz '2022-01-01 12:00+00' AT TIME ZONE interval '1 day';
SELECT timestamp '2022-01-01 12:00' AT TIME ZONE interval '1 month 1 hour';
SELECT timezone('UTC', 1);
SELECT date_trunc('day', timestamptz '2022-11-06 12:00+00', 'America/New_York'), date_trunc('day', timestamptz '2022-11-06 12:00+00', 'EST'), date_trunc('month', timestamptz '2022-11-06 12:00+00', 'UTC+3'), date_trunc('day', timestamptz '2022-06-01 12:00+00', 'MSK')
-- next seed
SELECT date_trunc('c', timestamptz '2022-05-17 13:14:15.123456+00'), date_trunc('decs', timestamptz '2022-05-17 13:14:15.123456+00'), date_trunc('mils', timestamptz '2022-05-17 13:14:15.123456+00'), date_trunc('mseconds', timestamptz '2022-05-17 13:14:15.123456+00'), extract(cent from timestamptz '2022-05-17 13:14:15.123456+00');
SELECT extract(timezone from timestamp '2022-01-01');
SELECT extract(timezone_h from date '2022-01-01');
SELECT extract(tz from now())
-- next seed
SET TIME ZONE 'america/new_york';
SELECT current_setting('TimeZone'), timestamptz '2022-06-01 12:00+00', to_char(timestamptz '2022-06-01 12:00+00', 'TZ OF');
SET TIME ZONE 'Zulu';
SELECT current_setting('TimeZone'), timestamptz '2022-06-01 12:00+00', to_char(timestamptz '2022-06-01 12:00+00', 'TZ OF')
-- next seed
SET TIME ZONE '<+0530>-5:30';
SELECT current_setting('TimeZone'), timestamptz '2022-06-01 12:00+00', to_char(timestamptz '2022-06-01 12:00+00', 'TZ OF');
SET TIME ZONE 'ab+3';
SELECT current_setting('TimeZone'), timestamptz '2022-06-01 12:00+00', to_char(timestamptz '2022-06-01 12:00+00', 'TZ OF')
-- next seed
SET TimeZone = '+0530';
SET TimeZone = 200;
SET TIME ZONE INTERVAL '1 day';
SET TimeZone = 'UTC'
-- next seed
CREATE TABLE tz_t (id int, tz timestamptz, ts timestamp, d date, z text, iv interval);
INSERT INTO tz_t VALUES
  (1, '2022-03-13 06:30:00+00', '2022-03-13 02:30:00', '2022-03-13', 'America/New_York', '1 day'),
  (2, '2022-03-13 07:30:00+00', '2022-11-06 01:30:00', '2022-11-06', 'Asia/Kolkata', '1 month'),
  (3, '2022-11-06 05:30:00+00', '2022-11-06 00:59:59.5', '2022-02-28', 'UTC+3', '24 hours'),
  (4, '2022-11-06 06:30:00+00', '2022-01-31 12:00:00', '1999-12-31', '+05:30', '-1 day -02:00:00'),
  (5, '2022-12-31 23:59:59.5+00', '2022-06-15 23:45:00', '2000-02-29', 'EST', '1 year 1 day 01:00:00'),
  (6, '2022-04-02 14:45:00+00', '2022-04-03 01:45:00', '2022-10-02', 'Australia/Lord_Howe', '-1 mon'),
  (7, '2022-10-01 15:15:00+00', '2022-10-02 02:15:00', '2022-04-03', 'msk', '12:00:00'),
  (8, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE tz_chk (t timestamptz CHECK (t::date >= date '2022-03-13'));
CREATE TABLE tz_local AS SELECT id, tz::timestamp AS wall, tz::date AS day FROM tz_t;
INSERT INTO tz_local SELECT id + 100, ts::timestamptz::timestamp, d FROM tz_t WHERE id < 3;
SET TimeZone = 'UTC';
INSERT INTO tz_chk VALUES ('2022-03-13 03:00+00');
SELECT count(*), min(t) FROM tz_chk
-- next seed
CREATE TABLE te1 (k int, j int, t text);
INSERT INTO te1 VALUES (1, 1, 'a'), (2, 2, 'b'), (3, NULL, 'c'), (NULL, 3, NULL), (5, 5, 'a');
CREATE TABLE te2 (k int, j int, t text);
INSERT INTO te2 VALUES (1, 2, 'a'), (2, 2, 'b'), (NULL, NULL, 'c'), (3, 3, NULL), (5, 1, 'a'), (5, 5, 'z')
-- next seed
CREATE TABLE te1 (k int, j int, t text);
INSERT INTO te1 VALUES (1, 1, 'a'), (2, 2, 'b'), (3, NULL, 'c'), (NULL, 3, NULL), (5, 5, 'a');
CREATE TABLE te2 (k int, j int, t text);
INSERT INTO te2 VALUES (1, 2, 'a'), (2, 2, 'b'), (NULL, NULL, 'c'), (3, 3, NULL), (5, 1, 'a'), (5, 5, 'z');
CREATE TABLE te3 (k int, j bigint, t text);
INSERT INTO te3 VALUES (1, 1, 'a'), (2, 2, 'a'), (NULL, 3, 'b'), (5, 5, NULL), (5, NULL, 'a');
SELECT te1.k, te2.j, te3.k FROM te1 JOIN te2 ON te1.k = te2.j JOIN te3 ON te3.k = te2.j WHERE te3.k = 2;
SELECT te1.t, te2.t, te3.t FROM te1, te2, te3 WHERE te1.t = te2.t AND te3.t = te2.t AND te2.t = 'a';
SELECT te1.k, te2.k, te3.j FROM te1, te2, te3 WHERE te1.k = te2.k AND te2.k = te3.j AND te3.j = 5;
SELECT te1.k, te1.j, te2.k, te2.j FROM te1, te2 WHERE te1.k = te1.j AND te1.j = te2.k AND te2.k = te2.j
-- next seed
CREATE TABLE vac_t (a int PRIMARY KEY, b text) WITH (fillfactor = 100);
CREATE VIEW vac_v AS SELECT * FROM vac_t;
INSERT INTO vac_t SELECT g, 'x' || g FROM generate_series(1, 1000) g;
DELETE FROM vac_t WHERE a % 2 = 0
-- next seed
CREATE TABLE vac_t (a int PRIMARY KEY, b text) WITH (fillfactor = 100);
INSERT INTO vac_t SELECT g, 'x' || g FROM generate_series(1, 1000) g;
SELECT count(*), sum(a) FROM vac_t;
ANALYZE vac_nosuch;
ANALYZE vac_t (zz);
ANALYZE (freeze) vac_t
-- next seed
CREATE TABLE vac_ff (a int) WITH (fillfactor = 5);
CREATE TABLE vac_ff (a int) WITH (fillfactor = 101);
CREATE TABLE vac_ff (a int) WITH (fillfactor = 'x');
CREATE TABLE vac_ff (a int) WITH (fillfactor);
CREATE TABLE vac_ff (a int) WITH (fillfactor = 90, fillfactor = 80);
CREATE TABLE vac_ff (a int) WITH (foo = 1);
CREATE TABLE vac_ff (a int) WITH (toast.foo = 1)
-- next seed
CREATE TABLE wf (g int, x int, v int, f float8, d date, ts timestamp, n numeric, n2 numeric(8,2), s text, b bool);
INSERT INTO wf VALUES
 (1, 1, 10, 1.5, '2020-01-01', '2020-01-01 10:00', 1.1, 1.10, 'a', true),
 (1, 2, 20, 2.5, '2020-01-03', '2020-01-01 12:00', 2.25, 2.25, 'b', true),
 (1, 2, 30, NULL, '2020-01-04', '2020-01-02 09:00', NULL, NULL, 'c', false),
 (1, 4, NULL, 4.5, '2020-01-10', '2020-01-05 00:00', 4, 4.00, NULL, NULL),
 (1, NULL, 5, 5.5, NULL, NULL, 5, 5.00, 'e', true),
 (2, 1, 7, 0.5, '2021-01-01', '2021-01-01 00:00', 1, 1.00, 'f', false),
 (2, 3, 8, 1, '2021-02-01', '2021-01-01 00:30', 3, 3.00, 'g', true),
 (3, 5, 1, 'Infinity', '2022-01-01', '2022-01-01', 'Infinity', 6.00, 'h', true),
 (3, 6, 2, '-Infinity', '2022-01-02', '2022-01-02', '-Infinity', 7.00, 'i', true),
 (3, 7, 3, 'NaN', '2022-01-03', '2022-01-03', 'NaN', 8.00, 'j', false);
CREATE TABLE big AS SELECT i, i % 7 AS g, (i * 37) % 101 AS v, (i / 3) AS k, CASE WHEN i % 13 = 0 THEN NULL ELSE i % 50 END AS o FROM generate_series(1, 3000) i;
SELECT g, x, v, sum(v) OVER w, count(*) OVER w, first_value(v) OVER w, last_value(v) OVER w, nth_value(v, 2) OVER w FROM wf WINDOW w AS (PARTITION BY g ORDER BY x, v ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) ORDER BY g, x, v
-- next seed
CREATE TABLE wf (g int, x int, v int, f float8, d date, ts timestamp, n numeric, n2 numeric(8,2), s text, b bool);
INSERT INTO wf VALUES
 (1, 1, 10, 1.5, '2020-01-01', '2020-01-01 10:00', 1.1, 1.10, 'a', true),
 (1, 2, 20, 2.5, '2020-01-03', '2020-01-01 12:00', 2.25, 2.25, 'b', true),
 (1, 2, 30, NULL, '2020-01-04', '2020-01-02 09:00', NULL, NULL, 'c', false),
 (1, 4, NULL, 4.5, '2020-01-10', '2020-01-05 00:00', 4, 4.00, NULL, NULL),
 (1, NULL, 5, 5.5, NULL, NULL, 5, 5.00, 'e', true),
 (2, 1, 7, 0.5, '2021-01-01', '2021-01-01 00:00', 1, 1.00, 'f', false),
 (2, 3, 8, 1, '2021-02-01', '2021-01-01 00:30', 3, 3.00, 'g', true),
 (3, 5, 1, 'Infinity', '2022-01-01', '2022-01-01', 'Infinity', 6.00, 'h', true),
 (3, 6, 2, '-Infinity', '2022-01-02', '2022-01-02', '-Infinity', 7.00, 'i', true),
 (3, 7, 3, 'NaN', '2022-01-03', '2022-01-03', 'NaN', 8.00, 'j', false);
SELECT x, sum(v) OVER (ORDER BY x, v ROWS BETWEEN 1.6 PRECEDING AND '1' FOLLOWING) FROM wf ORDER BY x, v;
SELECT g, x, v, sum(v) OVER (PARTITION BY g ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING), count(*) OVER (PARTITION BY g ORDER BY x RANGE BETWEEN CURRENT ROW AND 2 FOLLOWING) FROM wf ORDER BY g, x, v;
SELECT x, v, sum(v) OVER (ORDER BY x DESC RANGE BETWEEN 1 PRECEDING AND 2 FOLLOWING) FROM wf ORDER BY x DESC, v;
SELECT x, v, sum(v) OVER (ORDER BY x NULLS FIRST RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM wf ORDER BY x NULLS FIRST, v
-- next seed
CREATE TABLE wf (g int, x int, v int, f float8, d date, ts timestamp, n numeric, n2 numeric(8,2), s text, b bool);
INSERT INTO wf VALUES
 (1, 1, 10, 1.5, '2020-01-01', '2020-01-01 10:00', 1.1, 1.10, 'a', true),
 (1, 2, 20, 2.5, '2020-01-03', '2020-01-01 12:00', 2.25, 2.25, 'b', true),
 (1, 2, 30, NULL, '2020-01-04', '2020-01-02 09:00', NULL, NULL, 'c', false),
 (1, 4, NULL, 4.5, '2020-01-10', '2020-01-05 00:00', 4, 4.00, NULL, NULL),
 (1, NULL, 5, 5.5, NULL, NULL, 5, 5.00, 'e', true),
 (2, 1, 7, 0.5, '2021-01-01', '2021-01-01 00:00', 1, 1.00, 'f', false),
 (2, 3, 8, 1, '2021-02-01', '2021-01-01 00:30', 3, 3.00, 'g', true),
 (3, 5, 1, 'Infinity', '2022-01-01', '2022-01-01', 'Infinity', 6.00, 'h', true),
 (3, 6, 2, '-Infinity', '2022-01-02', '2022-01-02', '-Infinity', 7.00, 'i', true),
 (3, 7, 3, 'NaN', '2022-01-03', '2022-01-03', 'NaN', 8.00, 'j', false);
SELECT n2, sum(n2) OVER (ORDER BY n2 RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING), avg(n2) OVER (ORDER BY n2 DESC RANGE BETWEEN 1.5 PRECEDING AND CURRENT ROW) FROM wf ORDER BY n2, v;
SELECT d, sum(v) OVER (ORDER BY d RANGE BETWEEN '2 days' PRECEDING AND CURRENT ROW), count(*) OVER (ORDER BY d DESC RANGE BETWEEN '1 month' PRECEDING AND '1 day' FOLLOWING) FROM wf ORDER BY d, v;
SELECT ts, sum(v) OVER (ORDER BY ts RANGE BETWEEN '1 day' PRECEDING AND '2 hours' FOLLOWING), count(*) OVER (ORDER BY ts RANGE BETWEEN CURRENT ROW AND '1 year' FOLLOWING EXCLUDE CURRENT ROW) FROM wf ORDER BY ts, v;
SELECT ts - timestamp '2020-01-01' AS iv, count(*) OVER (ORDER BY ts - timestamp '2020-01-01' RANGE BETWEEN '1 day' PRECEDING AND '1 day' FOLLOWING) FROM wf ORDER BY ts, v
-- next seed
CREATE TABLE wf (g int, x int, v int, f float8, d date, ts timestamp, n numeric, n2 numeric(8,2), s text, b bool);
INSERT INTO wf VALUES
 (1, 1, 10, 1.5, '2020-01-01', '2020-01-01 10:00', 1.1, 1.10, 'a', true),
 (1, 2, 20, 2.5, '2020-01-03', '2020-01-01 12:00', 2.25, 2.25, 'b', true),
 (1, 2, 30, NULL, '2020-01-04', '2020-01-02 09:00', NULL, NULL, 'c', false),
 (1, 4, NULL, 4.5, '2020-01-10', '2020-01-05 00:00', 4, 4.00, NULL, NULL),
 (1, NULL, 5, 5.5, NULL, NULL, 5, 5.00, 'e', true),
 (2, 1, 7, 0.5, '2021-01-01', '2021-01-01 00:00', 1, 1.00, 'f', false),
 (2, 3, 8, 1, '2021-02-01', '2021-01-01 00:30', 3, 3.00, 'g', true),
 (3, 5, 1, 'Infinity', '2022-01-01', '2022-01-01', 'Infinity', 6.00, 'h', true),
 (3, 6, 2, '-Infinity', '2022-01-02', '2022-01-02', '-Infinity', 7.00, 'i', true),
 (3, 7, 3, 'NaN', '2022-01-03', '2022-01-03', 'NaN', 8.00, 'j', false);
SELECT x, v, sum(v) FILTER (WHERE v > 7) OVER w, count(*) FILTER (WHERE b) OVER w, string_agg(s, '') FILTER (WHERE v <> 20) OVER w FROM wf WHERE g < 3 WINDOW w AS (ORDER BY x, v ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) ORDER BY x, v;
SELECT x, v, sum(f) OVER w, avg(f) OVER w FROM wf WHERE g < 3 WINDOW w AS (ORDER BY x, v ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) ORDER BY x, v;
SELECT g, x, percent_rank() OVER w, cume_dist() OVER w, ntile(3) OVER w, ntile(2) OVER (ORDER BY x, v) FROM wf WINDOW w AS (PARTITION BY g ORDER BY x) ORDER BY g, x, v;
SELECT x, ntile(NULL) OVER (ORDER BY x, v), ntile(20) OVER () IS NOT NULL FROM wf ORDER BY x, v
-- next seed
CREATE TABLE wf (g int, x int, v int, f float8, d date, ts timestamp, n numeric, n2 numeric(8,2), s text, b bool);
INSERT INTO wf VALUES
 (1, 1, 10, 1.5, '2020-01-01', '2020-01-01 10:00', 1.1, 1.10, 'a', true),
 (1, 2, 20, 2.5, '2020-01-03', '2020-01-01 12:00', 2.25, 2.25, 'b', true),
 (1, 2, 30, NULL, '2020-01-04', '2020-01-02 09:00', NULL, NULL, 'c', false),
 (1, 4, NULL, 4.5, '2020-01-10', '2020-01-05 00:00', 4, 4.00, NULL, NULL),
 (1, NULL, 5, 5.5, NULL, NULL, 5, 5.00, 'e', true),
 (2, 1, 7, 0.5, '2021-01-01', '2021-01-01 00:00', 1, 1.00, 'f', false),
 (2, 3, 8, 1, '2021-02-01', '2021-01-01 00:30', 3, 3.00, 'g', true),
 (3, 5, 1, 'Infinity', '2022-01-01', '2022-01-01', 'Infinity', 6.00, 'h', true),
 (3, 6, 2, '-Infinity', '2022-01-02', '2022-01-02', '-Infinity', 7.00, 'i', true),
 (3, 7, 3, 'NaN', '2022-01-03', '2022-01-03', 'NaN', 8.00, 'j', false);
CREATE TABLE big AS SELECT i, i % 7 AS g, (i * 37) % 101 AS v, (i / 3) AS k, CASE WHEN i % 13 = 0 THEN NULL ELSE i % 50 END AS o FROM generate_series(1, 3000) i;
SELECT g, x, sum(v) OVER (w ORDER BY x GROUPS 1 PRECEDING) FROM wf WINDOW w AS (PARTITION BY g) ORDER BY g, x, v;
SELECT count(*), sum(s1), sum(s2), sum(s3) FROM (SELECT sum(v) OVER (PARTITION BY g ORDER BY i ROWS BETWEEN 5 PRECEDING AND 3 FOLLOWING) s1, sum(v) OVER (ORDER BY k RANGE BETWEEN 2 PRECEDING AND 1 FOLLOWING) s2, count(*) OVER (ORDER BY k GROUPS BETWEEN 3 PRECEDING AND 3 FOLLOWING EXCLUDE TIES) s3 FROM big) t;
SELECT sum(m1), sum(m2), sum(f1), sum(l1) FROM (SELECT max(v) OVER (ORDER BY i ROWS BETWEEN 20 PRECEDING AND 20 FOLLOWING) m1, min(v) OVER (PARTITION BY g ORDER BY o RANGE BETWEEN 3 PRECEDING AND 3 FOLLOWING) m2, first_value(v) OVER (ORDER BY i DESC RANGE BETWEEN 1 PRECEDING AND 5 FOLLOWING) + first_value(o) OVER (ORDER BY o RANGE BETWEEN 2 FOLLOWING AND 4 FOLLOWING) f1, last_value(k) OVER (PARTITION BY g ORDER BY k GROUPS BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE GROUP) l1 FROM big) t;
SELECT sum(c), sum(s), round(sum(a), 6) FROM (SELECT count(o) OVER w c, sum(o) OVER w s, avg(o) OVER w a FROM big WINDOW w AS (ORDER BY o NULLS FIRST RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING)) t
-- next seed
CREATE TABLE wf (g int, x int, v int, f float8, d date, ts timestamp, n numeric, n2 numeric(8,2), s text, b bool);
INSERT INTO wf VALUES
 (1, 1, 10, 1.5, '2020-01-01', '2020-01-01 10:00', 1.1, 1.10, 'a', true),
 (1, 2, 20, 2.5, '2020-01-03', '2020-01-01 12:00', 2.25, 2.25, 'b', true),
 (1, 2, 30, NULL, '2020-01-04', '2020-01-02 09:00', NULL, NULL, 'c', false),
 (1, 4, NULL, 4.5, '2020-01-10', '2020-01-05 00:00', 4, 4.00, NULL, NULL),
 (1, NULL, 5, 5.5, NULL, NULL, 5, 5.00, 'e', true),
 (2, 1, 7, 0.5, '2021-01-01', '2021-01-01 00:00', 1, 1.00, 'f', false),
 (2, 3, 8, 1, '2021-02-01', '2021-01-01 00:30', 3, 3.00, 'g', true),
 (3, 5, 1, 'Infinity', '2022-01-01', '2022-01-01', 'Infinity', 6.00, 'h', true),
 (3, 6, 2, '-Infinity', '2022-01-02', '2022-01-02', '-Infinity', 7.00, 'i', true),
 (3, 7, 3, 'NaN', '2022-01-03', '2022-01-03', 'NaN', 8.00, 'j', false);
SELECT sum(v) OVER (ORDER BY x RANGE BETWEEN 1.5 PRECEDING AND CURRENT ROW) FROM wf;
SELECT sum(v) OVER (ORDER BY x, v RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM wf;
SELECT sum(v) OVER (GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM wf;
SELECT sum(v) OVER (ORDER BY x ROWS BETWEEN NULL PRECEDING AND CURRENT ROW) FROM wf
-- next seed
CREATE TABLE wf (g int, x int, v int, f float8, d date, ts timestamp, n numeric, n2 numeric(8,2), s text, b bool);
INSERT INTO wf VALUES
 (1, 1, 10, 1.5, '2020-01-01', '2020-01-01 10:00', 1.1, 1.10, 'a', true),
 (1, 2, 20, 2.5, '2020-01-03', '2020-01-01 12:00', 2.25, 2.25, 'b', true),
 (1, 2, 30, NULL, '2020-01-04', '2020-01-02 09:00', NULL, NULL, 'c', false),
 (1, 4, NULL, 4.5, '2020-01-10', '2020-01-05 00:00', 4, 4.00, NULL, NULL),
 (1, NULL, 5, 5.5, NULL, NULL, 5, 5.00, 'e', true),
 (2, 1, 7, 0.5, '2021-01-01', '2021-01-01 00:00', 1, 1.00, 'f', false),
 (2, 3, 8, 1, '2021-02-01', '2021-01-01 00:30', 3, 3.00, 'g', true),
 (3, 5, 1, 'Infinity', '2022-01-01', '2022-01-01', 'Infinity', 6.00, 'h', true),
 (3, 6, 2, '-Infinity', '2022-01-02', '2022-01-02', '-Infinity', 7.00, 'i', true),
 (3, 7, 3, 'NaN', '2022-01-03', '2022-01-03', 'NaN', 8.00, 'j', false);
SELECT nth_value(v, 0) OVER () FROM wf;
SELECT ntile(3::int8) OVER () FROM wf;
SELECT sum(v) OVER (w) FROM wf WINDOW w AS (ORDER BY x ROWS 1 PRECEDING);
SELECT sum(v) OVER (w ORDER BY v) FROM wf WINDOW w AS (ORDER BY x)
-- next seed
SET TimeZone = 'America/New_York';
CREATE TABLE wdst (p int, i int, tz timestamptz);
INSERT INTO wdst VALUES (1, 1, '2021-11-06 01:47:45-04'), (1, 2, '2021-11-07 01:30:00-04'), (1, 4, '2021-11-07 01:30:00-05'), (1, 8, '2021-11-07 01:59:59-04'), (1, 16, '2021-11-07 02:30:00.5-05'), (1, 32, '2021-11-05 06:00:00-04'), (1, 64, '2021-11-06 01:30:00-04'), (1, 128, '2021-11-07 01:40:00-05'), (1, 256, NULL), (2, 1, '2021-11-06 01:59:00-04'), (2, 2, '2021-11-07 01:00:00-05'), (2, 4, NULL), (2, 8, '2021-11-06 01:10:00-04'), (2, 16, '2021-11-07 01:20:00-04');
SELECT p, i,
  sum(i) OVER (PARTITION BY p ORDER BY tz DESC RANGE BETWEEN '1 day' PRECEDING AND '1 day' FOLLOWING),
  sum(i) OVER (PARTITION BY p ORDER BY tz RANGE BETWEEN '1 day' PRECEDING AND '1 day' FOLLOWING),
  sum(i) OVER (PARTITION BY p ORDER BY tz NULLS FIRST RANGE BETWEEN '1 day' PRECEDING AND CURRENT ROW),
  sum(i) OVER (PARTITION BY p ORDER BY tz DESC NULLS LAST RANGE BETWEEN CURRENT ROW AND '1 day' FOLLOWING EXCLUDE CURRENT ROW)
FROM wdst
-- next seed
CREATE TABLE wd_a (id int PRIMARY KEY, v text);
CREATE TABLE wd_b (id int, v text);
CREATE TABLE wd_log (op text, id int, v text);
INSERT INTO wd_a SELECT g, 'v' || g FROM generate_series(1, 10) g
-- next seed
CREATE TABLE wd_a (id int PRIMARY KEY, v text);
CREATE TABLE wd_b (id int, v text);
INSERT INTO wd_a SELECT g, 'v' || g FROM generate_series(1, 10) g;
SELECT * FROM wd_b;
WITH moved AS (DELETE FROM wd_a WHERE id > 8 RETURNING *) INSERT INTO wd_b SELECT * FROM moved RETURNING id, v;
SELECT * FROM wd_a WHERE id > 7;
WITH u AS (UPDATE wd_a SET v = 'new' WHERE id <= 2 RETURNING id) SELECT (SELECT count(*) FROM wd_a WHERE v = 'new'), (SELECT count(*) FROM u)
-- next seed
CREATE TABLE wd_b (id int, v text);
CREATE TABLE wd_log (op text, id int, v text);
SELECT * FROM wd_log;
SELECT * FROM wd_b;
WITH i(k, w) AS (INSERT INTO wd_log VALUES ('x', 5, 'y') RETURNING id, v) SELECT k, w FROM i;
WITH i AS (INSERT INTO wd_log VALUES ('x', 6, 'z') RETURNING id, v) SELECT q.a, q.b FROM i AS q(a, b)
-- next seed
CREATE TABLE wd_a (id int PRIMARY KEY, v text);
CREATE TABLE wd_log (op text, id int, v text);
INSERT INTO wd_a SELECT g, 'v' || g FROM generate_series(1, 10) g;
BEGIN;
WITH d AS (DELETE FROM wd_a RETURNING *) INSERT INTO wd_log SELECT 'gone', id, v FROM d;
SELECT count(*) FROM wd_a;
ROLLBACK
-- next seed
CREATE TABLE wd_r (n int);
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 4), i AS (INSERT INTO wd_r SELECT -n FROM r) SELECT count(*) FROM r;
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 2), d AS (DELETE FROM wd_r WHERE n < 0 RETURNING n AS gone) INSERT INTO wd_r SELECT r.n * 1000 + d.gone FROM r, d;
SELECT * FROM wd_r;
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3000), ins AS (INSERT INTO wd_r SELECT n FROM r WHERE n % 3 = 0 RETURNING n) SELECT count(*), sum(n) FROM ins
-- next seed
CREATE TABLE department (id int, parent_department int, name text);
INSERT INTO department VALUES (0, NULL, 'ROOT'), (1, 0, 'A'), (2, 1, 'B'), (3, 2, 'C'), (4, 2, 'D'), (5, 0, 'E'), (6, 4, 'F'), (7, 5, 'G');
CREATE TABLE tree (id int, parent_id int);
INSERT INTO tree VALUES (1, NULL), (2, 1), (3, 1), (4, 2), (5, 2), (6, 2), (7, 3), (8, 3), (9, 4), (10, 4), (11, 7), (12, 7), (13, 7), (14, 9), (15, 11), (16, 11)
-- next seed
WITH RECURSIVE t(n) AS (SELECT (VALUES (1)) UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION SELECT 10 - n FROM t) SELECT * FROM t;
WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t) SELECT * FROM t LIMIT 10;
WITH RECURSIVE t(n) AS (SELECT 1 UNION SELECT n + 1 FROM t) SELECT * FROM t LIMIT 10
-- next seed
WITH RECURSIVE r(n) AS (SELECT 1::numeric UNION ALL SELECT n * 1.5 FROM r WHERE n < 3) SELECT * FROM r;
WITH RECURSIVE r(n) AS (SELECT 1.0 UNION ALL SELECT n * 2 FROM r WHERE n < 5) SELECT * FROM r;
WITH RECURSIVE r(n) AS (SELECT 1.0 UNION SELECT 1.00 FROM r) SELECT * FROM r;
WITH RECURSIVE r(x, y) AS (SELECT 0.5::float8, 1::int2 UNION ALL SELECT x * 3, (y * 2)::int2 FROM r WHERE x < 100) SELECT * FROM r
-- next seed
CREATE TABLE tree (id int, parent_id int);
INSERT INTO tree VALUES (1, NULL), (2, 1), (3, 1), (4, 2), (5, 2), (6, 2), (7, 3), (8, 3), (9, 4), (10, 4), (11, 7), (12, 7), (13, 7), (14, 9), (15, 11), (16, 11);
CREATE TABLE graph (f int, t int, label text);
INSERT INTO graph VALUES (1, 2, 'arc 1 -> 2'), (1, 3, 'arc 1 -> 3'), (2, 3, 'arc 2 -> 3'), (1, 4, 'arc 1 -> 4'), (4, 5, 'arc 4 -> 5'), (5, 1, 'arc 5 -> 1');
WITH RECURSIVE sub(id, lvl) AS (SELECT id, 0 FROM tree WHERE parent_id IS NULL UNION ALL SELECT t.id, s.lvl + 1 FROM sub s, tree t WHERE t.parent_id = s.id) SELECT lvl, count(*), sum(id) FROM sub GROUP BY lvl ORDER BY lvl;
WITH RECURSIVE t(i, j) AS (VALUES (1, 2) UNION ALL SELECT t2.i, t.j + 1 FROM (SELECT 2 AS i UNION ALL SELECT 3 AS i) AS t2 JOIN t ON t2.i = t.i + 1) SELECT * FROM t;
WITH RECURSIVE reach(n) AS (SELECT 1 UNION SELECT g.t FROM graph g JOIN reach r ON g.f = r.n) SELECT * FROM reach ORDER BY n;
WITH RECURSIVE reach(n) AS (SELECT 1 UNION SELECT g.t FROM reach r JOIN graph g ON g.f = r.n) SELECT * FROM reach ORDER BY n
-- next seed
CREATE TABLE department (id int, parent_department int, name text);
INSERT INTO department VALUES (0, NULL, 'ROOT'), (1, 0, 'A'), (2, 1, 'B'), (3, 2, 'C'), (4, 2, 'D'), (5, 0, 'E'), (6, 4, 'F'), (7, 5, 'G');
WITH RECURSIVE x(id) AS (VALUES (1) UNION ALL SELECT id + 1 FROM x WHERE id < 5), y(id) AS (VALUES (1) UNION ALL SELECT id + 1 FROM x WHERE id < 10) SELECT y.*, x.* FROM y LEFT JOIN x USING (id) ORDER BY 1;
WITH RECURSIVE x(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM x WHERE id < 3), y(id) AS (SELECT * FROM x UNION ALL SELECT * FROM x), z(id) AS (SELECT * FROM y UNION ALL SELECT id + 1 FROM z WHERE id < 10) SELECT * FROM z;
WITH RECURSIVE t(j) AS (WITH RECURSIVE s(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM s WHERE i < 10) SELECT i FROM s UNION ALL SELECT j + 1 FROM t WHERE j < 10) SELECT * FROM t;
WITH RECURSIVE q AS (SELECT * FROM department UNION ALL (WITH x AS (SELECT * FROM q) SELECT * FROM x)) SELECT * FROM q LIMIT 24
-- next seed
CREATE TABLE tree (id int, parent_id int);
INSERT INTO tree VALUES (1, NULL), (2, 1), (3, 1), (4, 2), (5, 2), (6, 2), (7, 3), (8, 3), (9, 4), (10, 4), (11, 7), (12, 7), (13, 7), (14, 9), (15, 11), (16, 11);
SELECT id FROM tree WHERE EXISTS (WITH RECURSIVE t(n) AS (SELECT 3 UNION ALL SELECT n + 3 FROM t WHERE n < 20) SELECT 1 FROM t WHERE n = tree.id) ORDER BY id;
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT count(*) FROM r WHERE n IN (SELECT n FROM r WHERE n > 1);
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 4) SELECT * FROM (SELECT * FROM r WHERE n % 2 = 0) s JOIN r ON s.n = r.n - 1 ORDER BY 1;
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r AS x(m) WHERE m > 1 ORDER BY m
-- next seed
CREATE TABLE graph (f int, t int, label text);
INSERT INTO graph VALUES (1, 2, 'arc 1 -> 2'), (1, 3, 'arc 1 -> 3'), (2, 3, 'arc 2 -> 3'), (1, 4, 'arc 1 -> 4'), (4, 5, 'arc 4 -> 5'), (5, 1, 'arc 5 -> 1');
WITH RECURSIVE r(n) AS (VALUES (1), (2) UNION ALL SELECT n + 10 FROM r WHERE n < 30 GROUP BY n) SELECT * FROM r ORDER BY 1;
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT max(x.n) + 1 FROM (SELECT * FROM r) x HAVING max(x.n) < 3) SELECT * FROM r;
WITH RECURSIVE r(n, k) AS (SELECT 1, 1 UNION ALL SELECT n + 1, g.t FROM r LEFT JOIN graph g ON g.f = r.n WHERE n < 4) SELECT * FROM r ORDER BY 1, 2;
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 6 AND n IN (SELECT f FROM graph)) SELECT * FROM r
-- next seed
SELECT * FROM vseries ORDER BY n;
CREATE TABLE ys (a int);
INSERT INTO ys WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT n FROM t;
SELECT * FROM ys ORDER BY a
-- next seed
CREATE TABLE tree (id int, parent_id int);
INSERT INTO tree VALUES (1, NULL), (2, 1), (3, 1), (4, 2), (5, 2), (6, 2), (7, 3), (8, 3), (9, 4), (10, 4), (11, 7), (12, 7), (13, 7), (14, 9), (15, 11), (16, 11);
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT x.n + 1 FROM x FULL JOIN tree ON x.n = tree.id WHERE n < 10) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x WHERE n IN (SELECT * FROM x)) SELECT * FROM x;
WITH RECURSIVE x(id) AS (VALUES (1) UNION ALL SELECT (SELECT * FROM x) FROM x WHERE id < 5) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT count(*) FROM x) SELECT * FROM x
-- next seed
WITH RECURSIVE foo(i) AS (VALUES (1) UNION ALL (SELECT i + 1 FROM foo WHERE i < 10 EXCEPT SELECT i + 1 FROM foo WHERE i < 5)) SELECT * FROM foo;
WITH RECURSIVE foo(i) AS (VALUES (1) UNION ALL (SELECT i + 1 FROM foo WHERE i < 10 INTERSECT ALL SELECT 3)) SELECT * FROM foo;
WITH RECURSIVE foo(i) AS (SELECT i FROM (VALUES (1), (2)) t(i) UNION ALL SELECT (i + 1)::numeric(10,0) FROM foo WHERE i < 10) SELECT * FROM foo;
WITH RECURSIVE foo(i) AS (SELECT i::numeric(3,0) FROM (VALUES (1), (2)) t(i) UNION ALL SELECT (i + 1)::numeric(10,0) FROM foo WHERE i < 10) SELECT * FROM foo
-- next seed
SELECT '0x10'::xid, '-1'::xid, '017'::xid, ' 5 '::xid, 'abc'::xid;
SELECT '4294967296'::xid, '99999999999999999999'::xid, '7'::cid;
SELECT '5'::xid8, '-1'::xid8, '0x10'::xid8;
SELECT pg_typeof('1'::xid), pg_typeof('1'::cid), pg_typeof('1'::xid8)
-- next seed
SELECT '1'::cid < '1'::cid;
SELECT '1'::cid <> '1'::cid;
SELECT '1'::xid8 < '2'::xid8, '18446744073709551615'::xid8 > '1'::xid8, '5'::xid8 = '5'::xid8, '5'::xid8 >= '6'::xid8;
SELECT '4294967297'::xid8::xid, '18446744073709551615'::xid8::xid
-- next seed
SELECT age('2'::xid), age('100'::xid) > 0, pg_typeof(age(datfrozenxid)) FROM pg_database WHERE datname = current_database();
CREATE TABLE xids (x xid, c cid, y xid8);
INSERT INTO xids VALUES ('1', '2', '3'), ('4294967295', '0', '18446744073709551615'), (NULL, NULL, NULL);
SELECT x, c, y FROM xids ORDER BY y
-- next seed
create table t1 (v1 int, v2 int);
create table t2 (v3 int, v4 int, v5 int);
insert into t1 values (1, 2);
insert into t2 values (3, 4, 5)
-- next seed
create table t1 (v1 int, v2 int);
create table t2 (v3 int, v4 int, v5 int);
insert into t1 values (1, 2);
insert into t2 values (3, 4, 5);
insert into t2 values (1, 2, 3);
with cte1 as (select v3, v4 from t2), cte2 as (select v3 from cte1) select v3 from cte2;
with t1 as (values(100, 200)) select * from t1;
with t1 as (values(100, 200)) select * from public.t1;
create schema cte_conflict
-- next seed
create table cte_conflict.a(id int, b int);
insert into cte_conflict.a values (1, 3);
with a(id, c) as (select 1, 2) select * from cte_conflict.a, a;
with a(id, c) as (select 1, 2) select t.b, a.c from cte_conflict.a as t join a on t.id = a.id;
drop table cte_conflict.a;
drop schema cte_conflict
-- next seed
select e'\ta';
select e'hello\x3fworld';
select e'\u003f';
select e'\55p'
-- next seed
create table t (a int, b int);
create table t2 (c int, d int);
create index idx on t2(d) include (c);
create index idx2 on t2(c, d)
-- next seed
create table t1 (v1 int, v2 int);
insert into t1 values(1,2),(3,4),(5,6);
create table t2 (v3 int, v4 int);
insert into t2 values(1,20),(3,40),(5,60)
-- next seed
create table t1 (v1 int, v2 int);
create table t2 (v1 int, v3 int);
insert into t1 values(1, 2),(1, 2);
insert into t2 values(1, 2),(1, 2)
-- next seed
create table t (v1 int, v2 int, v3 int);
insert into t values (1,4,2), (2,3,3), (3,4,4), (4,3,5);
select * from t;
select * from t order by v1 desc
-- next seed
create table t (v1 int, v2 int, v3 int);
insert into t values (1,4,2), (2,3,3), (3,4,4), (4,3,5);
select * from t order by v2 desc, v1 limit 2;
insert into t values (null, 7, null);
select * from t order by v1 limit 2;
select * from t order by v1 asc limit 2
-- next seed
select 2 + 2 ^ 2; -- power then plus;
select 2 | 3 & 4; -- or then and;
select -3 ^ 2; -- neg then power;
select -3 * 2; -- neg then multiply
-- next seed
CREATE TABLE tab0(pk INTEGER PRIMARY KEY, col0 INTEGER, col1 FLOAT, col2 VARCHAR, col3 INTEGER, col4 FLOAT, col5 VARCHAR);
INSERT INTO tab0 VALUES(0,86,94.959999084472652697,'vuopk',91,47.779998779296875,'sikuk');
INSERT INTO tab0 VALUES(1,37,20.850000381469726562,'zfuqj',30,10.689999580383300337,'rtcha');
INSERT INTO tab0 VALUES(2,6,47.540000915527347302,'vubiv',38,46.630001068115234375,'nnuey')
-- next seed
WITH my_list(value) AS (VALUES (1), (2), (3))
    SELECT * FROM my_list LIMIT 0 OFFSET 1
-- next seed
CREATE TABLE t(t_k0 SMALLINT);
INSERT INTO t VALUES (-32768), (32767);
CREATE TABLE u(u_k0 SMALLINT);
INSERT INTO u VALUES (-32768), (32767)
-- next seed
CREATE TABLE t(t_k0 SMALLINT);
INSERT INTO t VALUES (-32768), (32767);
CREATE TABLE u(u_k0 SMALLINT);
INSERT INTO u VALUES (-32768), (32767);
CREATE TABLE t(t_k0 INTEGER);
INSERT INTO t VALUES (-2147483648), (2147483647);
CREATE TABLE u(u_k0 INTEGER);
INSERT INTO u VALUES (-2147483648), (2147483647);
DROP TABLE t;
DROP TABLE u;
CREATE TABLE t(t_k0 BIGINT);
INSERT INTO t VALUES (-9223372036854775808), (9223372036854775807)
-- next seed
create table t1(i integer);
create table t2(j integer);
create table t3(k integer);
create table t4(l integer)
-- next seed
CREATE TABLE test (a INTEGER, b INTEGER);
INSERT INTO test VALUES (11, 1), (12, 2), (13, 3);
CREATE TABLE test2 (b INTEGER, c INTEGER);
INSERT INTO test2 VALUES (1, 10), (1, 20), (2, 30)
-- next seed
CREATE TABLE test (a INTEGER, b INTEGER);
INSERT INTO test VALUES (11, 1), (12, 2), (13, 3);
CREATE TABLE test2 (b INTEGER, c INTEGER);
INSERT INTO test2 VALUES (1, 10), (1, 20), (2, 30)
-- next seed
CREATE TABLE test (a INTEGER, b INTEGER);
INSERT INTO test VALUES (11, 1), (12, 2), (13, 3);
CREATE TABLE test2 (b INTEGER, c INTEGER);
INSERT INTO test2 VALUES (1, 10), (1, 20), (2, 30);
INSERT INTO test VALUES (NULL, NULL);
INSERT INTO test2 VALUES (NULL, NULL);
SELECT test.b, test2.b FROM test, test2 WHERE test.b <> test2.b ORDER BY test.b, test2.b;
SELECT test.b, test2.b FROM test, test2 WHERE test.b <> test2.b AND test.b <> 1 AND test2.b <> 2 ORDER BY test.b, test2.b;
create table a (i integer);
insert into a values ('28579'),('16098'),('25281'),('28877'),('18048'),('26820'),('26971'),('22812'),('11757'),('21851'),('27752'),('28354'),('29843'),('28828'),('16668'),('20534'),('28222'),('24244'),('28877'),('20150'),('23451'),('23683'),('20419'),('28048'),('24244'),('28605'),('25752'),('24466'),('26557'),('16098'),('29454'),('24854'),('13298'),('29584'),('13394'),('24843'),('22477'),('14593'),('24244'),('28722'),('25124'),('16668'),('26787'),('28877'),('27752'),('28482'),('24408'),('25752'),('24136'),('28222'),('17683'),('24244'),('19275'),('21087'),('26594'),('22293'),('25281'),('12898'),('23451'),('12898'),('21757'),('20965'),('25709'),('26614'),('10399'),('28773'),('11933'),('29584'),('29003'),('26871'),('17746'),('24092'),('26192'),('19310'),('10965'),('29275'),('20191'),('29101'),('28059'),('29584'),('20399'),('24338'),('26192'),('25124'),('28605'),('13003'),('16668'),('23511'),('26534'),('24107')
-- next seed
CREATE TABLE t1 (a INTEGER, b INTEGER);
INSERT INTO t1 VALUES (1, 2);
CREATE TABLE t2 (b INTEGER, c INTEGER);
INSERT INTO t2 VALUES (2, 3)
-- next seed
CREATE TABLE t1 (a INTEGER, b INTEGER);
INSERT INTO t1 VALUES (1, 2);
CREATE TABLE t2 (b INTEGER, c INTEGER);
INSERT INTO t2 VALUES (2, 3);
CREATE TABLE t3 (c INTEGER, d INTEGER);
INSERT INTO t3 VALUES (3, 4);
DROP TABLE t1;
DROP TABLE t2;
DROP TABLE t3;
CREATE TABLE t1 (a INTEGER, b INTEGER, c INTEGER)
-- next seed
CREATE TABLE integers(i INTEGER, j INTEGER);
INSERT INTO integers VALUES (1, 2), (2, 3), (3, 4);
CREATE TABLE integers2(k INTEGER, l INTEGER);
INSERT INTO integers2 VALUES (1, 10), (2, 20)
-- next seed
CREATE TABLE integers(i INTEGER, j INTEGER);
INSERT INTO integers VALUES (1, 2), (2, 3), (3, 4);
CREATE TABLE integers2(k INTEGER, l INTEGER);
INSERT INTO integers2 VALUES (1, 10), (2, 20);
SELECT * FROM integers LEFT OUTER JOIN integers2 ON i=1 ORDER BY i, k;
SELECT * FROM integers LEFT OUTER JOIN integers2 ON 1=1 ORDER BY i, k;
SELECT * FROM integers LEFT OUTER JOIN (SELECT * FROM integers2 WHERE 1<>1) tbl2 ON 1=2 ORDER BY i;
SELECT * FROM integers LEFT OUTER JOIN integers2 ON 1=2 ORDER BY i
-- next seed
CREATE TABLE integers(i INTEGER, j INTEGER);
INSERT INTO integers VALUES (1, 2), (2, 3), (3, 4);
CREATE TABLE integers2(k INTEGER, l INTEGER);
INSERT INTO integers2 VALUES (1, 10), (2, 20);
SELECT * FROM integers LEFT OUTER JOIN integers2 ON i=1 OR l=20 ORDER BY i, k;
SELECT * FROM integers LEFT OUTER JOIN integers2 ON i=4 OR l=17 ORDER BY i;
SELECT * FROM integers LEFT OUTER JOIN integers2 ON i+l=21 ORDER BY i;
SELECT * FROM integers LEFT OUTER JOIN integers2 ON i+l>12 ORDER BY i, k
-- next seed
CREATE TABLE integers(i INTEGER, j INTEGER);
INSERT INTO integers VALUES (1, 2), (2, 3), (3, 4);
CREATE TABLE integers2(k INTEGER, l INTEGER);
INSERT INTO integers2 VALUES (1, 10), (2, 20)
-- next seed
CREATE TABLE integers(i INTEGER, j INTEGER);
INSERT INTO integers VALUES (1, 2), (2, 3), (3, 4);
CREATE TABLE integers2(k INTEGER, l INTEGER);
INSERT INTO integers2 VALUES (1, 10), (2, 20);
SELECT integers.*, integers2.* FROM integers2 RIGHT OUTER JOIN integers ON l=20 ORDER BY i, k;
SELECT integers.*, integers2.* FROM integers2 RIGHT OUTER JOIN integers ON l>0 ORDER BY i, k;
SELECT integers.*, integers2.* FROM integers2 RIGHT OUTER JOIN integers ON i=1 OR l=20 ORDER BY i, k;
SELECT integers.*, integers2.* FROM integers2 RIGHT OUTER JOIN integers ON i=4 OR l=17 ORDER BY i
-- next seed
CREATE TABLE test (a INTEGER, b INTEGER);
INSERT INTO test VALUES (4, 1), (2, 2);
CREATE TABLE test2 (b INTEGER, c INTEGER);
INSERT INTO test2 VALUES (1, 2), (3, 0)
-- next seed
drop table if exists test;
CREATE TABLE test (rowid integer, a INTEGER, b INTEGER);
INSERT INTO test VALUES (0, 11, 22), (1, 12, 21), (2, 13, 22);
SELECT a,b FROM test order by rowid
-- next seed
SELECT xyz.*;
drop table if exists r4;
create table r4 (i int, j int);
insert into r4 (i, j) values (1,1), (1,2), (1,3), (1,4), (1,5)
-- next seed
SELECT abs(-1000);
SELECT abs(-1000.2131293210382103821);
SELECT abs(-10002131293210382103821);
SELECT abs(2134)
-- next seed
select concat('a', 'b');
select concat(NULL);
select concat(NULL, NULL);
select concat(1, 1.01)
-- next seed
SELECT encode('\xc3b1', 'escape');
SELECT decode('\303\261', 'escape');
SELECT encode('\xe78e8be58695e6adbbe4ba86e788b6e4bab2', 'escape');
SELECT decode('王冕死了父亲', 'escape')
-- next seed
SELECT convert_from('\x6a6f616e6e61', 'UTF-8');
SELECT convert_from('\x6a6f616e6e61', 'utf8');
SELECT convert_from('\x6a6f616e6e61', 'utf-8');
SELECT convert_from('\x6a6f616e6e61', 'UtF8')
-- next seed
create table t(id int, v1 int2, v2 int4, v3 int8);
insert into t values (1, 1, 2, 3), (2, 2, NULL, 5), (3, NULL, NULL, 8), (4, NULL, NULL, NULL);
select greatest(v1, '123');
select greatest()
-- next seed
create table test_table(name varchar);
insert into test_table values('test_table');
select * from test_table where name like 'test_table';
select * from test_table where name like 'test\_table'
-- next seed
select string_to_array('a b c', ' ');
select string_to_array('a b c', ' ', NULL);
select string_to_array('a b c', ' ', 'a');
select string_to_array('a b c', '')
-- next seed
select to_date('2022-12-25', 'YYYY-MM-DD');
select to_date('2022/12/25', 'YYYY/MM/DD');
select to_date('12/25/2022', 'MM/DD/YYYY');
select to_date('25-12-2022', 'DD-MM-YYYY')
-- next seed
CREATE TABLE integers(i INTEGER);
INSERT INTO integers VALUES (0), (0), (0), (0);
INSERT INTO integers SELECT * FROM integers;
INSERT INTO integers SELECT * FROM integers
-- next seed
create table t1 (x int, y int);
create table t2 (x int, y int);
create table t3(x int, y int);
insert into t1 values (1, 1), (2, 2), (1, null), (null, 2), (2, null), (null, 1), (null, null)
-- next seed
create table t1 (x int, y int);
create table t2 (x int, y int);
create table t3(x int, y int);
insert into t1 values (1, 1), (2, 2), (1, null), (null, 2), (2, null), (null, 1), (null, null);
insert into t2 values (1, 2), (2, 2), (1, null), (null, 2), (2, null), (null, 1), (null, null);
insert into t3 values (1, 2), (2, 2), (1, null), (null, 2), (2, null), (null, 1), (null, null);
select * from t1 where t1.y in (select t1.y from t2 where t1.x = t2.x) order by t1.x, t1.y;
select * from t1 where exists(select x from t2 where t1.x = t2.x and t2.y in (select t3.y from t3 where t1.x = t3.x)) order by t1.x, t1.y;
select * from t1 where exists(select t2.x from t2 join t3 on t2.x = t3.x and t1.y = t2.y and t1.y = t3.y) order by t1.x, t1.y;
select * from t1 where exists(select t3.x from (select x,y from t2 where t1.y = t2.y) t2 join t3 on t2.x = t3.x) order by t1.x, t1.y
-- next seed
create table t1 (x int, y int);
create table t2 (x int, y int);
insert into t1 values (1, 1), (2, 2), (1, null), (null, 2), (2, null), (null, 1), (null, null);
insert into t2 values (1, 2), (2, 2), (1, null), (null, 2), (2, null), (null, 1), (null, null);
create table t1 (x int, y int);
create table t2 (x int);
insert into t1 values (1, 1), (1, 2);
insert into t2 values (1), (1);
select *  from t1 where y in (select sum(t2.x) from t2 group by t1.y);
drop table t1
-- next seed
create table t1 (x int, y int);
create table t2 (x int, y int);
insert into t1 values (1, 1), (2, 2), (1, null), (null, 2), (2, null), (null, 1), (null, null);
insert into t2 values (1, 2), (2, 2), (1, null), (null, 2), (2, null), (null, 1), (null, null);
create table t1 (x int, y int);
create table t2 (x int);
insert into t1 values (1, 1), (1, 2);
insert into t2 values (1), (1);
insert into t1 values (1, NULL), (2, 3), (NULL, NULL);
select a, (select array_agg(t1.a) filter (where t1.a is distinct from 1) from t1 where t1.a <> t.b) from t1 as t order by 1;
drop table t1;
create table t1 (a int, b int);
create table t2 (c int, d int)
-- next seed
create table t1 (a int, b int);
create table t2 (c int, d int);
create table t3 (e int, f int);
insert into t1 values (1, 2)
-- next seed
create table t(x int, y int);
create index idx on t(x);
create index idx2 on t(x desc);
insert into t values (100, 3), (1, 0), (2, 3), (3, 4), (5, 4)
-- next seed
SELECT true AS true;
select true AND NULL, false OR NULL;
select false AND NULL, true OR NULL;
select NULL AND NULL, NULL OR NULL
-- next seed
create table t (v1 numeric, v2 numeric);
insert into t values (1.1987, 4.6543), (2.22, 3.3), (1.165, 1.15);
select round(v1, 2), round(v2, 1), round(v1, -1) from t;
drop table t
-- next seed
select '  -inF '::decimal;
select '1.23e-3'::decimal;
values ('nan'::decimal), ('inf'), ('-inf'), ('2.') order by 1;
select '-inf'::decimal < 2, 2 < 'inf'::decimal, 'inf'::decimal < 'nan'::decimal
-- next seed
select v::varchar, pg_typeof(v) from (select '1.0'::decimal + '-1'::float4) as t(v);
select v::varchar, pg_typeof(v) from (select '1.0'::decimal - '1'::float4) as t(v);
select v::varchar, pg_typeof(v) from (select '0.0'::decimal * '1'::float4) as t(v);
select v::varchar, pg_typeof(v) from (select '0.0'::decimal / '1'::float4) as t(v)
-- next seed
select '1.0'::decimal >= '2.1'::float4;
select '1.0'::decimal < '2.1'::float4;
select '1.0'::decimal is distinct from '2.0'::float4;
select '1.0'::decimal is distinct from null::float4
-- next seed
select v::varchar, pg_typeof(v) from (select 1::int2 + 1::int2) as t(v);
select v::varchar, pg_typeof(v) from (select 1::int2 + 1::int4) as t(v);
select v::varchar, pg_typeof(v) from (select 1::int2 + 1::int8) as t(v);
select v::varchar, pg_typeof(v) from (select 1::int2 + 1::decimal) as t(v)
-- next seed
select v::varchar, pg_typeof(v) from (select 1::int8 + 1::int2) as t(v);
select v::varchar, pg_typeof(v) from (select 1::int8 + 1::int4) as t(v);
select v::varchar, pg_typeof(v) from (select 1::int8 + 1::int8) as t(v);
select v::varchar, pg_typeof(v) from (select 1::int8 + 1::decimal) as t(v)
-- next seed
select v::varchar, pg_typeof(v) from (select 1::float4 + 1::int2) as t(v);
select v::varchar, pg_typeof(v) from (select 1::float4 + 1::int4) as t(v);
select v::varchar, pg_typeof(v) from (select 1::float4 + 1::int8) as t(v);
select v::varchar, pg_typeof(v) from (select 1::float4 + 1::decimal) as t(v)
