package tpch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServerLoadsAndAnswers runs the whole server path — create, binary COPY
// in several statements, CHECKPOINT, count, Q1 and Q6 — against the server at
// $PQDB_BENCH_DSN (PostgreSQL or pqdb). It replaces that server's lineitem.
func TestServerLoadsAndAnswers(t *testing.T) {
	dsn := os.Getenv("PQDB_BENCH_DSN")
	if dsn == "" {
		t.Skip("PQDB_BENCH_DSN is not set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := ConnectServer(ctx, "server", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(ctx)
	if err := srv.DropLineItem(ctx); err != nil {
		t.Fatal(err)
	}
	if err := srv.CreateLineItem(ctx); err != nil {
		t.Fatal(err)
	}
	// A batch smaller than a Parquet read chunk and not dividing the row
	// count: rows must carry over from one COPY statement to the next.
	var totals []int64
	n, err := srv.LoadLineItem(ctx, fixture.path, 1500, func(total int64) { totals = append(totals, total) })
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(fixture.rows)) || len(totals) < 2 {
		t.Fatalf("loaded %d rows in %d statements, want %d rows in several", n, len(totals), len(fixture.rows))
	}
	if err := srv.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if c, err := srv.Count(ctx); err != nil || c != n {
		t.Fatalf("count = %d, %v; want %d", c, err, n)
	}
	for _, tc := range []struct {
		q    Query
		want Result
	}{
		{Q1, referenceQ1(fixture.rows)},
		{Q6, referenceQ6(fixture.rows)},
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
	n, err := d.CountParquetRows(context.Background(), []string{fixture.path, fixture.path})
	if err != nil || n != 2*int64(len(fixture.rows)) {
		t.Fatalf("CountParquetRows = %d, %v; want %d", n, err, 2*len(fixture.rows))
	}
	if _, err := d.CountParquetRows(context.Background(), nil); err == nil {
		t.Error("counted rows of no files")
	}
}
