package server

import (
	"fmt"
	"testing"
)

// Large UPDATE and DELETE statements keep their deleted rows as bitmaps
// and sorted lists rather than per-row maps (storage/txn_deletes.go,
// storage/deletion_seqs.go). These tests drive them past the sizes where
// those switch form: more rows than a small deletion holds, and more
// batches than a lookup searches before they are merged.

// largeRows is the table size: twenty-odd executor batches.
const largeRows = 20_000

// TestLargeUpdateInTransaction updates every row, then again some of
// them, deletes others, and undoes a savepoint's changes, all in one
// transaction, checking against a model before and after COMMIT, after
// CHECKPOINT (the flush of the large deletions) and after a restart.
func TestLargeUpdateInTransaction(t *testing.T) {
	dir := t.TempDir()
	srv, connect := startServerAt(t, dir)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE big (id int PRIMARY KEY, v int NOT NULL)`,
		fmt.Sprintf(`INSERT INTO big SELECT g, g FROM generate_series(1, %d) g`, largeRows),
		`CHECKPOINT`)
	model := map[int]int{}
	for id := 1; id <= largeRows; id++ {
		model[id] = id
	}
	check := func(step string) {
		t.Helper()
		var n, sum, wrong int
		err := conn.QueryRow(ctx(t), `SELECT count(*), coalesce(sum(v), 0), count(*) FILTER (WHERE v <> id * 2 + 1 AND v <> id + 1 AND v <> 0) FROM big`).Scan(&n, &sum, &wrong)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		wantSum := 0
		for _, v := range model {
			wantSum += v
		}
		if n != len(model) || sum != wantSum || wrong != 0 {
			t.Fatalf("%s: count %d sum %d (%d unexpected values), want count %d sum %d", step, n, sum, wrong, len(model), wantSum)
		}
	}
	mustExec(t, conn, `BEGIN`, `UPDATE big SET v = v + 1`)
	for id := range model {
		model[id]++
	}
	mustExec(t, conn, `UPDATE big SET v = v + id WHERE id % 3 = 0`, `DELETE FROM big WHERE id % 5 = 0`)
	for id := range model {
		if id%3 == 0 {
			model[id] += id
		}
		if id%5 == 0 {
			delete(model, id)
		}
	}
	check("in the transaction")
	mustExec(t, conn, `SAVEPOINT s`, `UPDATE big SET v = 0 WHERE id % 7 = 0`, `DELETE FROM big WHERE id % 11 = 0`, `ROLLBACK TO s`)
	check("after ROLLBACK TO")
	mustExec(t, conn, `UPDATE big SET v = 0 WHERE id % 13 = 0`, `COMMIT`)
	for id := range model {
		if id%13 == 0 {
			model[id] = 0
		}
	}
	check("after COMMIT")
	mustExec(t, conn, `CHECKPOINT`)
	check("after CHECKPOINT")
	mustExec(t, conn, `DELETE FROM big WHERE id > 10000`)
	for id := range model {
		if id > 10000 {
			delete(model, id)
		}
	}
	check("after a large DELETE")
	conn.Close(ctx(t))
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	_, connect = startServerAt(t, dir)
	conn = connect(t)
	check("after a restart")
}

// TestLargeCommitConflicts runs a transaction against a concurrent commit
// that changed thousands of rows: a REPEATABLE READ update of one of
// them fails with 40001, one of a row it left alone succeeds, and so on
// for a large DELETE; a READ COMMITTED update then works on the newest
// versions. Once with the large commits in the tail, once flushed.
func TestLargeCommitConflicts(t *testing.T) {
	_, connect := startServer(t)
	a, b := connect(t), connect(t)
	mustExec(t, a,
		`CREATE TABLE big (id int PRIMARY KEY, v int NOT NULL)`,
		fmt.Sprintf(`INSERT INTO big SELECT g, 0 FROM generate_series(1, %d) g`, largeRows))
	for _, flushFirst := range []bool{false, true} {
		if flushFirst {
			mustExec(t, a, `CHECKPOINT`)
		}
		mustExec(t, a, `BEGIN ISOLATION LEVEL REPEATABLE READ`, `SELECT count(*) FROM big`)
		mustExec(t, b, `UPDATE big SET v = v + 1 WHERE id <= 15000`)
		mustExec(t, a, `UPDATE big SET v = v + 100 WHERE id = 19000`)
		_, err := a.Exec(ctx(t), `UPDATE big SET v = v + 100 WHERE id = 14999`)
		if sqlstate(err) != "40001" {
			t.Fatalf("repeatable read update of a concurrently updated row: %v, want 40001", err)
		}
		mustExec(t, a, `ROLLBACK`)

		mustExec(t, b, `BEGIN`, `DELETE FROM big WHERE id > 10000 AND id <= 12000`)
		mustExec(t, a, `BEGIN ISOLATION LEVEL REPEATABLE READ`, `SELECT count(*) FROM big`)
		mustExec(t, b, `COMMIT`)
		_, err = a.Exec(ctx(t), `DELETE FROM big WHERE id = 11000`)
		if sqlstate(err) != "40001" {
			t.Fatalf("repeatable read delete of a concurrently deleted row: %v, want 40001", err)
		}
		mustExec(t, a, `ROLLBACK`)

		mustExec(t, a, `UPDATE big SET v = v + 1000 WHERE id IN (5, 11000)`)
		var v int
		if err := a.QueryRow(ctx(t), `SELECT sum(v) FROM big WHERE id IN (5, 11000)`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		want := 1001 // row 5 updated by b; row 11000 deleted
		if flushFirst {
			want = 2002
		}
		if v != want {
			t.Fatalf("read committed update after a large commit: sum %d, want %d", v, want)
		}
		mustExec(t, b, `INSERT INTO big SELECT g, 1 FROM generate_series(10001, 12000) g`)
		mustExec(t, b, `UPDATE big SET v = 1 WHERE id BETWEEN 10001 AND 12000`)
	}
}
