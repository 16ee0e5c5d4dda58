package server

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// alterScript changes a table whose rows sit partly in a Parquet segment
// and partly in the unflushed tail (with updates and deletes of both):
// columns added (a constant and a volatile default), renamed, dropped and
// retyped, the table renamed, constraints added.
var alterScript = []string{
	"CREATE TABLE t (id int PRIMARY KEY, a text, b int)",
	"INSERT INTO t SELECT g, 'a' || g, g * 10 FROM generate_series(1, 50) g",
	"CHECKPOINT",
	"INSERT INTO t SELECT g, 'a' || g, g * 10 FROM generate_series(51, 60) g",
	"UPDATE t SET a = 'u' || id WHERE id % 7 = 0",
	"DELETE FROM t WHERE id % 11 = 0",
	"ALTER TABLE t ADD COLUMN c int DEFAULT 5, ADD COLUMN s serial",
	"ALTER TABLE t RENAME COLUMN a TO aa",
	"ALTER TABLE t DROP COLUMN b",
	"ALTER TABLE t ALTER COLUMN id TYPE bigint",
	"ALTER TABLE t RENAME TO t2",
	"ALTER TABLE t2 ADD CHECK (c > 0), ALTER COLUMN aa SET NOT NULL",
}

// alterFingerprint summarizes t2; the expected values were recorded by
// running alterScript on PostgreSQL 15.
const alterFingerprint = "SELECT count(*), sum(id), sum(c), sum(s), md5(string_agg(id || ':' || aa || ':' || c, ',' ORDER BY id)) FROM t2"

const (
	alterWant      = "[[55 1665 275 1540 86da8a09a8fb525eed7e21380b778d26]]"
	alterWantAfter = "[[56 1765 280 1596 f3f73999710d26efd4f24ae5d7cbaa33]]"
	alterInsert    = "INSERT INTO t2 (id, aa) VALUES (100, 'new')"
)

func wantFingerprint(t *testing.T, conn *pgx.Conn, when, want string) {
	t.Helper()
	if got := fmt.Sprint(rowsText(t, conn, alterFingerprint)); got != want {
		t.Fatalf("%s: got %s, want %s", when, got, want)
	}
}

func TestAlterTableAcrossCheckpointAndRestart(t *testing.T) {
	dir := t.TempDir()
	srv, connect := startServerAt(t, dir)
	conn := connect(t)
	mustExec(t, conn, alterScript...)
	wantFingerprint(t, conn, "after ALTER", alterWant)
	mustExec(t, conn, "CHECKPOINT")
	wantFingerprint(t, conn, "after CHECKPOINT", alterWant)
	conn.Close(ctx(t))
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	srv, connect = startServerAt(t, dir)
	conn = connect(t)
	wantFingerprint(t, conn, "after restart", alterWant)
	// The serial column's sequence and the constraints survive too.
	mustExec(t, conn, alterInsert)
	wantFingerprint(t, conn, "after insert", alterWantAfter)
	if _, err := conn.Exec(ctx(t), "INSERT INTO t2 (id, aa, c) VALUES (101, 'x', 0)"); sqlstate(err) != "23514" {
		t.Fatalf("check after restart: %v", err)
	}
	if _, err := conn.Exec(ctx(t), "INSERT INTO t2 (id, aa) VALUES (100, 'dup')"); sqlstate(err) != "23505" {
		t.Fatalf("primary key after restart: %v", err)
	}
	conn.Close(ctx(t))
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	_, connect = startServerAt(t, dir)
	wantFingerprint(t, connect(t), "after second restart", alterWantAfter)
}

// TestAlterTableReplayedAfterKill runs the script on a server process that
// is killed with SIGKILL before the altered table is flushed: on restart
// the rewritten table comes back from the event log alone.
func TestAlterTableReplayedAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child server process")
	}
	dir := t.TempDir()
	child, addr := startChildServer(t, dir)
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(c, "postgres://tester@"+addr+"/pqdb")
	if err != nil {
		child.Process.Kill()
		t.Fatal(err)
	}
	for _, sql := range alterScript {
		if _, err := conn.Exec(c, sql); err != nil {
			child.Process.Kill()
			t.Fatalf("%s: %v", sql, err)
		}
	}
	child.Process.Signal(syscall.SIGKILL)
	child.Wait()

	_, connect := startServerAt(t, dir)
	conn2 := connect(t)
	wantFingerprint(t, conn2, "after kill -9", alterWant)
	mustExec(t, conn2, alterInsert)
	wantFingerprint(t, conn2, "after insert", alterWantAfter)
}

// TestForeignKeysAndCommentsAcrossRestart checks that foreign keys and
// comments are stored with the catalog, and COPY into a referencing
// table is checked.
func TestForeignKeysAndCommentsAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	srv, connect := startServerAt(t, dir)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE fp (id int PRIMARY KEY)",
		"CREATE TABLE fc (id int, pid int REFERENCES fp ON DELETE CASCADE)",
		"INSERT INTO fp VALUES (1), (2)",
		"INSERT INTO fc VALUES (1, 1), (2, 2)",
		"CHECKPOINT",
		"CREATE VIEW fv AS SELECT id FROM fc",
		"COMMENT ON TABLE fc IS 'children'",
		"COMMENT ON COLUMN fc.pid IS 'the parent'",
		"COMMENT ON VIEW fv IS 'a view'",
	)
	conn.Close(ctx(t))
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	_, connect = startServerAt(t, dir)
	conn = connect(t)
	got := fmt.Sprint(rowsText(t, conn, "SELECT obj_description('fc'::regclass, 'pg_class'), col_description('fc'::regclass, 2), obj_description('fv'::regclass, 'pg_class')"))
	if got != "[[children the parent a view]]" {
		t.Fatalf("comments after restart: %s", got)
	}
	if _, err := conn.Exec(ctx(t), "INSERT INTO fc VALUES (3, 3)"); sqlstate(err) != "23503" {
		t.Fatalf("foreign key after restart: %v", err)
	}
	_, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader("4\t1\n5\t9\n"), "COPY fc FROM STDIN")
	if sqlstate(err) != "23503" || !strings.Contains(err.Error(), `violates foreign key constraint "fc_pid_fkey"`) {
		t.Fatalf("COPY with a missing key: %v", err)
	}
	mustExec(t, conn, "DELETE FROM fp WHERE id = 1")
	if got := fmt.Sprint(rowsText(t, conn, "SELECT id, pid FROM fc ORDER BY id")); got != "[[2 2]]" {
		t.Fatalf("after ON DELETE CASCADE: %s", got)
	}
}

// TestAlterTableUnsupported lists what pqdb refuses with 0A000 rather
// than ignoring.
func TestAlterTableUnsupported(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE up (id int PRIMARY KEY, k bigint UNIQUE)",
		"CREATE TABLE uc (a int, b int)",
		"CREATE VIEW uv AS SELECT uc.a, up.id FROM uc, up",
	)
	for _, sql := range []string{
		"ALTER TABLE uc ENABLE ROW LEVEL SECURITY",
		"ALTER TABLE uc OWNER TO someone",
		"ALTER TABLE uc ALTER COLUMN a SET STATISTICS 100",
		"ALTER TABLE uc ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES up DEFERRABLE",
		"ALTER TABLE uc ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES up MATCH FULL",
		"ALTER TABLE uc ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES up (k)",
		"CREATE TABLE ud (a int REFERENCES up DEFERRABLE INITIALLY DEFERRED)",
		"ALTER TABLE uc RENAME COLUMN a TO aa",
		"COMMENT ON FUNCTION now() IS 'x'",
	} {
		if _, err := conn.Exec(ctx(t), sql); sqlstate(err) != "0A000" {
			t.Errorf("%s: got %v, want SQLSTATE 0A000", sql, err)
		}
	}
}
