package server

import (
	"testing"
)

// TestManyRowLocksBetweenSessions: a transaction that updates more rows
// than storage keeps one lock entry for (they move into bitmaps past
// 4096 rows of a table) holds every one of them as firmly as a single
// row's lock, as PostgreSQL 15 does (results recorded from it): NOWAIT
// fails with 55P03 in every conflicting mode, SKIP LOCKED passes over
// exactly the updated rows, and an UPDATE of one of them waits for the
// commit, then re-evaluates its WHERE and SET on the committed version.
func TestManyRowLocksBetweenSessions(t *testing.T) {
	_, connect := startServer(t)
	a, b, c := connect(t), connect(t), connect(t)
	mustExec(t, a, `CREATE TABLE big (id int PRIMARY KEY, v int NOT NULL)`,
		`INSERT INTO big SELECT g, 0 FROM generate_series(1, 10000) g`)

	mustExec(t, a, `BEGIN`)
	if tag, err := a.Exec(ctx(t), `UPDATE big SET v = v + 1 WHERE id <= 9000`); err != nil || tag.String() != "UPDATE 9000" {
		t.Fatalf("UPDATE of 9000 rows: %v %v", tag, err)
	}
	for _, sql := range []string{
		`SELECT * FROM big WHERE id = 5000 FOR UPDATE NOWAIT`,
		`SELECT * FROM big WHERE id = 1 FOR NO KEY UPDATE NOWAIT`,
		`SELECT id FROM big WHERE id BETWEEN 4000 AND 6000 FOR SHARE NOWAIT`,
		`SELECT id FROM big WHERE id = 9000 FOR KEY SHARE NOWAIT`,
	} {
		if _, err := b.Exec(ctx(t), sql); sqlstate(err) != "55P03" {
			t.Errorf("%s: %v, want 55P03", sql, err)
		}
	}
	if got := rowsText(t, b, `SELECT count(*) FROM (SELECT id FROM big FOR UPDATE SKIP LOCKED) s`); got[0][0] != "1000" {
		t.Errorf("SKIP LOCKED beside the 9000 updated rows: %v rows, want 1000", got)
	}
	if got := rowsText(t, b, `SELECT id FROM big WHERE id = 9001 FOR UPDATE NOWAIT`); len(got) != 1 {
		t.Errorf("NOWAIT on a row the UPDATE left alone: %v", got)
	}

	builds := execAsync(t, b, `UPDATE big SET v = v * 10 WHERE id = 5000`)
	leaves := execAsync(t, c, `UPDATE big SET v = 100 WHERE id = 5001 AND v = 0`)
	blocked(t, "UPDATE of a row of the 9000", builds)
	blocked(t, "UPDATE of a row of the 9000", leaves)
	mustExec(t, a, `COMMIT`)
	if got := <-builds; got != "UPDATE 1" {
		t.Errorf("UPDATE after the holder committed: %s, want UPDATE 1", got)
	}
	if got := <-leaves; got != "UPDATE 0" {
		t.Errorf("UPDATE whose WHERE the holder's commit made false: %s, want UPDATE 0", got)
	}
	got := rowsText(t, a, `SELECT id, v FROM big WHERE id IN (1, 5000, 5001, 9000, 9001) ORDER BY id`)
	want := [][]string{{"1", "1"}, {"5000", "10"}, {"5001", "1"}, {"9000", "1"}, {"9001", "0"}}
	if !equalRows(got, want) {
		t.Errorf("rows after both: %v, want %v", got, want)
	}
	// Every lock went with the transactions: all rows are free again.
	mustExec(t, a, `BEGIN`, `SELECT * FROM big FOR UPDATE NOWAIT`, `COMMIT`)
}
