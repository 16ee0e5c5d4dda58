package server

import (
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestSerializableKeepsInvariant runs Cahill's on-call doctors in
// lockstep from two sessions, round after round: each serializable
// transaction reads how many doctors are on call and takes its own off
// only if it sees two, and both read before either writes. Snapshot
// isolation alone would let both commit and leave no one on call;
// serializable snapshot isolation fails one of them with 40001, and its
// retry, alone, leaves its doctor on call.
func TestSerializableKeepsInvariant(t *testing.T) {
	_, connect := startServer(t)
	check := connect(t)
	mustExec(t, check, `CREATE TABLE doctors (id int PRIMARY KEY, on_call bool NOT NULL)`, `INSERT INTO doctors VALUES (1, true), (2, true)`)
	conns := []*pgx.Conn{connect(t), connect(t)}
	// attempt runs one transaction of doctor me, waiting at read for the
	// other session to have read too (when together).
	attempt := func(conn *pgx.Conn, me int, read *sync.WaitGroup) error {
		if _, err := conn.Exec(ctx(t), `BEGIN ISOLATION LEVEL SERIALIZABLE`); err != nil {
			return err
		}
		var n int
		err := conn.QueryRow(ctx(t), `SELECT count(*) FROM doctors WHERE on_call`).Scan(&n)
		if read != nil {
			read.Done()
			read.Wait()
		}
		if err != nil {
			return err
		}
		if n >= 2 {
			if _, err := conn.Exec(ctx(t), `UPDATE doctors SET on_call = false WHERE id = $1`, me); err != nil {
				return err
			}
		}
		_, err = conn.Exec(ctx(t), `COMMIT`)
		return err
	}
	for round := range 10 {
		var read, done sync.WaitGroup
		read.Add(2)
		errs := make([]error, 2)
		for i, conn := range conns {
			done.Add(1)
			go func() {
				defer done.Done()
				errs[i] = attempt(conn, i+1, &read)
			}()
		}
		done.Wait()
		failed := 0
		for i, err := range errs {
			if err == nil {
				continue
			}
			conns[i].Exec(ctx(t), `ROLLBACK`)
			if sqlstate(err) != "40001" {
				t.Fatalf("round %d, session %d: %v", round, i, err)
			}
			failed++
			if err := attempt(conns[i], i+1, nil); err != nil {
				t.Fatalf("round %d, session %d retrying: %v", round, i, err)
			}
		}
		if failed != 1 {
			t.Errorf("round %d: %d transactions failed with 40001, want 1", round, failed)
		}
		if got := rowsText(t, check, `SELECT count(*) FROM doctors WHERE on_call`)[0][0]; got != "1" {
			t.Fatalf("round %d: %s doctors on call, want 1", round, got)
		}
		mustExec(t, check, `UPDATE doctors SET on_call = true`)
	}
}
