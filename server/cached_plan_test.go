package server

import (
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestCachedStatementMustKeepResultType: a statement a client prepared
// and described (pgx caches one per query text) is bound again on every
// run; when the table under it changed shape, the run fails with 0A000
// "cached plan must not change result type" instead of sending rows in
// another shape than the client decodes, and the client's next try (pgx
// prepares anew) succeeds. A change that keeps the shape goes unnoticed,
// and SQL PREPARE's statements are checked the same way. The outcomes
// were recorded from PostgreSQL 15 with the same steps.
func TestCachedStatementMustKeepResultType(t *testing.T) {
	_, connect := startServer(t)
	a, b := connect(t), connect(t)
	mustExec(t, b, `CREATE TABLE cp (x int, y text)`, `INSERT INTO cp VALUES (1, 'a')`)
	run := func() string {
		rows, err := a.Query(ctx(t), `SELECT * FROM cp WHERE x > $1`, 0)
		if err != nil {
			return "error " + sqlstate(err)
		}
		vals, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) { return r.Values() })
		if err != nil {
			return "error " + sqlstate(err)
		}
		return fmt.Sprint(vals)
	}
	if got := run(); got != "[[1 a]]" {
		t.Fatalf("first run: %s", got)
	}
	mustExec(t, b, `DROP TABLE cp`, `CREATE TABLE cp (x int, y text)`, `INSERT INTO cp VALUES (2, 'b')`)
	if got := run(); got != "[[2 b]]" {
		t.Errorf("after a change that keeps the shape: %s, want [[2 b]]", got)
	}
	mustExec(t, b, `DROP TABLE cp`, `CREATE TABLE cp (x int, y int, z text)`, `INSERT INTO cp VALUES (3, 4, 'c')`)
	if got := run(); got != "error 0A000" {
		t.Errorf("after a change of shape: %s, want error 0A000", got)
	}
	if got := run(); got != "[[3 4 c]]" {
		t.Errorf("the client's next try: %s, want [[3 4 c]]", got)
	}
	mustExec(t, b, `PREPARE p AS SELECT * FROM cp`, `ALTER TABLE cp DROP COLUMN z`)
	if _, err := b.Exec(ctx(t), `EXECUTE p`); sqlstate(err) != "0A000" {
		t.Errorf("EXECUTE of a statement whose table changed shape: %v, want 0A000", err)
	}
}
