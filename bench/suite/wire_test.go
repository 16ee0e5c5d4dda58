package suite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pqdb/pqdb/bench/tpch"
)

// wireOrders cuts the test's lineitem after this many orders (about 12,000
// lines): several COPY buffers of each format, in seconds.
const wireOrders = 3000

// wire is what the tests that go over the wire share: a pqdb-server built
// from the enclosing repository and started on a free port, and lineitem's
// first wireOrders orders as Parquet and COPY files.
var wire struct {
	once    sync.Once
	skip    string
	err     error
	dir     string
	proc    *tpch.ServerProcess
	parquet string
	rows    int64
	files   map[string]string
}

func TestMain(m *testing.M) {
	if addr := os.Getenv("SUITE_TEST_SERVE_MOCK"); addr != "" {
		// This test binary run as the mock process of TestMockProcess.
		if err := ServeMock(addr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	if wire.proc != nil {
		wire.proc.Stop()
	}
	if wire.dir != "" {
		os.RemoveAll(wire.dir)
	}
	os.Exit(code)
}

// wireSetup starts the server and writes the files once, skipping the test
// when there is no pqdb repository to build the server from.
func wireSetup(t *testing.T) {
	t.Helper()
	wire.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		if wire.dir, wire.err = os.MkdirTemp("", "suite-test-*"); wire.err != nil {
			return
		}
		root, err := filepath.Abs(filepath.Join("..", ".."))
		if err != nil {
			wire.err = err
			return
		}
		binary, found, err := tpch.BuildPQDBServer(ctx, root, wire.dir)
		if !found {
			wire.skip = "the pqdb repository is not at " + root
			return
		}
		if err != nil {
			wire.err = err
			return
		}
		if wire.proc, wire.err = tpch.StartServerProcess(ctx, binary, time.Minute); wire.err != nil {
			return
		}
		data := filepath.Join(wire.dir, "data")
		rows, err := tpch.WriteTables(data, tpch.GenerateOptions{ScaleFactor: 1, MaxOrders: wireOrders, BatchRows: 1000}, "lineitem")
		if err != nil {
			wire.err = err
			return
		}
		wire.parquet, wire.rows = tpch.TableFile(data, "lineitem", 1), rows["lineitem"]
		wire.files, wire.err = EnsureCopyFiles(wire.parquet, io.Discard)
	})
	if wire.skip != "" {
		t.Skip(wire.skip)
	}
	if wire.err != nil {
		t.Fatal(wire.err)
	}
}

// postgresDSN is a PostgreSQL 15 database for the reference column, from
// $PQDB_BENCH_PG_DSN; without it the tests measure pqdb and DuckDB only.
func postgresDSN() string { return os.Getenv("PQDB_BENCH_PG_DSN") }

func TestRunCopyOverTheWire(t *testing.T) {
	wireSetup(t)
	var log strings.Builder
	cfg := CopyConfig{ScaleFactor: 1, Parquet: wire.parquet, Rows: wire.rows, Files: wire.files,
		PQDBDSN: wire.proc.DSN, PQDBPID: wire.proc.PID(), PostgresDSN: postgresDSN(), Timeout: time.Minute, Log: &log}
	rows, err := RunCopy(context.Background(), cfg)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if len(rows) != len(CopyFormats) {
		t.Fatalf("%d rows, want one per format", len(rows))
	}
	for i, r := range rows {
		format := CopyFormats[i]
		if r.Failed != "" || r.Figures[EnginePQDB] <= 0 {
			t.Errorf("%s: pqdb failed (%q) or has no figure: %+v\n%s", format, r.Failed, r, log.String())
		}
		if _, hasDuck := r.Figures[EngineDuckDB]; hasDuck == (format == "binary") {
			t.Errorf("%s: DuckDB figure %v (DuckDB loads csv and text, not PGCOPY)", format, r.Figures)
		}
		if r.PeakRSS <= 0 {
			t.Errorf("%s: no peak RSS of the started server", format)
		}
		if _, pg := r.Figures[EnginePostgreSQL]; pg != (postgresDSN() != "") {
			t.Errorf("%s: PostgreSQL figure %v without/with a PostgreSQL DSN", format, r.Figures)
		}
	}
	if got := strings.Count(log.String(), ", checked"); got != 5+3*boolInt(postgresDSN() != "") {
		t.Errorf("%d loads checked against DuckDB's answer:\n%s", got, log.String())
	}
	// The files are made once and reused.
	var again strings.Builder
	if _, err := EnsureCopyFiles(wire.parquet, &again); err != nil || strings.Count(again.String(), "existing") != 3 {
		t.Errorf("EnsureCopyFiles again: %v\n%s", err, again.String())
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestCopyCheckCatchesWrongLoad: a table that differs from the reference in
// one value is reported as a wrong answer, not as a rate.
func TestCopyCheckCatchesWrongLoad(t *testing.T) {
	wireSetup(t)
	ctx := context.Background()
	cfg := CopyConfig{ScaleFactor: 1, Parquet: wire.parquet, Rows: wire.rows, Files: wire.files, Timeout: time.Minute, Log: io.Discard}
	reference, err := copyReference(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	reference.Rows[0][5].Text = "1.00" // sum(l_quantity)
	got := copyIntoServer(ctx, cfg, EnginePQDB, wire.proc.DSN, "csv", reference)
	var wrong errWrongAnswer
	if !errors.As(got.err, &wrong) || got.rate != 0 {
		t.Fatalf("a load that differs from the reference: %+v", got)
	}
	if failureWord(got.err) != "wrong answer" {
		t.Errorf("failureWord = %q", failureWord(got.err))
	}
}

func TestRunSelect1OverTheWire(t *testing.T) {
	wireSetup(t)
	var log strings.Builder
	row, err := RunSelect1(context.Background(), Select1Config{PQDBDSN: wire.proc.DSN, PQDBPID: wire.proc.PID(),
		MockAddr: "127.0.0.1:0", Duration: 200 * time.Millisecond, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if row.Failed != "" || row.Figures[EnginePQDB] <= 0 || row.Figures[EngineMock] <= 0 || row.Ratio <= 0 || row.PeakRSS <= 0 || !row.Verdict.Judged {
		t.Errorf("%+v\n%s", row, log.String())
	}
}

func TestRunPgbenchOverTheWire(t *testing.T) {
	if testing.Short() {
		t.Skip("pgbench runs for about twenty seconds; skipped with -short")
	}
	binary := PgbenchBinary()
	if binary == "" {
		t.Skip("pgbench is not installed (Debian: postgresql-15)")
	}
	wireSetup(t)
	var log strings.Builder
	rows, err := RunPgbench(context.Background(), PgbenchConfig{Binary: binary, Scale: 1, Duration: time.Second, Runs: 2,
		PQDBDSN: wire.proc.DSN, PQDBPID: wire.proc.PID(), PostgresDSN: postgresDSN(), Log: &log})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if len(rows) != len(pgbenchRuns) {
		t.Fatalf("%d rows, want %d", len(rows), len(pgbenchRuns))
	}
	for _, r := range rows {
		if r.Failed != "" || r.Figures[EnginePQDB] <= 0 || r.PeakRSS <= 0 || !strings.Contains(r.Workload, "median of 2") {
			t.Errorf("%+v\n%s", r, log.String())
		}
	}
	n := 0
	for _, line := range strings.Split(log.String(), "\n") {
		if strings.HasPrefix(line, EnginePQDB+": ") && strings.Contains(line, " tps, ") {
			n++
		}
	}
	if n != 2*len(pgbenchRuns) {
		t.Errorf("%d pqdb runs logged, want %d:\n%s", n, 2*len(pgbenchRuns), log.String())
	}
}

// TestRunPgbenchReportsFailure: pgbench that cannot connect fails pqdb's rows
// with a word, and the log says why.
func TestRunPgbenchReportsFailure(t *testing.T) {
	binary := PgbenchBinary()
	if binary == "" {
		t.Skip("pgbench is not installed (Debian: postgresql-15)")
	}
	mock, err := StartMock("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	var log strings.Builder
	rows, err := RunPgbench(context.Background(), PgbenchConfig{Binary: binary, Scale: 1, Duration: time.Second, PQDBDSN: mock.DSN(), Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].Failed != "pgbench failed" || rows[1].Failed != "not run" || rows[0].Verdict.Met {
		t.Errorf("rows %+v", rows)
	}
	if !strings.Contains(log.String(), "pgbench -i") {
		t.Errorf("log does not name the failing step:\n%s", log.String())
	}
}

func TestMockAnswersSimpleQueries(t *testing.T) {
	mock, err := StartMock("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, mock.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for i := range 3 {
		var n int32
		if err := conn.QueryRow(ctx, "SELECT 1", pgx.QueryExecModeSimpleProtocol).Scan(&n); err != nil || n != 1 {
			t.Fatalf("query %d: %d, %v", i, n, err)
		}
	}
	// The extended protocol is refused with a clear error, and the session
	// goes on.
	var pgErr *pgconn.PgError
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(new(int32)); !errors.As(err, &pgErr) || pgErr.Code != "0A000" {
		t.Errorf("extended protocol: %v", err)
	}
	rate, err := Select1Rate(ctx, mock.DSN(), 50*time.Millisecond)
	if err != nil || rate <= 0 {
		t.Errorf("Select1Rate against the mock: %v, %v", rate, err)
	}
}

// TestMockProcess: the mock run as a process of its own answers, and
// Close ends the process.
func TestMockProcess(t *testing.T) {
	t.Setenv("SUITE_TEST_SERVE_MOCK", "127.0.0.1:0")
	p, err := StartMockProcess([]string{os.Args[0], "-test.run=^$"})
	if err != nil {
		t.Fatal(err)
	}
	rate, err := Select1Rate(context.Background(), p.DSN(), 50*time.Millisecond)
	if err != nil || rate <= 0 {
		t.Errorf("Select1Rate against the mock process: %v, %v", rate, err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("the mock process ended with %v", err)
	}
	if _, err := pgx.Connect(context.Background(), p.DSN()); err == nil {
		t.Error("the mock process still answers after Close")
	}
}

func TestMockCloseEndsSessions(t *testing.T) {
	mock, err := StartMock("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, mock.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	done := make(chan error, 1)
	go func() { done <- mock.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close waits for an open session")
	}
	if _, err := conn.Exec(ctx, "SELECT 1", pgx.QueryExecModeSimpleProtocol); err == nil {
		t.Error("a query succeeded after the mock closed")
	}
	if _, err := pgx.Connect(ctx, mock.DSN()); err == nil {
		t.Error("connected after the mock closed")
	}
}
