package sqltests_test

import (
	"context"
	"strings"
	"testing"
)

// TestUnsupportedAreRefused: what PostgreSQL 15 computes but pqdb does
// not (yet) is 0A000 with a message naming it, never a wrong answer. (The
// supported aggregates and functions are covered by testdata/*.slt.)
func TestUnsupportedAreRefused(t *testing.T) {
	ctx := context.Background()
	conn, err := startPqdb(t)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "create table rbad (a int)"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ sql, msg string }{
		{"select percentile_cont(array[0.5, 0.9]) within group (order by x) from generate_series(1, 4) x",
			"percentile_cont of an array of fractions is not supported"},
		{"select percentile_disc(array[0.5]) within group (order by x) from generate_series(1, 4) x",
			"percentile_disc of an array of fractions is not supported"},
		{"select rank(2) within group (order by x) from generate_series(1, 4) x",
			"hypothetical-set aggregate rank is not supported"},
		{"select string_agg(x::text, ',' order by x using >) from generate_series(1, 4) x",
			"ORDER BY ... USING is not supported"},
		{"select percentile_cont(0.5) within group (order by x using <) from generate_series(1, 4) x",
			"ORDER BY ... USING is not supported"},
		{`select 'aa' ~ '(a)\1'`, "back references in regular expressions are not supported"},
		{"select 'a' ~ '(?b)a'", "basic and extended (non-advanced) regular expressions are not supported"},
		{"select to_timestamp('2024 UTC', 'YYYY TZ')", `formatting field "TZ" is only supported in to_char`},
		{"select current_time", "current_time is not supported: pqdb has no type time with time zone"},
		{"select current_time(3)", "current_time is not supported: pqdb has no type time with time zone"},
		// Records (testdata/records.slt has what works).
		{`select * from jsonb_to_record('{"a":[[1],[2]]}') as x(a int[])`, "multidimensional arrays are not supported"},
		{"create table rbad2 as select rbad from rbad", "tables cannot store records"},
		{"select distinct r from (select row('{}'::json) r) s", "comparing records with a field of type json is not supported"},
		// VACUUM and storage parameters (testdata/vacuum_storage_params.slt
		// has what works).
		{"analyze verbose rbad", "ANALYZE VERBOSE is not supported"},
		{"vacuum (index_cleanup off) rbad", "VACUUM option INDEX_CLEANUP is not supported"},
		{"create table rbad3 (a int) with (autovacuum_enabled = false)", `storage parameter "autovacuum_enabled" is not supported`},
		{"create table rbad3 (a int) with (toast.autovacuum_enabled = false)", `TOAST storage parameter "autovacuum_enabled" is not supported`},
		// Index options (testdata/describe_catalog.slt has what works).
		{"create table rbad4 (a int, b int, unique (a) include (b))", "INCLUDE in a PRIMARY KEY or UNIQUE constraint is not supported"},
		{"alter table rbad add primary key (a) include (a)", "INCLUDE in a PRIMARY KEY or UNIQUE constraint is not supported"},
		{"create unlogged sequence rbad_seq", "unlogged sequences are not supported"},
		{"comment on type int4 is 'x'", "COMMENT ON a built-in type is not supported"},
		{"create type rbad_e as enum ('a'); comment on type rbad_e[] is 'x'", "COMMENT ON an array type is not supported"},
		{"create unique index on rbad (a) nulls not distinct", "NULLS NOT DISTINCT is not supported"},
		{"create table rbad4 (a int unique nulls not distinct)", "NULLS NOT DISTINCT is not supported"},
		{"create table rbad4 (a int, unique nulls not distinct (a))", "NULLS NOT DISTINCT is not supported"},
		{"alter table rbad add unique nulls not distinct (a)", "NULLS NOT DISTINCT is not supported"},
		{"create index on rbad (a) with (fillfactor = 50)", "storage parameters of indexes are not supported"},
		{`create table rbad5 (t text); create index on rbad5 (t collate "C")`, "COLLATE in an index column is not supported"},
	} {
		_, err := conn.Exec(ctx, c.sql)
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), "(SQLSTATE 0A000)") {
			t.Errorf("%s: got %v, want 0A000 %s", c.sql, err, c.msg)
		}
	}
}
