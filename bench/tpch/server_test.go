package tpch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixtureCopyBatch is smaller than lineitem and not a multiple of the Parquet
// read chunk, so rows must carry over from one COPY statement to the next.
const fixtureCopyBatch = 40000

// loadedServer is the server the fixture was loaded into, shared by the tests
// of the test binary: $PQDB_BENCH_DSN (pqdb or PostgreSQL; its TPC-H tables
// are replaced), or else a pqdb-server built from the enclosing repository and
// started on a free port.
var loadedServer struct {
	once sync.Once
	dsn  string
	skip string
	err  error
	load map[string]int64 // rows per table, as COPY reported them
	copy map[string]int   // COPY statements per table
}

// fixtureServer returns a session on the loaded server, skipping the test when
// there is no server to run.
func fixtureServer(t *testing.T) *Server {
	t.Helper()
	loadedServer.once.Do(startAndLoadServer)
	if loadedServer.skip != "" {
		t.Skip(loadedServer.skip)
	}
	if loadedServer.err != nil {
		t.Fatal(loadedServer.err)
	}
	ctx := context.Background()
	srv, err := ConnectServer(ctx, "server", loadedServer.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(ctx) })
	return srv
}

func startAndLoadServer() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	s := &loadedServer
	s.dsn = os.Getenv("PQDB_BENCH_DSN")
	if s.dsn == "" {
		binary, skip, err := buildPQDBServer(ctx)
		if skip != "" || err != nil {
			s.skip, s.err = skip, err
			return
		}
		proc, err := StartServerProcess(ctx, binary, time.Minute)
		if err != nil {
			s.err = err
			return
		}
		fixture.cleanup = append(fixture.cleanup, func() { proc.Stop() })
		s.dsn = proc.DSN
	}
	srv, err := ConnectServer(ctx, "server", s.dsn)
	if err != nil {
		s.err = err
		return
	}
	defer srv.Close(ctx)
	s.load, s.copy = map[string]int64{}, map[string]int{}
	for _, table := range Tables {
		if err = srv.DropTable(ctx, table); err == nil {
			err = srv.CreateTable(ctx, table)
		}
		if err == nil {
			s.load[table.Name()], err = srv.LoadTable(ctx, table, fixture.files[table.Name()], fixtureCopyBatch,
				func(int64) { s.copy[table.Name()]++ })
		}
		if err != nil {
			s.err = err
			return
		}
	}
	s.err = srv.Checkpoint(ctx)
}

// buildPQDBServer builds cmd/pqdb-server of the repository this module sits in
// (../.. from this package). Without that repository there is nothing to test
// against, which skips rather than fails.
func buildPQDBServer(ctx context.Context) (binary, skip string, err error) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return "", "", err
	}
	dir, err := os.MkdirTemp("", "pqdb-server-build-*")
	if err != nil {
		return "", "", err
	}
	fixture.cleanup = append(fixture.cleanup, func() { os.RemoveAll(dir) })
	binary, found, err := BuildPQDBServer(ctx, root, dir)
	if !found {
		return "", "PQDB_BENCH_DSN is not set and the pqdb repository is not at " + root, nil
	}
	return binary, "", err
}

// TestServerLoadsAndAnswers checks the whole server path — create, binary COPY
// in several statements, CHECKPOINT, count — for every table, and Q1 and Q6
// against an exact computation.
func TestServerLoadsAndAnswers(t *testing.T) {
	srv := fixtureServer(t)
	ctx := context.Background()
	for _, table := range Tables {
		name := table.Name()
		want := fixture.rows[name]
		if got := loadedServer.load[name]; got != want {
			t.Errorf("COPY loaded %d rows into %s, want %d", got, name, want)
		}
		if c, err := srv.Count(ctx, name); err != nil || c != want {
			t.Errorf("count(%s) = %d, %v; want %d", name, c, err, want)
		}
	}
	if n := loadedServer.copy["lineitem"]; n < 2 {
		t.Errorf("lineitem loaded in %d COPY statements, want several", n)
	}
	for _, tc := range []struct {
		q    Query
		want Result
	}{
		{Q1, referenceQ1(fixture.lines)},
		{Q6, referenceQ6(fixture.lines)},
	} {
		got, _, err := srv.Run(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if diffs := Compare(tc.want, got); len(diffs) > 0 {
			t.Errorf("%s differs from the exact answer:\n%v\nserver:\n%sexact:\n%s", tc.q.Name, diffs, got.Format(), tc.want.Format())
		}
	}
}

func TestStartServerProcessReportsEarlyExit(t *testing.T) {
	_, err := StartServerProcess(context.Background(), "false", 10*time.Second)
	if err == nil || !strings.Contains(err.Error(), "exited before accepting connections") {
		t.Fatalf("err = %v, want an early-exit error", err)
	}
}

func TestStartServerProcessReportsMissingBinary(t *testing.T) {
	if _, err := StartServerProcess(context.Background(), t.TempDir()+"/no-such-server", time.Second); err == nil {
		t.Fatal("started a binary that does not exist")
	}
}

func TestSegmentFilesFollowsPqdbLayout(t *testing.T) {
	dir := t.TempDir()
	write := func(rel string, size int) {
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("public/1/data/000001.parquet", 10)
	write("public/1/data/000002.parquet", 5)
	write("public/1/_manifest/1.json", 7)
	write("public/_events/000001.parquet", 3)
	write("public/writer.sqlite", 3)
	p := &ServerProcess{DataDir: dir}
	files, size, err := p.SegmentFiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || size != 15 {
		t.Fatalf("SegmentFiles = %v, %d bytes; want the two segments, 15 bytes", files, size)
	}
}

func TestDuckDBCountsRowsOfParquetFiles(t *testing.T) {
	d := openFixtureDuckDB(t)
	path := fixture.files["lineitem"]
	n, err := d.CountParquetRows(context.Background(), []string{path, path})
	if err != nil || n != 2*int64(len(fixture.lines)) {
		t.Fatalf("CountParquetRows = %d, %v; want %d", n, err, 2*len(fixture.lines))
	}
	if _, err := d.CountParquetRows(context.Background(), nil); err == nil {
		t.Error("counted rows of no files")
	}
}
