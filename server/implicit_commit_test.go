package server

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestImplicitCommitError: when the implicit transaction of a simple
// Query fails to commit, the client gets the error in place of the last
// statement's CommandComplete, as from PostgreSQL 15 (exec_simple_query
// commits before it reports the last statement done): the earlier
// statements' CommandCompletes, then ErrorResponse, then ReadyForQuery
// 'I', with nothing of the string committed and the session usable. A
// success tag followed by an error would tell a client that stops at the
// tag that its rows are in.
//
// pqdb finds a key another transaction committed meanwhile, and a
// serializable conflict, at commit (storage's doc: "Conflicts and
// keys"). Here that other transaction holds a lock on the gate row that
// the query string's last statement updates, and commits while the
// statement waits for it, after the string's other writes ran.
func TestImplicitCommitError(t *testing.T) {
	_, connect := startServer(t)
	a, b := connect(t), connect(t)
	mustExec(t, a,
		`CREATE TABLE ic_key (id int PRIMARY KEY)`,
		`CREATE TABLE ic_gate (id int PRIMARY KEY, v int)`,
		`CREATE TABLE ic_read (id int PRIMARY KEY, v int)`,
		`INSERT INTO ic_gate VALUES (1, 0)`,
		`INSERT INTO ic_read VALUES (1, 0)`)
	for _, c := range []struct {
		name string
		// holder runs in a's open block, which then takes the gate's
		// lock; query is b's string, whose last statement waits for it.
		holder []string
		setup  string // b runs it first, alone
		query  string
		want   string
	}{{
		name:   "one statement, duplicate key",
		holder: []string{`BEGIN`, `INSERT INTO ic_key VALUES (1)`},
		query:  `WITH ins AS (INSERT INTO ic_key VALUES (1)) UPDATE ic_gate SET v = v + 1 WHERE id = 1`,
		want:   "ERROR 23505",
	}, {
		name:   "two statements, duplicate key",
		holder: []string{`BEGIN`, `INSERT INTO ic_key VALUES (2)`},
		query:  `INSERT INTO ic_key VALUES (2); UPDATE ic_gate SET v = v + 1 WHERE id = 1`,
		want:   "INSERT 0 1; ERROR 23505",
	}, {
		// b reads ic_read's row before a's update of it commits, and
		// writes ic_key, which a read: a →rw b →rw a, a committed first.
		name:   "serializable, read/write dependencies",
		holder: []string{`BEGIN ISOLATION LEVEL SERIALIZABLE`, `SELECT count(*) FROM ic_key`, `UPDATE ic_read SET v = v + 1 WHERE id = 1`},
		setup:  `SET default_transaction_isolation = serializable`,
		query:  `INSERT INTO ic_key SELECT 10 + v FROM ic_read WHERE id = 1; SELECT v FROM ic_gate WHERE id = 1 FOR UPDATE`,
		want:   "INSERT 0 1; ERROR 40001",
	}} {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != "" {
				mustExec(t, b, c.setup)
			}
			mustExec(t, a, c.holder...)
			mustExec(t, a, `SELECT 1 FROM ic_gate WHERE id = 1 FOR UPDATE`)
			done := make(chan string, 1)
			go func() { done <- simpleOutcome(t, b, c.query) }()
			blocked(t, c.query, done)
			mustExec(t, a, `COMMIT`)
			if got := <-done; got != c.want {
				t.Errorf("%s: %q, want %q", c.query, got, c.want)
			}
			if st := b.PgConn().TxStatus(); st != 'I' {
				t.Errorf("transaction status after the failed commit: %c, want I", st)
			}
			if got := rowsText(t, b, `SELECT v FROM ic_gate`); got[0][0] != "0" {
				t.Errorf("gate after the failed commit: %s, want 0", got[0][0])
			}
			if got := rowsText(t, b, `SELECT count(*) FROM ic_key WHERE id >= 10`); got[0][0] != "0" {
				t.Errorf("%s rows of the failed commit's insert kept", got[0][0])
			}
			mustExec(t, b, `RESET default_transaction_isolation`)
		})
	}
}

// simpleOutcome runs sql as one simple Query and tells what each
// statement returned, separated by "; ": its command tag, or "ERROR" and
// the SQLSTATE.
func simpleOutcome(t *testing.T, conn *pgx.Conn, sql string) string {
	results, err := conn.PgConn().Exec(ctx(t), sql).ReadAll()
	var out []string
	for _, r := range results {
		if r.Err != nil {
			out = append(out, "ERROR "+sqlstate(r.Err))
			continue
		}
		out = append(out, r.CommandTag.String())
	}
	// A statement's own error is also the query's: list it once.
	if err != nil && (len(results) == 0 || results[len(results)-1].Err == nil) {
		out = append(out, "ERROR "+sqlstate(err))
	}
	return strings.Join(out, "; ")
}
