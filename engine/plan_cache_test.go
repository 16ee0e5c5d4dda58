package engine

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/pgerr"
)

// rowsWriter collects a statement's rows as text.
type rowsWriter struct {
	rows []string
}

func (w *rowsWriter) Columns(cols []Column, formats []int16) error { return nil }
func (w *rowsWriter) Row(values [][]byte) error {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = string(v)
		if v == nil {
			parts[i] = "NULL"
		}
	}
	w.rows = append(w.rows, strings.Join(parts, ","))
	return nil
}
func (w *rowsWriter) Notice(n *pgerr.Error) error { return nil }
func (w *rowsWriter) CopyIn(format int8, columnFormats []int16) (io.Reader, error) {
	return nil, pgerr.Unsupported("COPY")
}
func (w *rowsWriter) CopyOut(format int8, columnFormats []int16) (io.WriteCloser, error) {
	return nil, pgerr.Unsupported("COPY")
}

func testSession(t *testing.T) *Session {
	t.Helper()
	return testSessionWith(t, Config{DataDir: t.TempDir()})
}

func testSessionWith(t testing.TB, cfg Config) *Session {
	t.Helper()
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	s, err := e.NewSession(StartupInfo{User: "tester", Database: "pqdb", ProcessID: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// simple runs a simple Query message's text and returns its rows.
func simple(t testing.TB, s *Session, sql string) string {
	t.Helper()
	stmts, err := s.ParseQuery(sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	w := &rowsWriter{}
	for _, st := range stmts {
		if _, err := s.Execute(context.Background(), st, nil, nil, nil, nil, w); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if err := s.EndImplicitTransaction(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(w.rows, " ")
}

// TestKeptPlanReuse follows one prepared statement's kept plan: Describe
// binds and keeps it, runs reuse it while nothing binding reads changes
// (new rows included), and each kind of change binds it again.
func TestKeptPlanReuse(t *testing.T) {
	s := testSession(t)
	simple(t, s, `CREATE TABLE kp (x int, y text); INSERT INTO kp VALUES (1, 'a'), (2, 'b')`)
	stmts, err := s.Parse(`SELECT y FROM kp WHERE x >= $1 AND current_setting('application_name') = ''`)
	if err != nil {
		t.Fatal(err)
	}
	st := stmts[0].(*statement)
	params, _, err := s.Describe(context.Background(), st, []uint32{23})
	if err != nil {
		t.Fatal(err)
	}
	run := func(arg string) string {
		t.Helper()
		w := &rowsWriter{}
		if _, err := s.Execute(context.Background(), st, params, [][]byte{[]byte(arg)}, nil, nil, w); err != nil {
			t.Fatal(err)
		}
		if err := s.EndImplicitTransaction(); err != nil {
			t.Fatal(err)
		}
		return strings.Join(w.rows, " ")
	}
	kept := st.plan
	if kept == nil {
		t.Fatal("Describe kept no plan")
	}
	step := func(what, arg, want string, rebound bool) {
		t.Helper()
		if got := run(arg); got != want {
			t.Fatalf("%s: got %q, want %q", what, got, want)
		}
		if st.plan == nil {
			t.Fatalf("%s: no plan kept", what)
		}
		if (st.plan != kept) != rebound {
			t.Errorf("%s: bound again = %v, want %v", what, st.plan != kept, rebound)
		}
		kept = st.plan
	}
	step("first run", "1", "a b", false)
	step("another argument", "2", "b", false)
	simple(t, s, `INSERT INTO kp VALUES (3, 'c')`)
	step("after an INSERT", "2", "b c", false)
	simple(t, s, `SET application_name = 'x'`)
	step("after a setting binding read changed", "1", "", true)
	simple(t, s, `SET application_name = ''`)
	step("after it changed back", "1", "a b c", true)
	simple(t, s, `SET work_mem = '8MB'`)
	step("after a setting binding did not read", "1", "a b c", false)
	simple(t, s, `SET search_path = public, pg_catalog`)
	step("after SET search_path", "1", "a b c", true)
	simple(t, s, `SET TimeZone = 'Europe/Paris'`)
	step("after SET TimeZone", "1", "a b c", true)
	simple(t, s, `CREATE INDEX kp_x ON kp (x)`)
	step("after CREATE INDEX", "3", "c", true)
	simple(t, s, `DISCARD PLANS`)
	step("after DISCARD PLANS", "3", "c", true)
	step("again", "3", "c", false)
}

// TestKeptPlanEstimates: a plan whose join order read table sizes is
// bound again once a size moved by more than a factor of two, and kept
// across smaller changes.
func TestKeptPlanEstimates(t *testing.T) {
	s := testSession(t)
	simple(t, s, `CREATE TABLE ke_a (id int, v int); CREATE TABLE ke_b (id int);
		INSERT INTO ke_a SELECT g, g FROM generate_series(1, 2000) g; INSERT INTO ke_b SELECT g FROM generate_series(1, 2000) g`)
	stmts, err := s.Parse(`SELECT count(*) FROM ke_a JOIN ke_b USING (id) WHERE v > $1`)
	if err != nil {
		t.Fatal(err)
	}
	st := stmts[0].(*statement)
	params, _, err := s.Describe(context.Background(), st, []uint32{23})
	if err != nil {
		t.Fatal(err)
	}
	if st.plan == nil || len(st.plan.estimates) == 0 {
		t.Fatalf("the join's plan kept no estimates: %+v", st.plan)
	}
	run := func() string {
		t.Helper()
		w := &rowsWriter{}
		if _, err := s.Execute(context.Background(), st, params, [][]byte{[]byte("0")}, nil, nil, w); err != nil {
			t.Fatal(err)
		}
		if err := s.EndImplicitTransaction(); err != nil {
			t.Fatal(err)
		}
		return strings.Join(w.rows, " ")
	}
	kept := st.plan
	if got := run(); got != "2000" || st.plan != kept {
		t.Fatalf("first run: %s, bound again %v", got, st.plan != kept)
	}
	simple(t, s, `INSERT INTO ke_b SELECT g FROM generate_series(2001, 2500) g`)
	if got := run(); got != "2000" || st.plan != kept {
		t.Fatalf("after a quarter more rows: %s, bound again %v", got, st.plan != kept)
	}
	simple(t, s, `INSERT INTO ke_b SELECT g FROM generate_series(2501, 8000) g`)
	if got := run(); got != "2000" || st.plan == kept {
		t.Fatalf("after four times the rows: %s, bound again %v", got, st.plan != kept)
	}
}

// TestKeptPlanRefusals: what keeps no plan.
func TestKeptPlanRefusals(t *testing.T) {
	files := t.TempDir()
	s := testSessionWith(t, Config{DataDir: t.TempDir(), AllowFiles: files})
	simple(t, s, `COPY (SELECT 1 AS x) TO '`+files+`/a.parquet' (FORMAT parquet)`)
	simple(t, s, `CREATE TABLE kr (x int); CREATE VIEW kr_v AS SELECT x, 'now'::timestamptz AS t FROM kr; CREATE VIEW kr_w AS SELECT x FROM kr`)
	for sql, want := range map[string]bool{
		`CREATE TABLE kr2 (x int)`:                                           false, // DDL binds every time
		`SHOW search_path`:                                                   false, // so does every utility statement
		`SELECT 'now'::timestamptz > $1`:                                     true,  // a prepared statement keeps 'now' as PostgreSQL does
		`EXPLAIN SELECT * FROM kr`:                                           false, // not a planned query of its own
		`SELECT * FROM kr WHERE x = $1`:                                      true,
		`INSERT INTO kr VALUES ($1)`:                                         true,
		`UPDATE kr SET x = $1 WHERE x = 0`:                                   true,
		`SELECT x FROM kr_v WHERE x = $1`:                                    true, // the view's 'now' was read at CREATE VIEW
		`SELECT x FROM kr_w WHERE x = $1`:                                    true,
		`SELECT x FROM read_parquet('` + files + `/a.parquet') WHERE x = $1`: false, // the files may change
	} {
		stmts, err := s.Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		st := stmts[0].(*statement)
		if _, _, err := s.Describe(context.Background(), st, nil); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if got := st.plan != nil; got != want {
			t.Errorf("%s: kept %v, want %v", sql, got, want)
		}
	}
	// A simple Query text that may name the clock keeps its parsed
	// statements but no plan.
	simple(t, s, `SELECT x FROM kr WHERE x::text <> 'today'`)
	simple(t, s, `SELECT x FROM kr`)
	for text, want := range map[string]bool{`SELECT x FROM kr WHERE x::text <> 'today'`: false, `SELECT x FROM kr`: true} {
		stmts := s.queryTexts.byText[text]
		if len(stmts) != 1 {
			t.Fatalf("%s: %d statements kept", text, len(stmts))
		}
		if got := stmts[0].(*statement).plan != nil; got != want {
			t.Errorf("%s: plan kept %v, want %v", text, got, want)
		}
	}
}

// TestQueryTextCacheBound: the simple Query cache holds at most
// maxKeptQueries texts, dropping the oldest.
func TestQueryTextCacheBound(t *testing.T) {
	s := testSession(t)
	for i := 0; i < maxKeptQueries+5; i++ {
		if got := simple(t, s, fmt.Sprintf("SELECT %d", i)); got != fmt.Sprint(i) {
			t.Fatalf("SELECT %d: got %s", i, got)
		}
	}
	c := &s.queryTexts
	if len(c.byText) != maxKeptQueries || len(c.order) != maxKeptQueries {
		t.Fatalf("kept %d texts (%d in order), want %d", len(c.byText), len(c.order), maxKeptQueries)
	}
	if _, ok := c.byText["SELECT 4"]; ok {
		t.Error("the oldest texts were not dropped")
	}
	if _, ok := c.byText[fmt.Sprintf("SELECT %d", maxKeptQueries+4)]; !ok {
		t.Error("the newest text is not kept")
	}
}

// BenchmarkSelect1Session is the engine's share of a simple Query of
// `SELECT 1`: parse (kept by text), plan (kept), run and encode, and the
// implicit transaction's end, without the protocol around it.
func BenchmarkSelect1Session(b *testing.B) {
	e, err := Open(Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	s, err := e.NewSession(StartupInfo{User: "tester", Database: "pqdb", ProcessID: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	w := &discardRows{}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		stmts, err := s.ParseQuery("SELECT 1")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Execute(ctx, stmts[0], nil, nil, nil, nil, w); err != nil {
			b.Fatal(err)
		}
		if err := s.EndImplicitTransaction(); err != nil {
			b.Fatal(err)
		}
		s.ParameterStatus()
		s.TxStatus()
	}
}

// discardRows is a ResultWriter that drops what it is given.
type discardRows struct{ rowsWriter }

func (w *discardRows) Row(values [][]byte) error { return nil }

// TestParseSharesParsedText: Parse messages of one text get statements of
// their own (own plans, own described results) over one parse, which the
// simple Query of that text shares too.
func TestParseSharesParsedText(t *testing.T) {
	s := testSession(t)
	const text = `SELECT 1 AS one`
	a, err := s.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.ParseQuery(text)
	if err != nil {
		t.Fatal(err)
	}
	sa, sb, sq := a[0].(*statement), b[0].(*statement), q[0].(*statement)
	if sa == sb || sa == sq || sb == sq {
		t.Fatal("a Parse message got a statement another one has")
	}
	if sa.Statement != sb.Statement || sa.Statement != sq.Statement {
		t.Error("the text was parsed again")
	}
	if _, _, err := s.Describe(context.Background(), sa, nil); err != nil {
		t.Fatal(err)
	}
	if sa.plan == nil || sb.plan != nil || sb.isDescribed || sq.plan != nil {
		t.Errorf("describing one statement kept plans for others: %v %v %v", sa.plan != nil, sb.plan != nil, sq.plan != nil)
	}
}
