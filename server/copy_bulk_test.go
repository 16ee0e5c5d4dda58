package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestCopyCommitsInBulk COPYs, without spilling, 100k rows into a table:
// the commit writes them to a segment at once and logs none in the
// schema's SQLite event log, while a COPY of a thousand rows is logged
// as usual; COPYs in a transaction that fails or rolls back leave
// nothing; a COPY followed by updates and deletes of its own rows
// commits their net effect; all of it holds after a restart.
func TestCopyCommitsInBulk(t *testing.T) {
	dir := t.TempDir()
	srv, connect := startServerAt(t, dir)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE t (id bigint PRIMARY KEY, a int, b int, c text)")
	var tableDir string
	segments := func() int {
		t.Helper()
		matches, _ := filepath.Glob(filepath.Join(dir, "public", "*", "data", "*.parquet"))
		if len(matches) > 0 {
			tableDir = filepath.Dir(filepath.Dir(matches[0]))
		}
		return len(matches)
	}
	// logBytes is the size of the schema's SQLite log and database, which
	// the server holds open exclusively: a commit that logs its rows
	// grows them by the rows' size, a bulk commit by its manifest's.
	logBytes := func() int64 {
		t.Helper()
		var n int64
		for _, f := range []string{"writer.sqlite", "writer.sqlite-wal"} {
			if fi, err := os.Stat(filepath.Join(dir, "public", f)); err == nil {
				n += fi.Size()
			}
		}
		return n
	}
	before := logBytes()

	if got, err := copyRows(t, conn, 0, 1000); err != nil || got != 1000 {
		t.Fatalf("COPY: %d rows, %v", got, err)
	}
	// Logged rows take some 65 bytes each; a manifest, a few pages.
	logged := logBytes()
	if n, grown := segments(), logged-before; n != 0 || grown < 40*1000 {
		t.Fatalf("a COPY of 1000 rows: %d segments, the log grew by %d bytes; want it logged, not flushed", n, grown)
	}
	if got, err := copyRows(t, conn, 1000, 101_000); err != nil || got != 100_000 {
		t.Fatalf("COPY: %d rows, %v", got, err)
	}
	if n, grown := segments(), logBytes()-logged; n == 0 || grown > 4*100_000 {
		t.Fatalf("a COPY of 100k rows: %d segments, the log grew by %d bytes; want it flushed at commit, not logged", n, grown)
	}
	// A failing COPY, a rolled-back one.
	if _, err := copyRows(t, conn, 100_000, 200_000); sqlstate(err) != "23505" {
		t.Fatalf("COPY of a duplicate key: %v, want 23505", err)
	}
	files := len(mustGlob(t, filepath.Join(tableDir, "*", "*")))
	mustExec(t, conn, "BEGIN")
	if got, err := copyRows(t, conn, 101_000, 201_000); err != nil || got != 100_000 {
		t.Fatalf("COPY in a transaction: %d rows, %v", got, err)
	}
	if got := rowsText(t, conn, "SELECT count(*) FROM t"); got[0][0] != "201000" {
		t.Fatalf("the transaction sees %s rows", got[0][0])
	}
	mustExec(t, conn, "ROLLBACK")
	if got := len(mustGlob(t, filepath.Join(tableDir, "*", "*"))); got != files {
		t.Fatalf("the rolled-back COPY left files: %d, %d before", got, files)
	}
	// Own rows updated and deleted before the commit.
	mustExec(t, conn, "BEGIN")
	if got, err := copyRows(t, conn, 101_000, 181_000); err != nil || got != 80_000 {
		t.Fatalf("COPY in a transaction: %d rows, %v", got, err)
	}
	mustExec(t, conn,
		"UPDATE t SET a = -1 WHERE id >= 150000 AND id < 150010",
		"DELETE FROM t WHERE id >= 160000 AND id < 160010",
		"UPDATE t SET a = -2 WHERE id < 10",
		"COMMIT")

	const total = 181_000 - 10
	wantSum := int64(180_999)*181_000/2 - (160_000+160_009)*10/2
	check := func(conn *pgx.Conn) {
		t.Helper()
		got := rowsText(t, conn, "SELECT count(*), sum(id), count(*) FILTER (WHERE a = -1), count(*) FILTER (WHERE a = -2), count(DISTINCT id) FROM t")
		if want := fmt.Sprintf("[[%d %d 10 10 %d]]", total, wantSum, total); fmt.Sprint(got) != want {
			t.Fatalf("count, sum(id), updated, distinct: %v, want %s", got, want)
		}
		hist := rowsText(t, conn, "SELECT operation, count(*) FROM pqdb_history('t') GROUP BY operation ORDER BY 1")
		if want := fmt.Sprintf("[[INSERT %d] [UPDATE 10]]", total); fmt.Sprint(hist) != want {
			t.Fatalf("history: %v, want %s", hist, want)
		}
		if _, err := copyRows(t, conn, 170_000, 170_001); sqlstate(err) != "23505" {
			t.Fatalf("COPY of a bulk-committed key: %v, want 23505", err)
		}
	}
	check(conn)
	conn.Close(ctx(t))
	srv.Close()

	_, connect = startServerAt(t, dir)
	check(connect(t))
}

func mustGlob(t *testing.T, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range m {
		if fi, err := os.Stat(f); err == nil && !fi.IsDir() {
			files = append(files, f)
		}
	}
	return files
}

// TestKill9DuringBulkCopies kills a server process with SIGKILL while a
// client COPYs batches of 70k rows, each a bulk commit, one after the
// other, at points from the middle to the very end of a batch (where its
// commit writes its segments, then its SQLite transaction, then
// publishes), and checks after a restart that every acknowledged batch
// is there once and the one cut off is there whole or not at all, with
// its history.
func TestKill9DuringBulkCopies(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child server process")
	}
	for _, at := range []float64{0.6, 0.9, 1.0, 1.1} {
		t.Run(fmt.Sprint(at), func(t *testing.T) { kill9DuringBulkCopies(t, at) })
	}
}

// kill9DuringBulkCopies runs TestKill9DuringBulkCopies with the kill
// landing after the fraction at of a batch's average duration.
func kill9DuringBulkCopies(t *testing.T, at float64) {
	const batch = 70_000
	dir := t.TempDir()
	child, addr := startChildServer(t, dir, childServerEnv+"_FLUSH_ROWS=1048576")
	c, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	conn, err := pgx.Connect(c, "postgres://tester@"+addr+"/pqdb")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(c, "CREATE TABLE t (id bigint PRIMARY KEY, a int, b int, c text)"); err != nil {
		t.Fatal(err)
	}
	acked := 0
	start := time.Now()
	killed := make(chan struct{})
	for {
		if acked == 3 { // a few landed; the kill lands in the next one
			delay := time.Duration(float64(time.Since(start)) / 3 * at)
			go func() {
				time.Sleep(delay)
				child.Process.Signal(syscall.SIGKILL)
				close(killed)
			}()
		}
		if _, err := copyRows(t, conn, acked*batch, (acked+1)*batch); err != nil {
			break
		}
		acked++
	}
	<-killed
	child.Wait()

	_, connect := startServerAt(t, dir)
	conn2 := connect(t)
	got := rowsText(t, conn2, "SELECT count(*), count(DISTINCT id), coalesce(min(id), 0), coalesce(max(id), -1) FROM t")
	n := acked * batch
	if got[0][0] != fmt.Sprint(n) && got[0][0] != fmt.Sprint(n+batch) {
		t.Fatalf("%s rows after %d acknowledged batches of %d", got[0][0], acked, batch)
	}
	count := got[0][0]
	if got[0][1] != count || got[0][2] != "0" || got[0][3] != fmt.Sprint(mustAtoi(t, count)-1) {
		t.Fatalf("count, distinct, min, max: %v", got)
	}
	hist := rowsText(t, conn2, "SELECT count(*) FROM pqdb_history('t') WHERE operation = 'INSERT'")
	if hist[0][0] != count {
		t.Fatalf("%s history rows, %s rows", hist[0][0], count)
	}
	t.Logf("%d batches acknowledged, %s rows after the restart", acked, count)
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
