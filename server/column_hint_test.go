package server

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestMisspeltColumnHint: an unknown column gets PostgreSQL's "Perhaps
// you meant" hint, chosen among the columns in scope as PostgreSQL
// chooses it. The expected messages and hints were printed by
// PostgreSQL 15 for the same statements.
func TestMisspeltColumnHint(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE ha (abc int, abd int, xyz int, name text)")
	mustExec(t, conn, "CREATE TABLE hb (abc int, foo int, namx text)")
	for _, c := range []struct{ q, msg, hint string }{
		{`select abx from ha`, `column "abx" does not exist`, `Perhaps you meant to reference the column "ha.abc" or the column "ha.abd".`},
		{`select ab from ha`, `column "ab" does not exist`, `Perhaps you meant to reference the column "ha.abc" or the column "ha.abd".`},
		{`select xzy from ha`, `column "xzy" does not exist`, ``},
		{`select ha.abx from ha`, `column ha.abx does not exist`, `Perhaps you meant to reference the column "ha.abc" or the column "ha.abd".`},
		{`select abcd from ha, hb`, `column "abcd" does not exist`, ``},
		{`select nme from ha`, `column "nme" does not exist`, `Perhaps you meant to reference the column "ha.name".`},
		{`select nam from ha, hb`, `column "nam" does not exist`, `Perhaps you meant to reference the column "ha.name" or the column "hb.namx".`},
		{`select foo2 from ha, hb`, `column "foo2" does not exist`, `Perhaps you meant to reference the column "hb.foo".`},
		{`select qqq from ha`, `column "qqq" does not exist`, ``},
		{`select a from ha`, `column "a" does not exist`, ``},
		{`select ab from ha, hb`, `column "ab" does not exist`, ``},
		{`select (select abx from hb) from ha`, `column "abx" does not exist`, ``},
		{`select 1 from ha where nme = 'x'`, `column "nme" does not exist`, `Perhaps you meant to reference the column "ha.name".`},
		{`select ha.fooo from ha, hb`, `column ha.fooo does not exist`, `Perhaps you meant to reference the column "hb.foo".`},
		{`select hb.abcc from ha, hb`, `column hb.abcc does not exist`, `Perhaps you meant to reference the column "hb.abc".`},
		{`select zz from ha x(zz1, zz2)`, `column "zz" does not exist`, `Perhaps you meant to reference the column "x.zz1" or the column "x.zz2".`},
	} {
		_, err := conn.Exec(ctx(t), c.q)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42703" || pe.Message != c.msg || pe.Hint != c.hint {
			t.Errorf("%s: got %v (hint %q), want 42703 %q with hint %q", c.q, err, hintOf(pe), c.msg, c.hint)
		}
	}
}

func hintOf(pe *pgconn.PgError) string {
	if pe == nil {
		return ""
	}
	return pe.Hint
}
