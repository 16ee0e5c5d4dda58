package server

import (
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestCopyHeaderMatch checks COPY FROM ... HEADER MATCH against
// PostgreSQL 15's answers for the same inputs.
func TestCopyHeaderMatch(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE hm (a int, "B c" text)`)
	cases := []struct {
		sql, data            string
		code, message, where string
	}{
		{`COPY hm FROM STDIN (HEADER MATCH)`, "a\tB c\n1\tx\n", "", "", ""},
		{`COPY hm FROM STDIN (HEADER MATCH)`, "a\tB\\\\x20c\n1\tx\n", "22P04", `column name mismatch in header line field 2: got "B\x20c", expected "B c"`, "COPY hm, line 1: \"a\tB\\\\x20c\""},
		{`COPY hm FROM STDIN (HEADER MATCH)`, "a\n1\tx\n", "22P04", "wrong number of fields in header line: got 1, expected 2", `COPY hm, line 1: "a"`},
		{`COPY hm FROM STDIN (HEADER MATCH)`, "\\N\tB c\n1\tx\n", "22P04", `column name mismatch in header line field 1: got null value ("\N"), expected "a"`, "COPY hm, line 1: \"\\N\tB c\""},
		{`COPY hm FROM STDIN (FORMAT csv, HEADER match)`, "a,\"B c\"\n1,x\n", "", "", ""},
		{`COPY hm FROM STDIN (FORMAT csv, HEADER MATCH)`, ",B c\n1,x\n", "22P04", `column name mismatch in header line field 1: got null value (""), expected "a"`, `COPY hm, line 1: ",B c"`},
		{`COPY hm ("B c", a) FROM STDIN (FORMAT csv, HEADER MATCH)`, "B c,a\nx,1\n", "", "", ""},
		{`COPY hm FROM STDIN (FORMAT csv, HEADER MATCH, NULL 'a')`, "a,B c\n1,x\n", "22P04", `column name mismatch in header line field 1: got null value ("a"), expected "a"`, `COPY hm, line 1: "a,B c"`},
		{`COPY hm FROM STDIN (HEADER foo)`, "", "42601", `header requires a Boolean value or "match"`, ""},
		{`COPY hm FROM STDIN (HEADER off)`, "1\tx\n", "", "", ""},
	}
	for _, c := range cases {
		_, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader(c.data), c.sql)
		var pe *pgconn.PgError
		switch {
		case c.code == "" && err != nil:
			t.Errorf("%s %q: %v", c.sql, c.data, err)
		case c.code != "" && (!errors.As(err, &pe) || pe.Code != c.code || pe.Message != c.message || pe.Where != c.where):
			t.Errorf("%s %q: got %v (where %q), want %s %s (where %q)", c.sql, c.data, err, whereOf(err), c.code, c.message, c.where)
		}
	}
	if got := rowsText(t, conn, "SELECT count(*) FROM hm"); got[0][0] != "4" {
		t.Errorf("%s rows loaded, want 4", got[0][0])
	}
	_, err := conn.Exec(ctx(t), "COPY hm TO STDOUT (HEADER MATCH)")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "42601" || pe.Message != `cannot use "match" with HEADER in COPY TO` {
		t.Errorf("COPY TO with HEADER MATCH: %v", err)
	}
}

func whereOf(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Where
	}
	return ""
}
