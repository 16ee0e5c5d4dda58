package server

import (
	"strings"
	"testing"
)

// TestPreparedStatementsViewListsProtocolStatements: a statement prepared
// with a Parse message shows in pg_prepared_statements with from_sql
// false, its query text and its parameter types (as regtype), beside one
// made with SQL PREPARE, and leaves it when a Close message destroys it,
// as in PostgreSQL 15.
func TestPreparedStatementsViewListsProtocolStatements(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	if _, err := conn.Prepare(ctx(t), "by_parse", "SELECT $1::int + 1, $2::text"); err != nil {
		t.Fatal(err)
	}
	mustExec(t, conn, `PREPARE by_sql(bigint) AS SELECT $1`)
	list := func() string {
		var lines []string
		for _, r := range rowsText(t, conn, `SELECT name, statement, parameter_types, from_sql FROM pg_prepared_statements ORDER BY name`) {
			lines = append(lines, strings.Join(r, " | "))
		}
		return strings.Join(lines, "\n")
	}
	want := "by_parse | SELECT $1::int + 1, $2::text | {integer,text} | f\n" +
		"by_sql | PREPARE by_sql(bigint) AS SELECT $1 | {bigint} | t"
	if got := list(); got != want {
		t.Errorf("pg_prepared_statements:\n%s\nwant\n%s", got, want)
	}
	if err := conn.Deallocate(ctx(t), "by_parse"); err != nil {
		t.Fatal(err)
	}
	if got, want := list(), "by_sql | PREPARE by_sql(bigint) AS SELECT $1 | {bigint} | t"; got != want {
		t.Errorf("after Close of by_parse:\n%s\nwant\n%s", got, want)
	}
}
