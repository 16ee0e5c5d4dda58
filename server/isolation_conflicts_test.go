package server

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Write conflicts between two sessions at each isolation level, as
// PostgreSQL 15 resolves them. Every expectation below was recorded by
// running these scenarios on PostgreSQL 15: set PQDB_ISOLATION_PG_DSN
// (e.g. postgres://postgres@127.0.0.1:54316/me_scratch) to run them there
// instead of on pqdb.

// isoStep is one statement of a scenario: the session that runs it ("a"
// or "b"), and its outcome: "" for success, a command tag such as
// "UPDATE 0", the rows of a query ("rows:10;20"), or "ERROR 40001: the
// message". A step with blocks set must not finish while the other
// session's next steps run; its outcome is checked after them.
type isoStep struct {
	who, sql, want string
	blocks         bool
}

type isoScenario struct {
	name  string
	steps []isoStep
	// pqdb, if set, are the steps pqdb runs instead, where it knowingly
	// differs from PostgreSQL (see keyWaitDiffers).
	pqdb []isoStep
}

// keyWaitDiffers: an INSERT of a key that another open transaction
// inserted waits for it in PostgreSQL, then fails with 23505 if it
// committed and goes on if it rolled back. pqdb does not wait: both
// inserts go on, and the second of the two transactions to commit fails
// with 23505 at COMMIT. The same transactions commit in both; the error
// comes one statement later.
func keyWaitDiffers(begin, beginOther string, commits bool) []isoStep {
	steps := []isoStep{
		{who: "a", sql: begin},
		{who: "b", sql: beginOther},
		{who: "b", sql: "INSERT INTO iso VALUES (5, 50)", want: "INSERT 0 1"},
		{who: "a", sql: "INSERT INTO iso VALUES (5, 51)", want: "INSERT 0 1"},
	}
	if commits {
		return append(steps,
			isoStep{who: "b", sql: "COMMIT"},
			isoStep{who: "a", sql: "COMMIT", want: "ERROR 23505: duplicate key value violates unique constraint \"iso_pkey\""},
			isoStep{who: "a", sql: "SELECT v FROM iso WHERE id = 5", want: "rows:50"})
	}
	return append(steps,
		isoStep{who: "b", sql: "ROLLBACK"},
		isoStep{who: "a", sql: "COMMIT"},
		isoStep{who: "a", sql: "SELECT v FROM iso WHERE id = 5", want: "rows:51"})
}

// isoLevels are the levels a scenario named with %s runs at.
var isoLevels = []string{"REPEATABLE READ", "SERIALIZABLE"}

func isolationScenarios() []isoScenario {
	var out []isoScenario
	for _, level := range isoLevels {
		out = append(out,
			isoScenario{"update after a concurrent update, " + level, []isoStep{
				{who: "a", sql: "BEGIN ISOLATION LEVEL " + level},
				{who: "a", sql: "SELECT v FROM iso WHERE id = 1", want: "rows:10"},
				{who: "b", sql: "UPDATE iso SET v = 11 WHERE id = 1", want: "UPDATE 1"},
				{who: "a", sql: "UPDATE iso SET v = 12 WHERE id = 1", want: "ERROR 40001: could not serialize access due to concurrent update"},
				{who: "a", sql: "ROLLBACK"},
				{who: "a", sql: "SELECT v FROM iso WHERE id = 1", want: "rows:11"},
			}, nil},
			isoScenario{"update waiting for a concurrent update that commits, " + level, []isoStep{
				{who: "a", sql: "BEGIN ISOLATION LEVEL " + level},
				{who: "a", sql: "SELECT v FROM iso WHERE id = 1", want: "rows:10"},
				{who: "b", sql: "BEGIN"},
				{who: "b", sql: "UPDATE iso SET v = 11 WHERE id = 1", want: "UPDATE 1"},
				{who: "a", sql: "UPDATE iso SET v = 12 WHERE id = 1", want: "ERROR 40001: could not serialize access due to concurrent update", blocks: true},
				{who: "b", sql: "COMMIT"},
				{who: "a", sql: "ROLLBACK"},
			}, nil},
			isoScenario{"update waiting for a concurrent update that rolls back, " + level, []isoStep{
				{who: "a", sql: "BEGIN ISOLATION LEVEL " + level},
				{who: "a", sql: "SELECT v FROM iso WHERE id = 1", want: "rows:10"},
				{who: "b", sql: "BEGIN"},
				{who: "b", sql: "UPDATE iso SET v = 11 WHERE id = 1", want: "UPDATE 1"},
				{who: "a", sql: "UPDATE iso SET v = v + 2 WHERE id = 1", want: "UPDATE 1", blocks: true},
				{who: "b", sql: "ROLLBACK"},
				{who: "a", sql: "COMMIT"},
				{who: "b", sql: "SELECT v FROM iso WHERE id = 1", want: "rows:12"},
			}, nil},
			isoScenario{"update after a concurrent delete, " + level, []isoStep{
				{who: "a", sql: "BEGIN ISOLATION LEVEL " + level},
				{who: "a", sql: "SELECT v FROM iso WHERE id = 1", want: "rows:10"},
				{who: "b", sql: "DELETE FROM iso WHERE id = 1", want: "DELETE 1"},
				{who: "a", sql: "UPDATE iso SET v = 12 WHERE id = 1", want: "ERROR 40001: could not serialize access due to concurrent delete"},
				{who: "a", sql: "ROLLBACK"},
			}, nil},
			isoScenario{"delete after a concurrent update, " + level, []isoStep{
				{who: "a", sql: "BEGIN ISOLATION LEVEL " + level},
				{who: "a", sql: "SELECT v FROM iso WHERE id = 1", want: "rows:10"},
				{who: "b", sql: "UPDATE iso SET v = 11 WHERE id = 1", want: "UPDATE 1"},
				{who: "a", sql: "DELETE FROM iso WHERE id = 1", want: "ERROR 40001: could not serialize access due to concurrent update"},
				{who: "a", sql: "ROLLBACK"},
			}, nil},
			isoScenario{"delete after a concurrent delete, " + level, []isoStep{
				{who: "a", sql: "BEGIN ISOLATION LEVEL " + level},
				{who: "a", sql: "SELECT v FROM iso WHERE id = 1", want: "rows:10"},
				{who: "b", sql: "DELETE FROM iso WHERE id = 1", want: "DELETE 1"},
				{who: "a", sql: "DELETE FROM iso WHERE id = 1", want: "ERROR 40001: could not serialize access due to concurrent delete"},
				{who: "a", sql: "ROLLBACK"},
			}, nil},
			isoScenario{"locking a row after a concurrent delete, " + level, []isoStep{
				{who: "a", sql: "BEGIN ISOLATION LEVEL " + level},
				{who: "a", sql: "SELECT v FROM iso WHERE id = 1", want: "rows:10"},
				{who: "b", sql: "DELETE FROM iso WHERE id = 1", want: "DELETE 1"},
				{who: "a", sql: "SELECT v FROM iso WHERE id = 1 FOR UPDATE", want: "ERROR 40001: could not serialize access due to concurrent update"},
				{who: "a", sql: "ROLLBACK"},
			}, nil},
			isoScenario{"cross-schema commit seen whole, " + level, []isoStep{
				{who: "b", sql: "CREATE SCHEMA IF NOT EXISTS iso_audit", want: "CREATE SCHEMA"},
				{who: "b", sql: "DROP TABLE IF EXISTS iso_audit.log", want: "DROP TABLE"},
				{who: "b", sql: "CREATE TABLE iso_audit.log (id int PRIMARY KEY)", want: "CREATE TABLE"},
				{who: "a", sql: "BEGIN ISOLATION LEVEL " + level},
				{who: "a", sql: "SELECT (SELECT count(*) FROM iso) + (SELECT count(*) FROM iso_audit.log)", want: "rows:2"},
				{who: "b", sql: "BEGIN"},
				{who: "b", sql: "INSERT INTO iso VALUES (6, 60)", want: "INSERT 0 1"},
				{who: "b", sql: "INSERT INTO iso_audit.log VALUES (6)", want: "INSERT 0 1"},
				{who: "b", sql: "COMMIT"},
				{who: "a", sql: "SELECT (SELECT count(*) FROM iso) + (SELECT count(*) FROM iso_audit.log)", want: "rows:2"},
				{who: "a", sql: "COMMIT"},
				{who: "a", sql: "SELECT (SELECT count(*) FROM iso) + (SELECT count(*) FROM iso_audit.log)", want: "rows:4"},
			}, nil},
			crossSchemaFailure(level),
			isoScenario{"snapshot ignores later commits, " + level, []isoStep{
				{who: "a", sql: "BEGIN ISOLATION LEVEL " + level},
				// The snapshot is taken by the first statement, not BEGIN.
				{who: "b", sql: "INSERT INTO iso VALUES (3, 30)", want: "INSERT 0 1"},
				{who: "a", sql: "SELECT id FROM iso ORDER BY id", want: "rows:1;2;3"},
				{who: "b", sql: "INSERT INTO iso VALUES (4, 40)", want: "INSERT 0 1"},
				{who: "b", sql: "UPDATE iso SET v = 0 WHERE id = 2", want: "UPDATE 1"},
				{who: "b", sql: "DELETE FROM iso WHERE id = 1", want: "DELETE 1"},
				{who: "a", sql: "SELECT id, v FROM iso ORDER BY id", want: "rows:1|10;2|20;3|30"},
				{who: "a", sql: "COMMIT"},
				{who: "a", sql: "SELECT id, v FROM iso ORDER BY id", want: "rows:2|0;3|30;4|40"},
			}, nil},
		)
	}
	for _, level := range []string{"READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"} {
		b := "BEGIN ISOLATION LEVEL " + level
		out = append(out,
			isoScenario{"insert of a key a concurrent insert committed, " + level, []isoStep{
				{who: "a", sql: "BEGIN ISOLATION LEVEL " + level},
				{who: "b", sql: b},
				{who: "b", sql: "INSERT INTO iso VALUES (5, 50)", want: "INSERT 0 1"},
				{who: "a", sql: "INSERT INTO iso VALUES (5, 51)", want: "ERROR 23505: duplicate key value violates unique constraint \"iso_pkey\"", blocks: true},
				{who: "b", sql: "COMMIT"},
				{who: "a", sql: "ROLLBACK"},
				{who: "a", sql: "SELECT v FROM iso WHERE id = 5", want: "rows:50"},
			}, keyWaitDiffers("BEGIN ISOLATION LEVEL "+level, b, true)},
			isoScenario{"insert of a key a concurrent insert rolled back, " + level, []isoStep{
				{who: "a", sql: "BEGIN ISOLATION LEVEL " + level},
				{who: "b", sql: b},
				{who: "b", sql: "INSERT INTO iso VALUES (5, 50)", want: "INSERT 0 1"},
				{who: "a", sql: "INSERT INTO iso VALUES (5, 51)", want: "INSERT 0 1", blocks: true},
				{who: "b", sql: "ROLLBACK"},
				{who: "a", sql: "COMMIT"},
				{who: "a", sql: "SELECT v FROM iso WHERE id = 5", want: "rows:51"},
			}, keyWaitDiffers("BEGIN ISOLATION LEVEL "+level, b, false)},
			isoScenario{"insert of a key committed after the snapshot, " + level, []isoStep{
				{who: "a", sql: "BEGIN ISOLATION LEVEL " + level},
				{who: "a", sql: "SELECT count(*) FROM iso WHERE id = 1", want: "rows:1"},
				{who: "b", sql: "INSERT INTO iso VALUES (5, 50)", want: "INSERT 0 1"},
				{who: "a", sql: "INSERT INTO iso VALUES (5, 51)", want: "ERROR 23505: duplicate key value violates unique constraint \"iso_pkey\""},
				{who: "a", sql: "ROLLBACK"},
			}, nil},
		)
	}
	out = append(out, serializableScenarios()...)
	out = append(out,
		isoScenario{"update after a concurrent delete, READ COMMITTED", []isoStep{
			{who: "a", sql: "BEGIN"},
			{who: "a", sql: "SELECT v FROM iso WHERE id = 1", want: "rows:10"},
			{who: "b", sql: "DELETE FROM iso WHERE id = 1", want: "DELETE 1"},
			{who: "a", sql: "UPDATE iso SET v = 12 WHERE id = 1", want: "UPDATE 0"},
			{who: "a", sql: "COMMIT"},
		}, nil},
		isoScenario{"update waiting for a concurrent update, READ COMMITTED", []isoStep{
			{who: "a", sql: "BEGIN"},
			{who: "b", sql: "BEGIN"},
			{who: "b", sql: "UPDATE iso SET v = v + 1 WHERE id = 1", want: "UPDATE 1"},
			{who: "a", sql: "UPDATE iso SET v = v * 2 WHERE id = 1", want: "UPDATE 1", blocks: true},
			{who: "b", sql: "COMMIT"},
			{who: "a", sql: "COMMIT"},
			{who: "a", sql: "SELECT v FROM iso WHERE id = 1", want: "rows:22"},
		}, nil},
	)
	return out
}

// serializableScenarios are anomalies that REPEATABLE READ allows and
// SERIALIZABLE forbids, and interleavings that SERIALIZABLE lets commit.
func serializableScenarios() []isoScenario {
	const (
		ser     = "BEGIN ISOLATION LEVEL SERIALIZABLE"
		failure = "ERROR 40001: could not serialize access due to read/write dependencies among transactions"
	)
	return []isoScenario{
		{"write skew, SERIALIZABLE", []isoStep{
			{who: "a", sql: ser},
			{who: "a", sql: "SELECT sum(v) FROM iso", want: "rows:30"},
			{who: "b", sql: ser},
			{who: "b", sql: "SELECT sum(v) FROM iso", want: "rows:30"},
			{who: "a", sql: "UPDATE iso SET v = v - 10 WHERE id = 1", want: "UPDATE 1"},
			{who: "b", sql: "UPDATE iso SET v = v - 10 WHERE id = 2", want: "UPDATE 1"},
			{who: "a", sql: "COMMIT"},
			{who: "b", sql: "COMMIT", want: failure},
			{who: "b", sql: "SELECT id, v FROM iso ORDER BY id", want: "rows:1|0;2|20"},
		}, nil},
		{"write skew, REPEATABLE READ", []isoStep{
			{who: "a", sql: "BEGIN ISOLATION LEVEL REPEATABLE READ"},
			{who: "a", sql: "SELECT sum(v) FROM iso", want: "rows:30"},
			{who: "b", sql: "BEGIN ISOLATION LEVEL REPEATABLE READ"},
			{who: "b", sql: "SELECT sum(v) FROM iso", want: "rows:30"},
			{who: "a", sql: "UPDATE iso SET v = v - 10 WHERE id = 1", want: "UPDATE 1"},
			{who: "b", sql: "UPDATE iso SET v = v - 10 WHERE id = 2", want: "UPDATE 1"},
			{who: "a", sql: "COMMIT"},
			{who: "b", sql: "COMMIT"},
			{who: "b", sql: "SELECT id, v FROM iso ORDER BY id", want: "rows:1|0;2|10"},
		}, nil},
		{"phantoms read by key, SERIALIZABLE", []isoStep{
			{who: "a", sql: ser},
			{who: "a", sql: "SELECT count(*) FROM iso WHERE id = 5", want: "rows:0"},
			{who: "b", sql: ser},
			{who: "b", sql: "SELECT count(*) FROM iso WHERE id = 6", want: "rows:0"},
			{who: "a", sql: "INSERT INTO iso VALUES (6, 60)", want: "INSERT 0 1"},
			{who: "b", sql: "INSERT INTO iso VALUES (5, 50)", want: "INSERT 0 1"},
			{who: "a", sql: "COMMIT"},
			{who: "b", sql: "COMMIT", want: failure},
			{who: "b", sql: "SELECT id FROM iso ORDER BY id", want: "rows:1;2;6"},
		}, nil},
		{"updates of different rows by key, SERIALIZABLE", []isoStep{
			{who: "a", sql: ser},
			{who: "a", sql: "UPDATE iso SET v = v + 1 WHERE id = 1", want: "UPDATE 1"},
			{who: "b", sql: ser},
			{who: "b", sql: "UPDATE iso SET v = v + 1 WHERE id = 2", want: "UPDATE 1"},
			{who: "b", sql: "INSERT INTO iso VALUES (9, 90)", want: "INSERT 0 1"},
			{who: "a", sql: "COMMIT"},
			{who: "b", sql: "COMMIT"},
			{who: "b", sql: "SELECT id, v FROM iso ORDER BY id", want: "rows:1|11;2|21;9|90"},
		}, nil},
		{"a reader and a writer, SERIALIZABLE", []isoStep{
			{who: "a", sql: ser},
			{who: "a", sql: "SELECT sum(v) FROM iso", want: "rows:30"},
			{who: "b", sql: ser},
			{who: "b", sql: "UPDATE iso SET v = 0 WHERE id = 2", want: "UPDATE 1"},
			{who: "b", sql: "COMMIT"},
			{who: "a", sql: "SELECT sum(v) FROM iso", want: "rows:30"},
			{who: "a", sql: "COMMIT"},
		}, nil},
		{"a statement outside a block, serializable by default", []isoStep{
			{who: "b", sql: "SET default_transaction_isolation = 'serializable'", want: "SET"},
			{who: "b", sql: "SHOW transaction_isolation", want: "rows:serializable"},
			{who: "a", sql: ser},
			{who: "a", sql: "SELECT v FROM iso WHERE id = 1", want: "rows:10"},
			{who: "b", sql: "UPDATE iso SET v = (SELECT v FROM iso WHERE id = 2) + 1 WHERE id = 1", want: "UPDATE 1"},
			{who: "a", sql: "UPDATE iso SET v = 21 WHERE id = 2", want: failure},
			{who: "a", sql: "ROLLBACK"},
			{who: "a", sql: "SELECT id, v FROM iso ORDER BY id", want: "rows:1|21;2|20"},
		}, nil},
		{"a pivot committing after its reader's writer, SERIALIZABLE", []isoStep{
			// b reads what a writes (b →rw a) and writes what a read
			// (a →rw b), and commits: a's write then fails.
			{who: "a", sql: ser},
			{who: "a", sql: "SELECT v FROM iso WHERE id = 1", want: "rows:10"},
			{who: "b", sql: ser},
			{who: "b", sql: "SELECT v FROM iso WHERE id = 2", want: "rows:20"},
			{who: "b", sql: "UPDATE iso SET v = 11 WHERE id = 1", want: "UPDATE 1"},
			{who: "b", sql: "COMMIT"},
			{who: "a", sql: "UPDATE iso SET v = 21 WHERE id = 2", want: failure},
			{who: "a", sql: "ROLLBACK"},
			{who: "a", sql: "SELECT id, v FROM iso ORDER BY id", want: "rows:1|11;2|20"},
		}, nil},
	}
}

// crossSchemaFailure is a transaction writing two schemas whose write to
// the second conflicts with a concurrent transaction's key: it commits
// neither write (in pqdb, whose insert does not wait for the other
// transaction's key, the conflict fails the COMMIT; see keyWaitDiffers).
func crossSchemaFailure(level string) isoScenario {
	steps := func(pqdb bool) []isoStep {
		out := []isoStep{
			{who: "b", sql: "CREATE SCHEMA IF NOT EXISTS iso_audit", want: "CREATE SCHEMA"},
			{who: "b", sql: "DROP TABLE IF EXISTS iso_audit.log", want: "DROP TABLE"},
			{who: "b", sql: "CREATE TABLE iso_audit.log (id int PRIMARY KEY)", want: "CREATE TABLE"},
			{who: "b", sql: "BEGIN"},
			{who: "b", sql: "INSERT INTO iso_audit.log VALUES (7)", want: "INSERT 0 1"},
			{who: "a", sql: "BEGIN ISOLATION LEVEL " + level},
			{who: "a", sql: "INSERT INTO iso VALUES (7, 70)", want: "INSERT 0 1"},
		}
		duplicate := "ERROR 23505: duplicate key value violates unique constraint \"log_pkey\""
		if pqdb {
			out = append(out,
				isoStep{who: "a", sql: "INSERT INTO iso_audit.log VALUES (7)", want: "INSERT 0 1"},
				isoStep{who: "b", sql: "COMMIT"},
				isoStep{who: "a", sql: "COMMIT", want: duplicate})
		} else {
			out = append(out,
				isoStep{who: "a", sql: "INSERT INTO iso_audit.log VALUES (7)", want: duplicate, blocks: true},
				isoStep{who: "b", sql: "COMMIT"},
				isoStep{who: "a", sql: "ROLLBACK"})
		}
		return append(out,
			isoStep{who: "b", sql: "SELECT count(*) FROM iso WHERE id = 7", want: "rows:0"},
			isoStep{who: "b", sql: "SELECT count(*) FROM iso_audit.log", want: "rows:1"})
	}
	return isoScenario{"cross-schema commit failing in one schema, " + level, steps(false), steps(true)}
}

// TestIsolationConflicts runs the scenarios on pqdb (or PostgreSQL, see
// above), each on a fresh table iso(id int primary key, v int) holding
// (1, 10) and (2, 20).
func TestIsolationConflicts(t *testing.T) {
	var connect func(t *testing.T) *pgx.Conn
	dsn := os.Getenv("PQDB_ISOLATION_PG_DSN")
	if dsn != "" {
		connect = func(t *testing.T) *pgx.Conn {
			conn, err := pgx.Connect(ctx(t), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Close(context.Background()) })
			return conn
		}
	} else {
		_, connect = startServer(t)
	}
	for _, sc := range isolationScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			conns := map[string]*pgx.Conn{"a": connect(t), "b": connect(t)}
			mustExec(t, conns["a"], `DROP TABLE IF EXISTS iso`, `CREATE TABLE iso (id int PRIMARY KEY, v int)`, `INSERT INTO iso VALUES (1, 10), (2, 20)`)
			type pending struct {
				step isoStep
				done chan string
			}
			var waiting *pending
			steps := sc.steps
			if dsn == "" && sc.pqdb != nil {
				steps = sc.pqdb
			}
			for i, st := range steps {
				if waiting != nil && st.who == waiting.step.who {
					// The session's earlier statement must be done by now.
					select {
					case got := <-waiting.done:
						if got != waiting.step.want {
							t.Fatalf("%s: %s: got %q, want %q", waiting.step.who, waiting.step.sql, got, waiting.step.want)
						}
					case <-time.After(5 * time.Second):
						t.Fatalf("%s: %s: still waiting", waiting.step.who, waiting.step.sql)
					}
					waiting = nil
				}
				if st.blocks {
					waiting = &pending{st, make(chan string, 1)}
					go func(conn *pgx.Conn, done chan string) { done <- isoRun(conn, st.sql) }(conns[st.who], waiting.done)
					select {
					case got := <-waiting.done:
						t.Fatalf("step %d: %s: %s did not wait (got %q)", i, st.who, st.sql, got)
					case <-time.After(300 * time.Millisecond):
					}
					continue
				}
				if got := isoRun(conns[st.who], st.sql); got != st.want {
					t.Fatalf("step %d: %s: %s: got %q, want %q", i, st.who, st.sql, got, st.want)
				}
			}
			if waiting != nil {
				t.Fatalf("%s: %s never checked", waiting.step.who, waiting.step.sql)
			}
		})
	}
}

// isoRun runs sql and describes its outcome as isoStep.want does.
func isoRun(conn *pgx.Conn, sql string) string {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	results, err := conn.PgConn().Exec(c, sql).ReadAll()
	if err != nil {
		if pe, ok := err.(*pgconn.PgError); ok {
			return fmt.Sprintf("ERROR %s: %s", pe.Code, pe.Message)
		}
		return "ERROR " + err.Error()
	}
	r := results[len(results)-1]
	if len(r.FieldDescriptions) > 0 {
		var rows []string
		for _, row := range r.Rows {
			vals := make([]string, len(row))
			for i, v := range row {
				vals[i] = string(v)
			}
			rows = append(rows, strings.Join(vals, "|"))
		}
		return "rows:" + strings.Join(rows, ";")
	}
	switch tag := r.CommandTag.String(); tag {
	case "BEGIN", "COMMIT", "ROLLBACK":
		return ""
	default:
		return tag
	}
}
