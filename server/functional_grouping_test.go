package server

import (
	"strings"
	"testing"
)

// TestFunctionalGrouping: a query grouped by a table's primary key reads
// the table's other columns outside aggregates, as in PostgreSQL; not
// through a partial key, a unique constraint, a subquery, another FROM
// item of the same table or grouping sets. The answers and errors are
// PostgreSQL 15's.
func TestFunctionalGrouping(t *testing.T) {
	runScript(t, []scriptCase{
		{`CREATE TABLE fd_users (id int PRIMARY KEY, name text, city text)`, ``},
		{`CREATE TABLE fd_orders (id int PRIMARY KEY, user_id int, amount numeric(10,2))`, ``},
		{`CREATE TABLE fd_pair (a int, b int, v text, PRIMARY KEY (a, b))`, ``},
		{`CREATE TABLE fd_nokey (id int UNIQUE, name text)`, ``},
		{`INSERT INTO fd_users VALUES (1, 'ann', 'oslo'), (2, 'bob', 'rome'), (3, 'cy', NULL)`, ``},
		{`INSERT INTO fd_orders VALUES (10, 1, 5.00), (11, 1, 7.50), (12, 2, 1.25), (13, 9, 3.00)`, ``},
		{`INSERT INTO fd_pair VALUES (1, 1, 'x'), (1, 2, 'y'), (2, 1, 'z')`, ``},
		{`INSERT INTO fd_nokey VALUES (1, 'n')`, ``},
		{`SELECT u.id, u.name, count(o.id), sum(o.amount) FROM fd_users u LEFT JOIN fd_orders o ON o.user_id = u.id GROUP BY u.id ORDER BY u.id`, `1|ann|2|12.50;2|bob|1|1.25;3|cy|0|`},
		{`SELECT u.name, u.city || '!' AS c, max(o.amount) FROM fd_users u JOIN fd_orders o ON o.user_id = u.id GROUP BY u.id HAVING u.name <> 'zed' ORDER BY u.name`, `ann|oslo!|7.50;bob|rome!|1.25`},
		{`SELECT o.id, u.name FROM fd_orders o LEFT JOIN fd_users u ON u.id = o.user_id GROUP BY o.id, u.id ORDER BY o.id`, `10|ann;11|ann;12|bob;13|`},
		{`SELECT o.id, u.name FROM fd_orders o LEFT JOIN fd_users u ON u.id = o.user_id GROUP BY o.id ORDER BY o.id`, `ERROR:42803`},
		{`SELECT a, b, v FROM fd_pair GROUP BY a, b ORDER BY a, b`, `1|1|x;1|2|y;2|1|z`},
		{`SELECT a, v FROM fd_pair GROUP BY a ORDER BY a`, `ERROR:42803`},
		{`SELECT name FROM fd_nokey GROUP BY id`, `ERROR:42803`},
		{`SELECT s.id, s.name FROM (SELECT * FROM fd_users) s GROUP BY s.id`, `ERROR:42803`},
		{`SELECT u.id, u.name, (SELECT count(*) FROM fd_orders o WHERE o.user_id = u.id) FROM fd_users u GROUP BY u.id ORDER BY 1`, `1|ann|2;2|bob|1;3|cy|0`},
		{`SELECT u1.id, u2.name FROM fd_users u1, fd_users u2 WHERE u1.id = u2.id GROUP BY u1.id`, `ERROR:42803`},
		{`SELECT u.id, upper(u.name) FROM fd_users u GROUP BY 1 ORDER BY u.name DESC`, `3|CY;2|BOB;1|ANN`},
		{`SELECT count(*), u.name FROM fd_users u GROUP BY ROLLUP (u.id)`, `ERROR:42803`},
		{`SELECT u.id FROM fd_users u GROUP BY u.id HAVING EXISTS (SELECT 1 FROM fd_orders o WHERE o.user_id = u.id AND u.city IS NOT NULL) ORDER BY 1`, `1;2`},
		{`SELECT u.name, count(*) FROM fd_users u GROUP BY u.id, lower(u.city) ORDER BY 1`, `ann|1;bob|1;cy|1`},
		{`SELECT u.name, rank() OVER (ORDER BY u.city) FROM fd_users u GROUP BY u.id ORDER BY 1`, `ann|1;bob|2;cy|3`},
		{`SELECT DISTINCT u.city FROM fd_users u JOIN fd_orders o ON o.user_id = u.id GROUP BY u.id ORDER BY 1`, `oslo;rome`},
		{`SELECT p.v, count(*) FROM fd_pair p JOIN fd_pair q ON q.a = p.a GROUP BY p.a, p.b ORDER BY 1`, `x|2;y|2;z|1`},
	})
}

// TestFunctionalGroupingAcrossBatches: the columns that depend on a
// grouped primary key are read through any_value instead of being
// grouped on (EXPLAIN shows the key alone), with the answers PostgreSQL
// 15.18 gave over the same generated tables, whatever the batch size and
// the pipelines: NULLs, numerics, dates, booleans and arrays among them,
// groups without a joined row, HAVING and ORDER BY over them, and a text
// key, whose parallel partial aggregates merge by hash; also past
// work_mem.
func TestFunctionalGroupingAcrossBatches(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE fdp (id int PRIMARY KEY, name text, price numeric(10,2), day date, flag bool, tags int[])`,
		`INSERT INTO fdp SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'name-' || (g * 37 % 1000) END, (g % 97) * 1.25, date '2020-01-01' + g % 400, CASE WHEN g % 5 = 0 THEN NULL ELSE g % 2 = 0 END, ARRAY[g % 3, g % 11] FROM generate_series(1, 3000) g`,
		`CREATE TABLE fdc (id int PRIMARY KEY, p int, qty int)`,
		`INSERT INTO fdc SELECT g, 1 + (g * 7919) % 3100, g % 13 FROM generate_series(1, 12000) g`,
		`CREATE TABLE fdt (code text PRIMARY KEY, label text, amount numeric(8,3))`,
		`INSERT INTO fdt SELECT 'c' || g, CASE WHEN g % 4 = 0 THEN NULL ELSE repeat('l', g % 9) || g END, g / 8.0 FROM generate_series(1, 3000) g`,
	)
	queries := []string{
		`SELECT count(*), sum(n), md5(string_agg(line, ',' ORDER BY line)) FROM (SELECT fdp.id, count(fdc.id) AS n, fdp.id || ':' || coalesce(fdp.name, '~') || ':' || fdp.price || ':' || fdp.day || ':' || coalesce(fdp.flag::text, '~') || ':' || fdp.tags::text || ':' || count(fdc.id) || ':' || coalesce(sum(fdc.qty), 0) AS line FROM fdp LEFT JOIN fdc ON fdc.p = fdp.id GROUP BY fdp.id) x`,
		`SELECT count(*), md5(string_agg(id || '/' || coalesce(name, '~') || '/' || day || '/' || n, ',' ORDER BY id)) FROM (SELECT fdp.id, fdp.name, fdp.day, count(*) AS n FROM fdc JOIN fdp ON fdp.id = fdc.p GROUP BY fdp.id, fdp.name, fdp.day, fdp.price HAVING fdp.day > '2020-06-01' AND fdp.price < 100) x`,
		`SELECT fdp.name, fdp.tags, sum(fdc.qty) FROM fdc JOIN fdp ON fdp.id = fdc.p GROUP BY fdp.id ORDER BY sum(fdc.qty) DESC, fdp.id LIMIT 4`,
		`SELECT count(*), md5(string_agg(code || '/' || coalesce(label, '~') || '/' || amount || '/' || n, ',' ORDER BY code)) FROM (SELECT fdt.code, fdt.label, fdt.amount, count(*) AS n FROM fdc JOIN fdt ON fdt.code = 'c' || fdc.p GROUP BY fdt.code) x`,
	}
	want := []string{
		`3000|11610|2aab4877d954f50e3629e8236129c213`,
		`1468|e8d0ae75e820e823518e02fb3efac188`,
		`name-703|{1,8}|34;name-888|{0,2}|34;name-739|{2,3}|34;name-924|{1,8}|34`,
		`3000|cdf4d01ee253fefe8787637ad764918d`,
	}
	if plan := explainText(t, conn, queries[0]); !strings.Contains(plan, "Group Key: fdp.id\n") && !strings.Contains(plan, "Group Key: id\n") || !strings.Contains(plan, "any_value(") {
		t.Fatalf("the dependent columns are grouped on:\n%s", plan)
	}
	checkAcrossSettings(t, conn, batchBoundarySettings, queries, want)
	// Past work_mem the groups spill to partitions, their values with them.
	mustExec(t, conn, "SET work_mem = '64kB'", "SET hash_mem_multiplier = 1")
	checkAcrossSettings(t, conn, []execSettings{{1023, 0, 131072}, {1023, 2, 0}}, queries, want)
}
