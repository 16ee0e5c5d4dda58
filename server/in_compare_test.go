package server

import (
	"strings"
	"testing"
)

// TestInComparesLikeEquals: x IN (subquery) and a one-item IN list
// compare with the = operator of their two types (char(n) against text
// compares as text, trailing blanks counting), while a longer IN list
// compares in the list's common type (char(n)). Expected rows are
// PostgreSQL 15's.
func TestInComparesLikeEquals(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE ia (c char(4))",
		"CREATE TABLE ib (t text)",
		"INSERT INTO ia VALUES ('ab'), ('x'), (NULL), ('zz')",
		"INSERT INTO ib VALUES ('ab'), ('x'), (NULL), ('zz  ')")
	for _, tc := range []struct{ sql, want string }{
		{"SELECT count(*) FROM ia WHERE c IN (SELECT t FROM ib)", "2"},
		{"SELECT count(*) FROM ia WHERE EXISTS (SELECT 1 FROM ib WHERE ib.t = ia.c)", "2"},
		{"SELECT c, c = 'zz  '::text, c IN ('zz  '::text), c IN ('zz  '::text, 'q'::text) FROM ia ORDER BY c",
			"ab  |f|f|f x   |f|f|f zz  |f|f|t NULL|NULL|NULL|NULL"},
	} {
		var got []string
		for _, r := range rowsText(t, conn, tc.sql) {
			got = append(got, strings.Join(r, "|"))
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%s = %s, want %s", tc.sql, g, tc.want)
		}
	}
	if _, err := conn.Exec(ctx(t), "SELECT 1 IN (SELECT 'a'::text)"); sqlstate(err) != "42883" {
		t.Errorf("integer IN (text subquery): got %v, want 42883", err)
	}
}
