package server

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/storage"
)

// openTxnSpillFiles counts the spill files of transactions open in this
// process (the server runs in-process); they are unlinked at creation.
func openTxnSpillFiles(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	n := 0
	for _, e := range entries {
		if target, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.Contains(target, "pqdb-txn-") {
			n++
		}
	}
	return n
}

// copyRows streams rows [from, to) of (id, a, b, c) into t with COPY FROM
// STDIN, generated as they are sent.
func copyRows(t *testing.T, conn *pgx.Conn, from, to int) (int64, error) {
	t.Helper()
	pr, pw := io.Pipe()
	go func() {
		var sb strings.Builder
		for i := from; i < to; i++ {
			fmt.Fprintf(&sb, "%d\t%d\t%d\tname-%d\n", i, i%100, i*3, i)
			if sb.Len() > 64<<10 {
				pw.Write([]byte(sb.String()))
				sb.Reset()
			}
		}
		pw.Write([]byte(sb.String()))
		pw.Close()
	}()
	tag, err := conn.PgConn().CopyFrom(ctx(t), pr, "COPY t FROM STDIN")
	pr.Close()
	return tag.RowsAffected(), err
}

// TestCopySpillsPendingRows COPYs a few hundred thousand rows into a
// table with a primary key while transactions keep only 256 KiB of
// pending rows in memory, and checks the rows, their keys, savepoints and
// history, before and after a restart.
func TestCopySpillsPendingRows(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{DataDir: dir, Storage: storage.Options{SpillBytes: 256 << 10, TempDir: t.TempDir()}}
	srv, connect := startServerWith(t, cfg)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE t (id bigint PRIMARY KEY, a int, b int, c text)")

	const n = 300_000
	if got, err := copyRows(t, conn, 0, n); err != nil || got != n {
		t.Fatalf("COPY: %d rows, %v", got, err)
	}
	// A COPY repeating one key of the spilled rows fails whole.
	if _, err := copyRows(t, conn, n-10, n+1000); sqlstate(err) != "23505" {
		t.Fatalf("COPY of a duplicate key: %v, want 23505", err)
	}

	mustExec(t, conn, "BEGIN")
	if got, err := copyRows(t, conn, n, n+100_000); err != nil || got != 100_000 {
		t.Fatalf("COPY in transaction: %d rows, %v", got, err)
	}
	if open := openTxnSpillFiles(t); open != 1 {
		t.Fatalf("%d spill files open in the transaction, want 1", open)
	}
	// Own spilled rows: read, updated, deleted, key-checked.
	mustExec(t, conn,
		"UPDATE t SET a = -1 WHERE id >= 300000 AND id < 300010",
		"DELETE FROM t WHERE id >= 300010 AND id < 300020",
		"SAVEPOINT s")
	if got, err := copyRows(t, conn, n+100_000, n+150_000); err != nil || got != 50_000 {
		t.Fatalf("COPY after savepoint: %d rows, %v", got, err)
	}
	mustExec(t, conn, "ROLLBACK TO s")
	if _, err := copyRows(t, conn, n+5, n+6); sqlstate(err) != "23505" {
		t.Fatalf("COPY of a key of the transaction's spilled rows: %v, want 23505", err)
	}
	mustExec(t, conn, "ROLLBACK TO s", "COMMIT")
	if open := openTxnSpillFiles(t); open != 0 {
		t.Fatalf("%d spill files open after commit, want 0", open)
	}

	const total = n + 100_000 - 10
	// sum(id) over ids 0..399999 minus 300010..300019.
	wantSum := int64(399_999)*400_000/2 - (300_010+300_019)*10/2
	check := func(conn *pgx.Conn) {
		t.Helper()
		got := rowsText(t, conn, "SELECT count(*), sum(id), sum(a), count(*) FILTER (WHERE a = -1), count(DISTINCT id) FROM t")
		want := fmt.Sprintf("%d %d", total, wantSum)
		if g := got[0][0] + " " + got[0][1]; g != want {
			t.Fatalf("count, sum(id) = %s, want %s", g, want)
		}
		if got[0][3] != "10" || got[0][4] != fmt.Sprint(total) {
			t.Fatalf("updated rows %s, distinct ids %s", got[0][3], got[0][4])
		}
		hist := rowsText(t, conn, "SELECT operation, count(*) FROM pqdb_history('t') GROUP BY operation ORDER BY 1")
		// The transaction's updates and deletes of its own rows fold away:
		// history holds each committed row's insertion only.
		if fmt.Sprint(hist) != fmt.Sprintf("[[INSERT %d]]", total) {
			t.Fatalf("history: %v", hist)
		}
	}
	check(conn)
	conn.Close(ctx(t))
	srv.Close()

	_, connect = startServerWith(t, cfg)
	check(connect(t))
}

// TestSpilledRowsUnderKeysAndForeignKeys keeps nothing pending in memory
// and runs, in one transaction, the statements that check keys of the
// transaction's own rows: ON CONFLICT, updates of a table a foreign key
// references (which probe its keys), inserts referencing its rows, a
// unique index created over them, and a savepoint rolled back.
func TestSpilledRowsUnderKeysAndForeignKeys(t *testing.T) {
	_, connect := startServerWith(t, Config{DataDir: t.TempDir(), Storage: storage.Options{SpillBytes: 1, TempDir: t.TempDir()}})
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE fp (id int PRIMARY KEY, k int, n int)",
		"CREATE TABLE fc (id int, pid int REFERENCES fp)",
		"BEGIN",
		"INSERT INTO fp SELECT g, g * 10, 0 FROM generate_series(1, 2000) g",
		"INSERT INTO fp SELECT g, g * 10, 0 FROM generate_series(2001, 4000) g",
		"INSERT INTO fc SELECT g, g FROM generate_series(1, 4000, 7) g",
		"UPDATE fp SET n = n + 1",
		"INSERT INTO fp VALUES (5, 0, 0), (4001, 40010, 0) ON CONFLICT (id) DO UPDATE SET n = fp.n + 10",
		"SAVEPOINT s",
		"DELETE FROM fc",
		"DELETE FROM fp WHERE id > 3000",
		"ROLLBACK TO s",
		"CREATE UNIQUE INDEX fp_k ON fp (k)")
	if _, err := conn.Exec(ctx(t), "DELETE FROM fp WHERE id = 8"); sqlstate(err) != "23503" {
		t.Fatalf("deleting a referenced row: %v, want 23503", err)
	}
	mustExec(t, conn, "ROLLBACK")
	mustExec(t, conn, "BEGIN",
		"INSERT INTO fp SELECT g, g * 10, 0 FROM generate_series(1, 4000) g",
		"UPDATE fp SET n = n + 1",
		"INSERT INTO fp VALUES (5, 0, 0), (4001, 40010, 0) ON CONFLICT (id) DO UPDATE SET n = fp.n + 10",
		"CREATE UNIQUE INDEX fp_k ON fp (k)",
		"INSERT INTO fc SELECT g, g FROM generate_series(1, 4001, 7) g")
	if _, err := conn.Exec(ctx(t), "INSERT INTO fp VALUES (9999, 40010, 0)"); sqlstate(err) != "23505" {
		t.Fatalf("duplicate of a spilled row's unique key: %v, want 23505", err)
	}
	mustExec(t, conn, "ROLLBACK")
	mustExec(t, conn, "BEGIN",
		"INSERT INTO fp SELECT g, g * 10, 0 FROM generate_series(1, 4000) g",
		"UPDATE fp SET n = n + 1",
		"INSERT INTO fp VALUES (5, 0, 0), (4001, 40010, 0) ON CONFLICT (id) DO UPDATE SET n = fp.n + 10",
		"INSERT INTO fc SELECT g, g FROM generate_series(1, 4001, 7) g",
		"COMMIT")
	got := rowsText(t, conn, "SELECT count(*), sum(n), (SELECT count(*) FROM fc) FROM fp")
	if fmt.Sprint(got) != "[[4001 4010 572]]" {
		t.Fatalf("count, sum(n), children: %v", got)
	}
	if _, err := conn.Exec(ctx(t), "INSERT INTO fp VALUES (77, 1, 1)"); sqlstate(err) != "23505" {
		t.Fatalf("duplicate of a bulk-committed key: %v, want 23505", err)
	}
	// A foreign key added in the transaction checks existing rows against
	// spilled ones, which the key index of its columns reads back.
	mustExec(t, conn, "CREATE TABLE sp (id int PRIMARY KEY)", "CREATE TABLE sc (pid int)",
		"BEGIN",
		"INSERT INTO sp SELECT g FROM generate_series(1, 3000) g",
		"INSERT INTO sc SELECT g FROM generate_series(1, 3000, 3) g",
		"ALTER TABLE sc ADD FOREIGN KEY (pid) REFERENCES sp",
		"COMMIT")
	mustExec(t, conn, "CREATE TABLE sc2 (pid int)", "BEGIN",
		"INSERT INTO sp SELECT g FROM generate_series(3001, 6000) g",
		"INSERT INTO sc2 SELECT g FROM generate_series(1, 6000, 7) g",
		"INSERT INTO sc2 VALUES (9000)")
	if _, err := conn.Exec(ctx(t), "ALTER TABLE sc2 ADD FOREIGN KEY (pid) REFERENCES sp"); sqlstate(err) != "23503" {
		t.Fatalf("a foreign key over a missing key: %v, want 23503", err)
	}
	mustExec(t, conn, "ROLLBACK")
}
