package server

import (
	"fmt"
	"io"
	"testing"
	"time"
)

// TestCopyProgress: pg_stat_progress_copy shows a COPY FROM STDIN while
// it runs (its table, COPY FROM, PIPE, the bytes read so far and the rows
// inserted), and nothing once it ended.
func TestCopyProgress(t *testing.T) {
	_, connect := startServer(t)
	loader, watcher := connect(t), connect(t)
	mustExec(t, loader, "CREATE TABLE cp (id int, note text)")
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := loader.PgConn().CopyFrom(ctx(t), pr, "COPY cp FROM STDIN")
		done <- err
	}()
	var sent int64
	for i := range 300_000 {
		n, err := fmt.Fprintf(pw, "%d\tnote %d\n", i, i)
		if err != nil {
			t.Fatal(err)
		}
		sent += int64(n)
	}
	var relid uint32
	var command, kind string
	var bytes, total, tuples int64
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := watcher.QueryRow(ctx(t), `SELECT relid, command, type, bytes_processed, bytes_total, tuples_processed
			FROM pg_stat_progress_copy`).Scan(&relid, &command, &kind, &bytes, &total, &tuples)
		if err == nil && tuples > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no COPY with rows inserted in pg_stat_progress_copy: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var want uint32
	if err := watcher.QueryRow(ctx(t), `SELECT 'cp'::regclass::oid`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if relid != want || command != "COPY FROM" || kind != "PIPE" || total != 0 || bytes <= 0 || bytes > sent || tuples > 300_000 {
		t.Fatalf("progress: relid %d (want %d) %s %s bytes %d of %d sent, total %d, tuples %d", relid, want, command, kind, bytes, sent, total, tuples)
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var running int
	if err := watcher.QueryRow(ctx(t), `SELECT count(*) FROM pg_stat_progress_copy`).Scan(&running); err != nil || running != 0 {
		t.Fatalf("after the COPY: %d rows (%v)", running, err)
	}
}
