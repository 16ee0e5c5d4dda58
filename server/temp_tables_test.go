package server

import (
	"fmt"
	"testing"
	"time"
)

// TestTempTablesPerSession checks what one session cannot show: a
// temporary table is seen only by the session that made it (another may
// make its own of the same name), it is gone once that session ends, and
// a temporary schema left behind by a crash is dropped when the server
// starts again.
func TestTempTablesPerSession(t *testing.T) {
	dir := t.TempDir()
	srv, connect := startServerAt(t, dir)
	a, b := connect(t), connect(t)
	mustExec(t, a, `CREATE TEMP TABLE tmp (id int PRIMARY KEY)`, `INSERT INTO tmp VALUES (1), (2)`)
	if _, err := b.Exec(ctx(t), `SELECT * FROM tmp`); sqlstate(err) != "42P01" {
		t.Fatalf("another session reads the temporary table: got %v, want 42P01", err)
	}
	mustExec(t, b, `CREATE TEMP TABLE tmp (id int)`, `INSERT INTO tmp VALUES (7)`)
	for _, c := range []struct {
		name string
		want int64
	}{{"a", 2}, {"b", 1}} {
		conn := a
		if c.name == "b" {
			conn = b
		}
		var n int64
		if err := conn.QueryRow(ctx(t), `SELECT count(*) FROM tmp`).Scan(&n); err != nil || n != c.want {
			t.Errorf("session %s counts %d rows (%v), want %d", c.name, n, err, c.want)
		}
	}

	var pid uint32
	if err := a.QueryRow(ctx(t), `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	a.Close(ctx(t))
	gone := false
	for range 100 {
		if _, err := b.Exec(ctx(t), fmt.Sprintf(`SELECT * FROM pg_temp_%d.tmp`, pid)); err != nil {
			gone = true
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !gone {
		t.Fatalf("the temporary table of a closed session is still there")
	}

	// A crash leaves the schema; a restart drops it.
	mustExec(t, b, `CREATE SCHEMA pg_temp_4242`, `CREATE TABLE pg_temp_4242.left_behind (id int)`)
	b.Close(ctx(t))
	srv.Close()
	_, connect = startServerAt(t, dir)
	c := connect(t)
	if _, err := c.Exec(ctx(t), `SELECT * FROM pg_temp_4242.left_behind`); err == nil {
		t.Fatalf("a temporary schema left behind survived a restart")
	}
}
