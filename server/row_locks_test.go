package server

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestConcurrentIncrementsAllCount: clients that update one row at once,
// in autocommit statements, in ON CONFLICT DO UPDATE upserts and in
// transaction blocks, all succeed and no increment is lost, as under
// PostgreSQL's READ COMMITTED: a statement waits for the row's lock and
// then works on the row's newest version.
func TestConcurrentIncrementsAllCount(t *testing.T) {
	_, connect := startServer(t)
	setup := connect(t)
	mustExec(t, setup, `CREATE TABLE ctr (id int PRIMARY KEY, n int NOT NULL)`, `INSERT INTO ctr VALUES (1, 0), (2, 0)`)
	const clients, each = 4, 50
	statements := []func(conn *pgx.Conn) error{
		func(conn *pgx.Conn) error {
			_, err := conn.Exec(ctx(t), `UPDATE ctr SET n = n + 1 WHERE id = 1`)
			return err
		},
		func(conn *pgx.Conn) error {
			_, err := conn.Exec(ctx(t), `INSERT INTO ctr VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = ctr.n + 1`)
			return err
		},
		func(conn *pgx.Conn) error {
			// both rows, in one order in every block: no deadlock
			tx, err := conn.Begin(ctx(t))
			if err != nil {
				return err
			}
			defer tx.Rollback(ctx(t))
			for _, id := range []int{2, 1} {
				if _, err := tx.Exec(ctx(t), `UPDATE ctr SET n = n + 1 WHERE id = $1`, id); err != nil {
					return err
				}
			}
			return tx.Commit(ctx(t))
		},
	}
	var wg sync.WaitGroup
	errs := make(chan error, clients*len(statements))
	for c := 0; c < clients; c++ {
		conn := connect(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				for _, run := range statements {
					if err := run(conn); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("client failed: %v (SQLSTATE %s)", err, sqlstate(err))
	}
	got := rowsText(t, setup, `SELECT id, n FROM ctr ORDER BY id`)
	want := [][]string{{"1", strconv.Itoa(clients * each * 3)}, {"2", strconv.Itoa(clients * each)}}
	if !equalRows(got, want) {
		t.Errorf("counters: got %v, want %v", got, want)
	}
}

// equalRows compares two results of rowsText.
func equalRows(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

// execAsync runs sql on conn in a goroutine; the command tag or error
// arrives on the channel.
func execAsync(t *testing.T, conn *pgx.Conn, sql string) <-chan string {
	done := make(chan string, 1)
	go func() {
		tag, err := conn.Exec(ctx(t), sql)
		if err != nil {
			done <- "ERROR " + sqlstate(err)
			return
		}
		done <- tag.String()
	}()
	return done
}

// blocked fails the test if a statement that should wait for a row lock
// has already finished.
func blocked(t *testing.T, what string, done <-chan string) {
	t.Helper()
	select {
	case got := <-done:
		t.Fatalf("%s did not wait for the row lock: %s", what, got)
	case <-time.After(150 * time.Millisecond):
	}
}

// TestRowLockWaits follows PostgreSQL 15 on what a statement does when
// the row it wants is locked by another transaction: it waits; when the
// holder commits it works on the new row version, re-checking its WHERE;
// when the holder rolls back it goes on; a cycle of waits fails one
// statement with 40P01; lock_timeout ends a wait with 55P03; and a
// REPEATABLE READ transaction fails with 40001 where READ COMMITTED goes
// on.
func TestRowLockWaits(t *testing.T) {
	_, connect := startServer(t)
	a, b := connect(t), connect(t)
	mustExec(t, a, `CREATE TABLE rl (id int PRIMARY KEY, v int, w int)`, `INSERT INTO rl VALUES (1, 1, 0), (2, 2, 0), (3, 3, 0)`)
	value := func(id int) string {
		return rowsText(t, a, `SELECT v || '/' || w FROM rl WHERE id = `+strconv.Itoa(id))[0][0]
	}

	// The holder commits a change that makes the row leave the waiter's
	// WHERE: the waiter updates nothing.
	mustExec(t, a, `BEGIN`, `UPDATE rl SET v = 10 WHERE id = 1`)
	waiting := execAsync(t, b, `UPDATE rl SET w = w + 1 WHERE v = 1`)
	blocked(t, "UPDATE of a row another transaction updated", waiting)
	mustExec(t, a, `COMMIT`)
	if got := <-waiting; got != "UPDATE 0" {
		t.Errorf("waiter after the holder moved the row out of its WHERE: %s, want UPDATE 0", got)
	}
	// ... and a change that keeps it in: the waiter builds on it.
	mustExec(t, a, `BEGIN`, `UPDATE rl SET w = w + 5 WHERE id = 1`)
	waiting = execAsync(t, b, `UPDATE rl SET w = w * 2 WHERE v = 10`)
	blocked(t, "UPDATE of a row another transaction updated", waiting)
	mustExec(t, a, `COMMIT`)
	if got := <-waiting; got != "UPDATE 1" {
		t.Errorf("waiter after the holder's commit: %s, want UPDATE 1", got)
	}
	if got := value(1); got != "10/10" {
		t.Errorf("row 1: %s, want 10/10", got)
	}

	// The holder rolls back: the waiter goes on with the row it read.
	mustExec(t, a, `BEGIN`, `DELETE FROM rl WHERE id = 2`)
	waiting = execAsync(t, b, `UPDATE rl SET w = 7 WHERE id = 2`)
	blocked(t, "UPDATE of a row another transaction deleted", waiting)
	mustExec(t, a, `ROLLBACK`)
	if got := <-waiting; got != "UPDATE 1" {
		t.Errorf("waiter after the holder rolled back: %s, want UPDATE 1", got)
	}
	// The holder deletes the row and commits: the waiter finds nothing.
	mustExec(t, a, `BEGIN`, `DELETE FROM rl WHERE id = 2`)
	waiting = execAsync(t, b, `DELETE FROM rl WHERE id = 2`)
	blocked(t, "DELETE of a row another transaction deleted", waiting)
	mustExec(t, a, `COMMIT`)
	if got := <-waiting; got != "DELETE 0" {
		t.Errorf("waiter after the holder deleted the row: %s, want DELETE 0", got)
	}

	// Two blocks that lock rows 1 and 3 in opposite orders: the second
	// to wait fails with 40P01, the other goes on.
	mustExec(t, a, `BEGIN`, `UPDATE rl SET w = 1 WHERE id = 1`)
	mustExec(t, b, `BEGIN`, `UPDATE rl SET w = 3 WHERE id = 3`)
	waiting = execAsync(t, a, `UPDATE rl SET w = 31 WHERE id = 3`)
	blocked(t, "UPDATE of a row another block holds", waiting)
	if _, err := b.Exec(ctx(t), `UPDATE rl SET w = 13 WHERE id = 1`); sqlstate(err) != "40P01" {
		t.Errorf("closing a cycle of waits: %v, want 40P01", err)
	}
	mustExec(t, b, `ROLLBACK`)
	if got := <-waiting; got != "UPDATE 1" {
		t.Errorf("after the other block of the deadlock rolled back: %s", got)
	}
	mustExec(t, a, `COMMIT`)
	if got := value(3); got != "3/31" {
		t.Errorf("row 3: %s, want 3/31", got)
	}

	// lock_timeout ends a wait with 55P03 and leaves the session usable.
	mustExec(t, a, `BEGIN`, `UPDATE rl SET w = 0 WHERE id = 3`)
	mustExec(t, b, `SET lock_timeout = '100ms'`)
	if _, err := b.Exec(ctx(t), `UPDATE rl SET w = 99 WHERE id = 3`); sqlstate(err) != "55P03" {
		t.Errorf("wait beyond lock_timeout: %v, want 55P03", err)
	}
	mustExec(t, b, `RESET lock_timeout`)
	mustExec(t, a, `COMMIT`)

	// REPEATABLE READ cannot move to the holder's commit: 40001.
	mustExec(t, b, `BEGIN ISOLATION LEVEL REPEATABLE READ`)
	rowsText(t, b, `SELECT * FROM rl`)
	mustExec(t, a, `BEGIN`, `UPDATE rl SET w = 4 WHERE id = 3`)
	waiting = execAsync(t, b, `UPDATE rl SET w = 5 WHERE id = 3`)
	blocked(t, "repeatable-read UPDATE of a locked row", waiting)
	mustExec(t, a, `COMMIT`)
	if got := <-waiting; got != "ERROR 40001" {
		t.Errorf("repeatable-read update after the holder committed: %s, want ERROR 40001", got)
	}
	mustExec(t, b, `ROLLBACK`)
	if got := value(3); got != "3/4" {
		t.Errorf("row 3: %s, want 3/4", got)
	}
}
