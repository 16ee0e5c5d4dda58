package sqltests

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestParseSQLiteDialect(t *testing.T) {
	src := "# leading comment\r\n" +
		"hash-threshold 3\n" +
		"\n" +
		"statement ok\n" +
		"CREATE TABLE t1(a INTEGER,\n" +
		"  b TEXT)\n" +
		"\n" +
		"skipif mysql # not compatible\n" +
		"onlyif postgresql\n" +
		"statement error near \"FROM\": syntax error\n" +
		"SELECT FROM\n" +
		"\n" +
		"# a comment between records\n" +
		"query IT rowsort label-7\n" +
		"SELECT a, b\n" +
		"  FROM t1\n" +
		"----\n" +
		"1\n" +
		" padded \n" +
		"\n" +
		"query R nosort\n" +
		"SELECT 1.5\n" +
		"----\n" +
		"9 values hashing to 0123456789abcdef0123456789abcdef\n" +
		"\n" +
		"frobnicate\n" +
		"whatever follows\n" +
		"\n" +
		"query I valuesort\n" +
		"SELECT 1\n" +
		"----\n" +
		"\n" +
		"onlyif mssql\n" +
		"halt\n" +
		"\n" +
		"halt   \n"
	got := Parse([]byte(src), DialectSQLite).Records
	want := []Record{
		{Kind: KindHashThreshold, Line: 2, Threshold: 3, ExpectCount: -1},
		{Kind: KindStatement, Line: 4, SQL: "CREATE TABLE t1(a INTEGER,\n  b TEXT)", ExpectCount: -1},
		{Kind: KindStatement, Line: 10, ExpectError: true, ErrorPattern: `near "FROM": syntax error`, SQL: "SELECT FROM", ExpectCount: -1,
			Conditions: []Condition{{Only: false, Engine: "mysql"}, {Only: true, Engine: "postgresql"}}},
		{Kind: KindQuery, Line: 14, Types: "IT", Sort: RowSort, Label: "label-7", SQL: "SELECT a, b\n  FROM t1",
			Expected: []string{"1", " padded "}, ExpectCount: -1},
		{Kind: KindQuery, Line: 21, Types: "R", Sort: NoSort, SQL: "SELECT 1.5",
			Expected: []string{"9 values hashing to 0123456789abcdef0123456789abcdef"}, ExpectCount: -1},
		{Kind: KindInvalid, Line: 26, Problem: `unsupported record type "frobnicate"`, ExpectCount: -1},
		{Kind: KindQuery, Line: 29, Types: "I", Sort: ValueSort, SQL: "SELECT 1", ExpectCount: -1},
		{Kind: KindHalt, Line: 34, Conditions: []Condition{{Only: true, Engine: "mssql"}}, ExpectCount: -1},
		{Kind: KindHalt, Line: 36, ExpectCount: -1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestParseRSDialect(t *testing.T) {
	src := `control sortmode rowsort

query TTB
select 'a', 'b c', true;
----
a	b c	t

statement error table name "a" specified more than once
with a as (select 1) select * from a, a;

statement count 3
update t set x = 1;

query error
select 1/0;

statement error
select 1/0;
----
db error: division by zero

query III nosort
select 1, 2, 3;
----
1 2 3
`
	got := Parse([]byte(src), DialectRS).Records
	want := []Record{
		{Kind: KindSortMode, Line: 1, Sort: RowSort, ExpectCount: -1},
		{Kind: KindQuery, Line: 3, Types: "TTB", SQL: "select 'a', 'b c', true;", Expected: []string{"a\tb c\tt"}, ExpectCount: -1},
		{Kind: KindStatement, Line: 8, ExpectError: true, ErrorPattern: `table name "a" specified more than once`,
			SQL: "with a as (select 1) select * from a, a;", ExpectCount: -1},
		{Kind: KindStatement, Line: 11, SQL: "update t set x = 1;", ExpectCount: 3},
		{Kind: KindQuery, Line: 14, ExpectError: true, SQL: "select 1/0;", ExpectCount: -1},
		{Kind: KindStatement, Line: 17, ExpectError: true, SQL: "select 1/0;", ExpectCount: -1},
		{Kind: KindQuery, Line: 22, Types: "III", Sort: NoSort, SQL: "select 1, 2, 3;", Expected: []string{"1 2 3"}, ExpectCount: -1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseRejectsBadHeaders(t *testing.T) {
	cases := []struct {
		dialect Dialect
		src     string
		problem string
	}{
		{DialectSQLite, "query IB\nSELECT 1, true\n----\n1\nt\n", `unknown type character 'B' in type string "IB"`},
		{DialectSQLite, "query I upsidedown\nSELECT 1\n", `unknown sort mode "upsidedown"`},
		{DialectSQLite, "statement maybe\nSELECT 1\n", `statement argument "maybe" should be ok, error or count`},
		{DialectSQLite, "hash-threshold many\n", `hash-threshold "many" is not a count`},
		{DialectRS, "control substitution on\n", `unsupported control "substitution on"`},
		{DialectRS, "include other.slt\n", `unsupported record type "include"`},
	}
	for _, c := range cases {
		recs := Parse([]byte(c.src), c.dialect).Records
		if len(recs) != 1 || recs[0].Kind != KindInvalid || recs[0].Problem != c.problem {
			t.Errorf("%q: got %+v, want one invalid record with problem %q", c.src, recs, c.problem)
		}
	}
	// The rs dialect counts columns with any capital letter.
	recs := Parse([]byte("query IB\nselect 1, true\n----\n1 t\n"), DialectRS).Records
	if len(recs) != 1 || recs[0].Kind != KindQuery {
		t.Errorf("rs query IB: got %+v", recs)
	}
}

func TestConditions(t *testing.T) {
	rec := Record{Conditions: []Condition{{Only: false, Engine: "mysql"}}}
	if rec.Skipped("postgresql") || !rec.Skipped("mysql") {
		t.Error("skipif mysql must skip only on mysql")
	}
	rec = Record{Conditions: []Condition{{Only: true, Engine: "postgresql"}}}
	if rec.Skipped("postgresql") || !rec.Skipped("sqlite") {
		t.Error("onlyif postgresql must run only on postgresql")
	}
}

func TestDialectFor(t *testing.T) {
	for path, want := range map[string]Dialect{
		"select1.test":              DialectSQLite,
		"a/b/slt_good_0.test":       DialectSQLite,
		"basic/cte.slt.part":        DialectRS,
		"top_n/top_n_on_index.slt":  DialectRS,
		"weird.slt.part/other.test": DialectSQLite,
	} {
		if got := DialectFor(path); got != want {
			t.Errorf("DialectFor(%q) = %v, want %v", path, got, want)
		}
	}
}

// TestParseCorpus parses the shared corpora, when present, and checks that
// every record is understood.
func TestParseCorpus(t *testing.T) {
	dir := corpusDir(t)
	files, err := TestFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 70 {
		t.Fatalf("found only %d scripts under %s", len(files), dir)
	}
	var statements, queries int
	for _, f := range files {
		s, err := ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range s.Records {
			switch r.Kind {
			case KindInvalid:
				t.Errorf("%s:%d: %s", f, r.Line, r.Problem)
			case KindStatement:
				statements++
			case KindQuery:
				queries++
				if r.SQL == "" {
					t.Errorf("%s:%d: query without SQL", f, r.Line)
				}
			}
		}
	}
	if statements+queries < 250000 {
		t.Errorf("parsed %d statements and %d queries, fewer than the corpora hold", statements, queries)
	}
}

// corpusDir is the sqllogictest corpus shared by pqdb's engineers
// ($PQDB_SLT_DIR, default /work/shared/slt); tests that need it skip
// when it is absent.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PQDB_SLT_DIR")
	if dir == "" {
		dir = "/work/shared/slt"
	}
	if _, err := os.Stat(filepath.Join(dir, "sqlite", "select1.test")); err != nil {
		t.Skipf("sqllogictest corpus not found at %s (set PQDB_SLT_DIR)", dir)
	}
	return dir
}
