package server

import (
	"errors"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestOnConflict covers INSERT ... ON CONFLICT: DO NOTHING with and
// without a conflict target, ON CONSTRAINT, DO UPDATE with excluded, the
// target's alias, WHERE, DEFAULT and multiple-column SET, over VALUES and
// SELECT, RETURNING of inserted and updated rows, and PostgreSQL's errors
// (no target for DO UPDATE, no matching constraint, a row affected twice,
// a conflict on a constraint that is not an arbiter). The expected
// outcomes were recorded from PostgreSQL 15.
func TestOnConflict(t *testing.T) {
	runScript(t, []scriptCase{
		{`CREATE TABLE u (id int PRIMARY KEY, k int UNIQUE, v text, n int DEFAULT 0)`, ""},
		{`INSERT INTO u VALUES (1, 10, 'a'), (2, 20, 'b') RETURNING id`, "1;2"},
		{`INSERT INTO u VALUES (1, 11, 'x') ON CONFLICT DO NOTHING RETURNING *`, ""},
		{`INSERT INTO u VALUES (3, 30, 'x'), (3, 31, 'z') ON CONFLICT (id) DO NOTHING RETURNING *`, "3|30|x|0"},
		{`INSERT INTO u VALUES (1, 20, 'x') ON CONFLICT (id) DO UPDATE SET v = excluded.v RETURNING *`, "1|10|x|0"},
		{`INSERT INTO u AS t VALUES (1, 10, 'q'), (2, 0, 'r') ON CONFLICT (id) DO UPDATE SET v = t.v || excluded.v, n = t.n + 1 WHERE t.id = 1 RETURNING *`, "1|10|xq|1"},
		{`INSERT INTO u VALUES (1, 10, 'q') ON CONFLICT (id) DO UPDATE SET v = u.v || '!' RETURNING id, v`, "1|xq!"},
		{`INSERT INTO u VALUES (1, 10, 'q') ON CONFLICT ON CONSTRAINT u_k_key DO NOTHING RETURNING id`, ""},
		{`INSERT INTO u VALUES (5, 10, 'q') ON CONFLICT DO NOTHING RETURNING id`, ""},
		{`INSERT INTO u VALUES (1, 10, 'q') ON CONFLICT (id) DO UPDATE SET (v, n) = (excluded.v || 'm', 7) RETURNING *`, "1|10|qm|7"},
		{`INSERT INTO u VALUES (4, 40, 'new'), (2, 99, 'upd') ON CONFLICT (id) DO UPDATE SET k = excluded.k, v = excluded.v RETURNING *`, "4|40|new|0;2|99|upd|0"},
		{`INSERT INTO u SELECT id, k + 1000, 'sel' FROM u WHERE id <= 2 ON CONFLICT (id) DO UPDATE SET v = excluded.v || u.id RETURNING id, k, v`, "1|10|sel1;2|99|sel2"},
		{`INSERT INTO u VALUES (6, 60, 'd') ON CONFLICT (id) DO UPDATE SET v = DEFAULT RETURNING *`, "6|60|d|0"},
		{`INSERT INTO u VALUES (6, 61, 'e') ON CONFLICT (id) DO UPDATE SET v = excluded.v WHERE excluded.k > 100 RETURNING *`, ""},
		{`SELECT * FROM u ORDER BY id`, "1|10|sel1|7;2|99|sel2|0;3|30|x|0;4|40|new|0;6|60|d|0"},
		{`INSERT INTO u VALUES (1, 11, 'x') ON CONFLICT DO UPDATE SET v = 'y'`, "ERROR:42601"},
		{`INSERT INTO u VALUES (1, 11, 'x') ON CONFLICT (v) DO NOTHING`, "ERROR:42P10"},
		{`INSERT INTO u VALUES (1, 11, 'x') ON CONFLICT ON CONSTRAINT nope DO NOTHING`, "ERROR:42704"},
		{`INSERT INTO u VALUES (1, 11, 'x'), (1, 12, 'z') ON CONFLICT (id) DO UPDATE SET v = excluded.v`, "ERROR:21000"},
		{`INSERT INTO u VALUES (7, 30, 'x'), (7, 31, 'z') ON CONFLICT (id) DO UPDATE SET v = excluded.v`, "ERROR:23505"},
		{`INSERT INTO u VALUES (8, 10, 'q') ON CONFLICT (id) DO NOTHING`, "ERROR:23505"},
		{`INSERT INTO u VALUES (1, 10, 'q') ON CONFLICT (id) DO UPDATE SET v = id`, "ERROR:42702"},
		{`INSERT INTO u VALUES (1, 10, 'q') ON CONFLICT (id) DO UPDATE SET v = excluded.nosuch`, "ERROR:42703"},
		{`INSERT INTO u VALUES (1, 10, 'q') ON CONFLICT (id) DO UPDATE SET k = 20`, ""},
		{`INSERT INTO u VALUES (1, 10, 'q') ON CONFLICT (nosuch) DO NOTHING`, "ERROR:42703"},
		{`SELECT * FROM u ORDER BY id`, "1|20|sel1|7;2|99|sel2|0;3|30|x|0;4|40|new|0;6|60|d|0"},
	})
}

// TestUpdateFromDeleteUsing covers UPDATE ... FROM and DELETE ... USING:
// a target row that matches several FROM rows changes once, RETURNING
// reads the FROM items' columns, FROM lists, joins and VALUES, multiple-
// column SET, and PostgreSQL's errors (the target named twice, unknown and
// ambiguous columns, a row source of the wrong width). The expected
// outcomes were recorded from PostgreSQL 15.
func TestUpdateFromDeleteUsing(t *testing.T) {
	runScript(t, []scriptCase{
		{`CREATE TABLE u (id int PRIMARY KEY, k int UNIQUE, v text, n int DEFAULT 0)`, ""},
		{`CREATE TABLE src (id int, x text, m int)`, ""},
		{`INSERT INTO u VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c'), (4, 40, 'd')`, ""},
		{`INSERT INTO src VALUES (1, 's1', 5), (1, 's1', 5), (2, 's2', 6), (9, 's9', 7), (NULL, 'sn', 8)`, ""},
		{`UPDATE u SET v = src.x, n = u.n + src.m FROM src WHERE u.id = src.id RETURNING u.id, u.v, u.n, src.x, src.m`, "1|s1|5|s1|5;2|s2|6|s2|6"},
		{`UPDATE u AS t SET v = t.v || s.x FROM src s WHERE t.id = s.id AND s.m > 5 RETURNING *`, "2|20|s2s2|6|2|s2|6"},
		{`UPDATE u SET (v, n) = (v || '+', n + 1) WHERE id >= 3 RETURNING id, v, n`, "3|c+|1;4|d+|1"},
		{`UPDATE u SET n = 100 FROM (VALUES (3), (4), (3)) AS w(id) WHERE u.id = w.id RETURNING u.id, n, w.id`, "3|100|3;4|100|4"},
		{`UPDATE u SET n = 1 FROM src, (SELECT 2 AS two) z WHERE u.id = src.id AND src.id = z.two RETURNING u.id, z.two`, "2|2"},
		{`UPDATE u SET n = 0 FROM src WHERE false RETURNING *`, ""},
		{`SELECT * FROM u ORDER BY id`, "1|10|s1|5;2|20|s2s2|1;3|30|c+|100;4|40|d+|100"},
		{`DELETE FROM u USING src WHERE u.id = src.id AND src.m = 5 RETURNING u.*, src.x`, "1|10|s1|5|s1"},
		{`DELETE FROM u AS t USING (VALUES (3, 'three'), (3, 'drei')) AS w(id, name) WHERE t.id = w.id RETURNING t.id, upper(t.v)`, "3|C+"},
		{`DELETE FROM u USING src s1 JOIN src s2 ON s1.id = s2.id WHERE u.id = s1.id RETURNING u.id`, "2"},
		{`SELECT * FROM u ORDER BY id`, "4|40|d+|100"},
		{`UPDATE u SET v = 'x' FROM u WHERE true`, "ERROR:42712"},
		{`UPDATE u SET v = nosuch.x FROM src WHERE true`, "ERROR:42P01"},
		{`UPDATE u SET v = x FROM src, (SELECT 'y' AS x) q WHERE true`, "ERROR:42702"},
		{`DELETE FROM u USING src WHERE id = 1`, "ERROR:42702"},
		{`UPDATE u SET (v, n) = ('a') WHERE id = 1`, "ERROR:0A000"},
		{`UPDATE u SET (v, n) = ('a', 1, 2) WHERE id = 1`, "ERROR:42601"},
		{`UPDATE u SET k = src.m FROM src WHERE src.id = 9`, ""},
		{`SELECT * FROM u ORDER BY id`, "4|7|d+|100"},
	})
}

// TestOnConflictAcrossBatches upserts more rows than a batch holds
// (pqdb.batch_rows = 7), so that proposed rows conflict with rows of
// earlier batches of the same statement, and checks the outcome against
// what row-by-row processing gives.
func TestOnConflictAcrossBatches(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE b (id int PRIMARY KEY, v int)",
		"INSERT INTO b SELECT g, g FROM generate_series(1, 1000) g",
		"CREATE TABLE d (id int PRIMARY KEY, first int)",
		"SET pqdb.batch_rows = 7")
	tag, err := conn.Exec(ctx(t), "INSERT INTO b SELECT g, -g FROM generate_series(500, 1500) g ON CONFLICT (id) DO UPDATE SET v = b.v + excluded.v WHERE b.id % 2 = 0")
	// 500 rows inserted (1001..1500) and the 251 even ids of 500..1000
	// updated.
	if err != nil || tag.String() != "INSERT 0 751" {
		t.Fatalf("upsert: %v, tag %q, want INSERT 0 751", err, tag)
	}
	want := int64(0)
	for g := int64(1); g <= 1500; g++ {
		switch {
		case g < 500 || (g <= 1000 && g%2 == 1):
			want += g
		case g > 1000:
			want -= g
		}
	}
	got := rowsText(t, conn, "SELECT count(*), sum(v) FROM b")
	if got[0][0] != "1500" || got[0][1] != strconv.FormatInt(want, 10) {
		t.Errorf("after upsert: count, sum = %v, want 1500, %d", got, want)
	}
	// Duplicate keys across batches: DO NOTHING keeps the first of each.
	tag, err = conn.Exec(ctx(t), "INSERT INTO d SELECT g % 10, g FROM generate_series(1, 100) g ON CONFLICT DO NOTHING")
	if err != nil || tag.String() != "INSERT 0 10" {
		t.Fatalf("DO NOTHING: %v, tag %q, want INSERT 0 10", err, tag)
	}
	if got := rowsText(t, conn, "SELECT sum(first), max(first), sum(id) FROM d"); got[0][0] != "55" || got[0][1] != "10" || got[0][2] != "45" {
		t.Errorf("DO NOTHING kept sum(first), max(first), sum(id) = %v, want the first row of each key: 55, 10, 45", got)
	}
	// DO UPDATE over duplicate keys in different batches affects a row
	// twice.
	if _, err := conn.Exec(ctx(t), "INSERT INTO d SELECT g % 10, g FROM generate_series(1, 100) g ON CONFLICT (id) DO UPDATE SET first = excluded.first"); sqlstate(err) != "21000" {
		t.Errorf("DO UPDATE of a key twice: %v, want 21000", err)
	}
}

// TestCheckConstraints covers CHECK constraints: column and table
// constraints, named and unnamed, on INSERT (VALUES and SELECT), UPDATE,
// ON CONFLICT's insert and update, NULL passing, and the errors of
// defining one (not boolean, a subquery, an aggregate, an unknown column,
// a name used twice). The expected outcomes were recorded from
// PostgreSQL 15, as were the messages checked after the script.
func TestCheckConstraints(t *testing.T) {
	conn := runScript(t, []scriptCase{
		{`CREATE TABLE c1 (a int CHECK (a > 0), b int, c text, CHECK (b > a), CHECK (a < 100 AND c <> 'x'), CONSTRAINT named CHECK (b < 1000), CHECK (1 < 2), CHECK (c > b::text))`, ""},
		{`INSERT INTO c1 VALUES (1, 2, 'y') RETURNING *`, "1|2|y"},
		{`INSERT INTO c1 VALUES (5, 1, 'y')`, "ERROR:23514"},
		{`INSERT INTO c1 VALUES (-1, 2, 'y')`, "ERROR:23514"},
		{`INSERT INTO c1 VALUES (NULL, 1, 'y') RETURNING *`, "|1|y"},
		{`INSERT INTO c1 VALUES (2, 5000, 'y')`, "ERROR:23514"},
		{`INSERT INTO c1 VALUES (2, 3, 'x')`, "ERROR:23514"},
		{`INSERT INTO c1 VALUES (2, 3, NULL) RETURNING *`, "2|3|"},
		{`UPDATE c1 SET b = 0 WHERE a = 1`, "ERROR:23514"},
		{`UPDATE c1 SET b = b + 1 WHERE a = 1 RETURNING *`, "1|3|y"},
		{`INSERT INTO c1 SELECT g, g + 1, 'z' FROM generate_series(1, 50) g WHERE g <> 40 UNION ALL SELECT 40, 1, 'z'`, "ERROR:23514"},
		{`SELECT count(*) FROM c1`, "3"},
		{`CREATE TABLE c2 (a int CHECK (a))`, "ERROR:42804"},
		{`CREATE TABLE c3 (a int CHECK (a > (SELECT 1)))`, "ERROR:0A000"},
		{`CREATE TABLE c4 (a int CHECK (sum(a) > 1))`, "ERROR:42803"},
		{`CREATE TABLE c5 (a int CHECK (nope > 1))`, "ERROR:42703"},
		{`CREATE TABLE c6 (a int CONSTRAINT k CHECK (a > 0), b int CONSTRAINT k CHECK (b > 0))`, "ERROR:42710"},
		{`CREATE TABLE c7 (id int PRIMARY KEY, v int CHECK (v <> 13))`, ""},
		{`INSERT INTO c7 VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET v = 13`, ""},
		{`INSERT INTO c7 VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET v = 13`, "ERROR:23514"},
		{`INSERT INTO c7 VALUES (2, 13) ON CONFLICT DO NOTHING`, "ERROR:23514"},
		{`SELECT * FROM c7`, "1|1"},
		{`CREATE TABLE c8 (d date CHECK (d > '2000-01-01'), s text CHECK (length(s) < 4) CHECK (s <> 'no'))`, ""},
		{`INSERT INTO c8 VALUES ('1999-01-01', 'ok')`, "ERROR:23514"},
		{`INSERT INTO c8 VALUES ('2001-01-01', 'long')`, "ERROR:23514"},
		{`INSERT INTO c8 VALUES ('2001-01-01', 'no')`, "ERROR:23514"},
		{`INSERT INTO c8 VALUES ('2001-01-01', 'yes') RETURNING *`, "2001-01-01|yes"},
	})
	for _, c := range []struct{ sql, msg, detail string }{
		{`INSERT INTO c1 VALUES (5, 1, 'y')`, `new row for relation "c1" violates check constraint "c1_check"`, "Failing row contains (5, 1, y)."},
		{`INSERT INTO c1 VALUES (NULL, 5000, NULL)`, `new row for relation "c1" violates check constraint "named"`, "Failing row contains (null, 5000, null)."},
		{`INSERT INTO c8 VALUES ('2001-01-01', 'long')`, `new row for relation "c8" violates check constraint "c8_s_check"`, "Failing row contains (2001-01-01, long)."},
	} {
		_, err := conn.Exec(ctx(t), c.sql)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Message != c.msg || pe.Detail != c.detail {
			t.Errorf("%s: got %v, want %s (%s)", c.sql, err, c.msg, c.detail)
		}
	}
	// COPY checks its rows too, and loads none of a failing COPY.
	_, err := conn.CopyFrom(ctx(t), pgx.Identifier{"c7"}, []string{"id", "v"}, pgx.CopyFromRows([][]any{{int32(10), int32(1)}, {int32(11), int32(13)}}))
	if sqlstate(err) != "23514" {
		t.Errorf("COPY of a row failing a check: %v, want 23514", err)
	}
	if got := rowsText(t, conn, "SELECT count(*) FROM c7"); got[0][0] != "1" {
		t.Errorf("after a failed COPY c7 has %s rows, want 1", got[0][0])
	}
}

// TestCreateTableAsAndTruncate covers CREATE TABLE ... AS (column lists,
// WITH NO DATA, IF NOT EXISTS, the types of literals and NULL), SELECT ...
// INTO, and TRUNCATE of several tables with RESTART IDENTITY. The expected
// outcomes were recorded from PostgreSQL 15.
func TestCreateTableAsAndTruncate(t *testing.T) {
	conn := runScript(t, []scriptCase{
		{`CREATE TABLE ctas1 AS SELECT 1 AS a, 'x' AS b, 1.5::numeric(5,2) AS c, NULL AS d, date '2020-01-01' AS e`, ""},
		{`SELECT * FROM ctas1`, "1|x|1.50||2020-01-01"},
		{`SELECT 1 AS a, 2 AS a INTO ctas2`, "ERROR:42701"},
		{`CREATE TABLE ctas3 (x, y) AS VALUES (1, 2), (3, 4)`, ""},
		{`CREATE TABLE ctas4 (x, y, z) AS VALUES (1, 2)`, "ERROR:42601"},
		{`CREATE TABLE ctas5 AS SELECT 1 WITH NO DATA`, ""},
		{`SELECT * FROM ctas5`, ""},
		{`CREATE TABLE IF NOT EXISTS ctas5 AS SELECT 1`, ""},
		{`CREATE TABLE ctas5 AS SELECT 1`, "ERROR:42P07"},
		{`SELECT x * 10 AS x10, y INTO ctas6 FROM ctas3 WHERE x > 1`, ""},
		{`SELECT * FROM ctas6`, "30|4"},
		{`CREATE TABLE s1 (id serial, v text)`, ""},
		{`INSERT INTO s1 (v) VALUES ('a'), ('b')`, ""},
		{`TRUNCATE ctas3, s1 RESTART IDENTITY`, ""},
		{`SELECT count(*) FROM ctas3`, "0"},
		{`INSERT INTO s1 (v) VALUES ('c') RETURNING *`, "1|c"},
		{`TRUNCATE TABLE ONLY s1`, ""},
		{`INSERT INTO s1 (v) VALUES ('d') RETURNING *`, "2|d"},
		{`TRUNCATE nosuch`, "ERROR:42P01"},
		{`SELECT count(*) FROM s1`, "1"},
	})
	// TRUNCATE is transactional.
	mustExec(t, conn, "BEGIN", "INSERT INTO s1 (v) VALUES ('e')", "TRUNCATE s1")
	if got := rowsText(t, conn, "SELECT count(*) FROM s1"); got[0][0] != "0" {
		t.Errorf("after TRUNCATE in the transaction: %s rows", got[0][0])
	}
	mustExec(t, conn, "ROLLBACK")
	if got := rowsText(t, conn, "SELECT count(*) FROM s1"); got[0][0] != "1" {
		t.Errorf("after ROLLBACK of a TRUNCATE: %s rows, want 1", got[0][0])
	}
	rows, err := conn.Query(ctx(t), "SELECT d FROM ctas1")
	if err != nil {
		t.Fatal(err)
	}
	if oid := rows.FieldDescriptions()[0].DataTypeOID; oid != 25 {
		t.Errorf("ctas1.d (from NULL) has type OID %d, want 25 (text)", oid)
	}
	rows.Close()
}
