package server

import (
	"strings"
	"testing"

	"github.com/pqdb/pqdb/numeric"
)

// TestNumericDisplayScale covers numeric as PostgreSQL has it: each value
// keeps its own display scale (a column declared plain numeric keeps
// '1.50' and '2' as written; 1.5 and 1.50 are one value for GROUP BY,
// DISTINCT and joins), division and avg give at least 16 significant
// digits, precision is not limited to 38 digits, NaN and ±Infinity sort
// and aggregate as in PostgreSQL, CASE, COALESCE and UNION keep each
// input's scale, and casts and functions print PostgreSQL's digits. The
// expected rows come from PostgreSQL 15 over the same table.
func TestNumericDisplayScale(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE nv (id int, x numeric, y numeric(10,2))`,
		`INSERT INTO nv VALUES (1, '1.50', 1.5), (2, '2', 2), (3, '-0.000', -3.25), (4, '12345678901234567890123456789012345678901234567890.123', 10), (5, 'NaN', 1), (6, 'Infinity', 2), (7, '-Infinity', 3), (8, NULL, NULL), (9, 1.5, 4.44), (10, 0.1::float8, 0.10)`,
	)
	queries := []string{
		`SELECT 1::numeric / 3, 10::numeric / 4, 2.5 / 0.5, 1 / 3::numeric(10,2), 7.00 / 2`,
		`SELECT id, x FROM nv ORDER BY x, id`,
		`SELECT x, count(*), min(id) FROM nv GROUP BY x ORDER BY x`,
		`SELECT count(DISTINCT x) FROM nv`,
		`SELECT sum(x), avg(y), sum(y), min(x), max(x) FROM nv WHERE id < 9`,
		`SELECT sum(x), avg(x), max(x) FROM nv`,
		`SELECT id, x + y, x * y, x - 1, -x, x / 7 FROM nv WHERE id < 5 ORDER BY id`,
		`SELECT id, CASE WHEN id > 2 THEN 1.5 ELSE 2.25 END, COALESCE(x, y, 0) FROM nv ORDER BY id`,
		`SELECT y FROM nv WHERE id < 4 UNION ALL SELECT x FROM nv WHERE id < 4 ORDER BY 1`,
		`SELECT avg(i), avg(i::int8), sum(i::numeric) / 7 FROM generate_series(1, 10) i`,
		`SELECT x::numeric(10,2), x::int8, x::float8, x::text FROM nv WHERE id IN (1, 2, 3) ORDER BY id`,
		`SELECT a.id, b.id FROM nv a JOIN nv b ON a.x = b.x ORDER BY 1, 2`,
		`SELECT round(x, 1), trunc(x), abs(x), ceil(x), floor(x), sign(x) FROM nv WHERE id < 4 ORDER BY id`,
		`SELECT sqrt(2::numeric), exp(1::numeric), ln(10::numeric), power(2::numeric, 0.5), 0.1::float8::numeric, 1e-5::float8::numeric`,
		`SELECT x FROM nv WHERE x > 1.5 ORDER BY x`,
		`SELECT x FROM nv WHERE x = 1.5 ORDER BY id`,
	}
	want := []string{
		"0.33333333333333333333|2.5000000000000000|5.0000000000000000|0.33333333333333333333|3.5000000000000000",
		"7|-Infinity;3|0.000;10|0.1;1|1.50;9|1.5;2|2;4|12345678901234567890123456789012345678901234567890.123;6|Infinity;5|NaN;8|NULL",
		"-Infinity|1|7;0.000|1|3;0.1|1|10;1.50|2|1;2|1|2;12345678901234567890123456789012345678901234567890.123|1|4;Infinity|1|6;NaN|1|5;NULL|1|8",
		"8",
		"NaN|2.3214285714285714|16.25|-Infinity|NaN",
		"NaN|NaN|NaN",
		"1|3.00|2.2500|0.50|-1.50|0.21428571428571428571;2|4.00|4.00|1|-2|0.28571428571428571429;3|-3.250|0.00000|-1.000|0.000|0.00000000000000000000;4|12345678901234567890123456789012345678901234567900.123|123456789012345678901234567890123456789012345678901.23000|12345678901234567890123456789012345678901234567889.123|-12345678901234567890123456789012345678901234567890.123|1763668414462081127160493827001763668414462081127.160",
		"1|2.25|1.50;2|2.25|2;3|1.5|0.000;4|1.5|12345678901234567890123456789012345678901234567890.123;5|1.5|NaN;6|1.5|Infinity;7|1.5|-Infinity;8|1.5|0;9|1.5|1.5;10|1.5|0.1",
		"-3.25;0.000;1.50;1.50;2.00;2",
		"5.5000000000000000|5.5000000000000000|7.8571428571428571",
		"1.50|2|1.5|1.50;2.00|2|2|2;0.00|0|0|0.000",
		"1|1;1|9;2|2;3|3;4|4;5|5;6|6;7|7;9|1;9|9;10|10",
		"1.5|1|1.50|2|1|1;2.0|2|2|2|2|1;0.0|0|0.000|0|0|0",
		"1.414213562373095|2.7182818284590452|2.3025850929940457|1.4142135623730950|0.1|0.00001",
		"2;12345678901234567890123456789012345678901234567890.123;Infinity;NaN",
		"1.50;1.5",
	}
	checkAcrossSettings(t, conn, settingsGrid([]int{1, 3, 65536}, []int{0, 2}), queries, want)

	// The binary wire form is numeric_send's, with the same digits.
	res := conn.PgConn().ExecParams(ctx(t), `SELECT x FROM nv WHERE x IS NOT NULL ORDER BY id`, nil, nil, nil, []int16{1}).Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var got []string
	for _, r := range res.Rows {
		if err := numeric.Validate(r[0]); err != nil {
			t.Fatalf("binary numeric %x: %v", r[0], err)
		}
		got = append(got, numeric.String(r[0]))
	}
	if w := "1.50;2;0.000;12345678901234567890123456789012345678901234567890.123;NaN;Infinity;-Infinity;1.5;0.1"; strings.Join(got, ";") != w {
		t.Errorf("binary: got %s, want %s", strings.Join(got, ";"), w)
	}
}
