package server

import (
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/storage"
)

// TestCopySpilledIntoKeylessTable COPYs spilled rows into a table
// without key constraints, whose bulk commit skips the key check (it
// reads the spilled rows back only to write them): rows repeating ids
// are all kept, before and after a restart; once a unique index exists
// on the same table, a COPY repeating an id fails with 23505 and leaves
// nothing.
func TestCopySpilledIntoKeylessTable(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{DataDir: dir, Storage: storage.Options{SpillBytes: 256 << 10, TempDir: t.TempDir()}}
	srv, connect := startServerWith(t, cfg)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE t (id bigint, a int, b int, c text)")

	const n = 150_000
	for range 2 { // the same ids twice
		if got, err := copyRows(t, conn, 0, n); err != nil || got != n {
			t.Fatalf("COPY: %d rows, %v", got, err)
		}
	}
	check := func(conn *pgx.Conn) {
		t.Helper()
		got := rowsText(t, conn, "SELECT count(*), count(DISTINCT id), sum(id), sum(a) FROM t")
		want := fmt.Sprintf("[[%d %d %d %d]]", 2*n, n, int64(n-1)*n, 2*int64(n/100)*(99*100/2))
		if fmt.Sprint(got) != want {
			t.Fatalf("count, distinct, sum(id), sum(a): %v, want %s", got, want)
		}
		hist := rowsText(t, conn, "SELECT operation, count(*) FROM pqdb_history('t') GROUP BY operation ORDER BY 1")
		if fmt.Sprint(hist) != fmt.Sprintf("[[INSERT %d]]", 2*n) {
			t.Fatalf("history: %v", hist)
		}
	}
	check(conn)

	mustExec(t, conn, "CREATE TABLE u (id bigint, a int, b int, c text)", "CREATE UNIQUE INDEX ON u (id)")
	if _, err := conn.Exec(ctx(t), "ALTER TABLE t RENAME TO t_keyless"); err != nil {
		t.Fatal(err)
	}
	mustExec(t, conn, "ALTER TABLE u RENAME TO t")
	if got, err := copyRows(t, conn, 0, n); err != nil || got != n {
		t.Fatalf("COPY into the indexed table: %d rows, %v", got, err)
	}
	if _, err := copyRows(t, conn, n-1, 2*n); sqlstate(err) != "23505" {
		t.Fatalf("COPY repeating an id under a unique index: %v, want 23505", err)
	}
	if got := rowsText(t, conn, "SELECT count(*) FROM t"); got[0][0] != fmt.Sprint(n) {
		t.Fatalf("%s rows after the failed COPY, want %d", got[0][0], n)
	}
	mustExec(t, conn, "ALTER TABLE t RENAME TO u", "ALTER TABLE t_keyless RENAME TO t")
	conn.Close(ctx(t))
	srv.Close()

	_, connect = startServerWith(t, cfg)
	check(connect(t))
}
