package server

import (
	"reflect"
	"testing"
)

// DISCARD answers with PostgreSQL's command tags, and DISCARD TEMP drops
// only the temporary tables of the session that runs it.
func TestDiscardTagsAndSessions(t *testing.T) {
	_, connect := startServer(t)
	a, b := connect(t), connect(t)
	mustExec(t, a, "CREATE TEMP TABLE mine (x int)", "INSERT INTO mine VALUES (1)")
	mustExec(t, b, "CREATE TEMP TABLE mine (x int)", "INSERT INTO mine VALUES (2)")
	for _, s := range []struct{ sql, tag string }{
		{"DISCARD PLANS", "DISCARD PLANS"},
		{"DISCARD SEQUENCES", "DISCARD SEQUENCES"},
		{"DISCARD TEMPORARY", "DISCARD TEMP"},
		{"DISCARD TEMP", "DISCARD TEMP"},
		{"DISCARD ALL", "DISCARD ALL"},
	} {
		tag, err := a.Exec(ctx(t), s.sql)
		if err != nil {
			t.Fatalf("%s: %v", s.sql, err)
		}
		if tag.String() != s.tag {
			t.Fatalf("%s: tag %q, want %q", s.sql, tag, s.tag)
		}
	}
	if _, err := a.Exec(ctx(t), "SELECT * FROM mine"); sqlstate(err) != "42P01" {
		t.Fatalf("after DISCARD TEMP the session's temporary table remains: %v", err)
	}
	if got := rowsText(t, b, "SELECT x FROM mine"); !reflect.DeepEqual(got, [][]string{{"2"}}) {
		t.Fatalf("another session's temporary table: %v", got)
	}
}
