package server

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestSelectForUpdateBetweenSessions follows PostgreSQL 15 on row locks
// taken by SELECT: SKIP LOCKED passes over rows another transaction
// holds (so queue consumers each take a job of their own), NOWAIT fails
// with 55P03, two FOR SHARE locks coexist while FOR UPDATE conflicts with
// them, and FOR UPDATE of a row another transaction is updating waits for
// it and then returns the row's new version.
func TestSelectForUpdateBetweenSessions(t *testing.T) {
	_, connect := startServer(t)
	a, b := connect(t), connect(t)
	mustExec(t, a, `CREATE TABLE jobs (id int PRIMARY KEY, v int, done bool NOT NULL DEFAULT false)`,
		`INSERT INTO jobs SELECT g, g * 10 FROM generate_series(1, 3) g`)
	next := `SELECT id FROM jobs WHERE NOT done ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`

	mustExec(t, a, `BEGIN`)
	mustExec(t, b, `BEGIN`)
	if got := rowsText(t, a, next); len(got) != 1 || got[0][0] != "1" {
		t.Fatalf("first consumer's job: %v, want 1", got)
	}
	if got := rowsText(t, b, next); len(got) != 1 || got[0][0] != "2" {
		t.Fatalf("second consumer's job: %v, want 2 (1 is locked)", got)
	}
	if _, err := a.Exec(ctx(t), `SELECT * FROM jobs WHERE id = 2 FOR UPDATE NOWAIT`); sqlstate(err) != "55P03" {
		t.Errorf("NOWAIT on a locked row: %v, want 55P03", err)
	}
	mustExec(t, a, `ROLLBACK`)
	mustExec(t, b, `ROLLBACK`)

	mustExec(t, a, `BEGIN`, `SELECT * FROM jobs WHERE id = 1 FOR SHARE`)
	mustExec(t, b, `BEGIN`, `SELECT * FROM jobs WHERE id = 1 FOR SHARE NOWAIT`)
	if _, err := b.Exec(ctx(t), `SELECT * FROM jobs WHERE id = 1 FOR UPDATE NOWAIT`); sqlstate(err) != "55P03" {
		t.Errorf("FOR UPDATE NOWAIT beside another's FOR SHARE: %v, want 55P03", err)
	}
	mustExec(t, a, `ROLLBACK`)
	mustExec(t, b, `ROLLBACK`)

	mustExec(t, a, `BEGIN`, `UPDATE jobs SET v = 31 WHERE id = 3`)
	waiting := make(chan [][]string, 1)
	go func() { waiting <- rowsText(t, b, `SELECT v FROM jobs WHERE id = 3 FOR UPDATE`) }()
	blockedFor(t, waiting)
	mustExec(t, a, `COMMIT`)
	if got := <-waiting; len(got) != 1 || got[0][0] != "31" {
		t.Errorf("FOR UPDATE after the updater committed: %v, want the new value 31", got)
	}

	// EXPLAIN names the node that locks, between LIMIT and ORDER BY.
	var plan []string
	for _, r := range rowsText(t, a, `EXPLAIN (COSTS OFF) `+next) {
		if strings.Contains(r[0], "->") || !strings.HasPrefix(r[0], " ") {
			plan = append(plan, strings.TrimSpace(strings.TrimLeft(r[0], " ->")))
		}
	}
	if got := strings.Join(plan, " / "); !strings.Contains(got, "Limit / LockRows / Sort") {
		t.Errorf("EXPLAIN of a SKIP LOCKED consumer: %s", got)
	}
}

// blockedFor fails the test if a locking SELECT that should wait for a
// row lock returns within a while.
func blockedFor(t *testing.T, waiting chan [][]string) {
	t.Helper()
	select {
	case got := <-waiting:
		t.Fatalf("a locking SELECT did not wait for the row lock: %v", got)
	case <-time.After(150 * time.Millisecond):
	}
}

// TestSkipLockedQueueConsumers: consumers that each take the next job
// with FOR UPDATE SKIP LOCKED and mark it done process every job exactly
// once, none failing.
func TestSkipLockedQueueConsumers(t *testing.T) {
	_, connect := startServer(t)
	setup := connect(t)
	const jobs, consumers = 60, 4
	mustExec(t, setup, `CREATE TABLE queue (id int PRIMARY KEY, done_by int)`,
		`INSERT INTO queue SELECT g, NULL FROM generate_series(1, `+strconv.Itoa(jobs)+`) g`)
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := map[int]int{}
	errs := make(chan error, consumers)
	for w := 1; w <= consumers; w++ {
		conn := connect(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				tx, err := conn.Begin(ctx(t))
				if err != nil {
					errs <- err
					return
				}
				var id int
				err = tx.QueryRow(ctx(t), `SELECT id FROM queue WHERE done_by IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`).Scan(&id)
				if err == pgx.ErrNoRows {
					tx.Rollback(ctx(t))
					return
				}
				if err == nil {
					_, err = tx.Exec(ctx(t), `UPDATE queue SET done_by = $1 WHERE id = $2`, w, id)
				}
				if err == nil {
					err = tx.Commit(ctx(t))
				}
				if err != nil {
					tx.Rollback(ctx(t))
					errs <- err
					return
				}
				mu.Lock()
				taken[id]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("consumer failed: %v (SQLSTATE %s)", err, sqlstate(err))
	}
	for id, n := range taken {
		if n != 1 {
			t.Errorf("job %d taken %d times", id, n)
		}
	}
	if len(taken) != jobs {
		t.Errorf("%d jobs taken, want %d", len(taken), jobs)
	}
	if got := rowsText(t, setup, `SELECT count(*) FROM queue WHERE done_by IS NULL`); got[0][0] != "0" {
		t.Errorf("jobs left undone: %s", got[0][0])
	}
}

// TestSkipLockedLimitAcrossBatches: with SKIP LOCKED under a LIMIT, the
// rows come from several batches (pqdb.batch_rows), and no row past the
// last one returned is locked.
func TestSkipLockedLimitAcrossBatches(t *testing.T) {
	_, connect := startServer(t)
	a, b, c := connect(t), connect(t), connect(t)
	mustExec(t, a, `CREATE TABLE q (id int PRIMARY KEY)`, `INSERT INTO q SELECT generate_series(1, 7)`)
	for _, rows := range []int{1, 2, 3, 4, 1024} {
		mustExec(t, b, `SET pqdb.batch_rows = `+strconv.Itoa(rows))
		mustExec(t, a, `BEGIN`, `SELECT * FROM q WHERE id IN (1, 3, 4) FOR UPDATE`)
		mustExec(t, b, `BEGIN`)
		var got []string
		for _, r := range rowsText(t, b, `SELECT id FROM q ORDER BY id LIMIT 2 OFFSET 1 FOR UPDATE SKIP LOCKED`) {
			got = append(got, r[0])
		}
		if strings.Join(got, ",") != "5,6" {
			t.Errorf("batch_rows %d: got %v, want 5,6 (1, 3, 4 locked; 2 skipped by OFFSET)", rows, got)
		}
		// Row 7 came after the LIMIT: nobody holds it. Row 2 went
		// through OFFSET: locked, as PostgreSQL locks the rows OFFSET
		// skips.
		if _, err := c.Exec(ctx(t), `SELECT * FROM q WHERE id = 7 FOR UPDATE NOWAIT`); err != nil {
			t.Errorf("batch_rows %d: row 7 past the LIMIT is locked: %v", rows, err)
		}
		if _, err := c.Exec(ctx(t), `SELECT * FROM q WHERE id = 2 FOR UPDATE NOWAIT`); sqlstate(err) != "55P03" {
			t.Errorf("batch_rows %d: row 2 under the OFFSET: %v, want 55P03", rows, err)
		}
		mustExec(t, a, `ROLLBACK`)
		mustExec(t, b, `ROLLBACK`)
	}
}
