package server

import (
	"strings"
	"testing"
	"time"
)

// TestStoredClockLiterals: a clock literal ('now', 'today', 'yesterday')
// in a DEFAULT or a view is read once, when the default or view is
// defined, as PostgreSQL folds it into a constant: DEFAULT 'now' is the
// table's creation time and a view's 'now'::timestamp the view's, on
// every later read. A text 'now' stays the word, and now() stays a call
// read at each statement.
func TestStoredClockLiterals(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `SET TimeZone = 'UTC'`,
		`CREATE TABLE clk (id int, a timestamp DEFAULT 'now', b text DEFAULT 'now', c timestamptz DEFAULT now())`,
		`CREATE VIEW clk_view AS SELECT 'now'::timestamp AS t, 'now'::text AS w, now() AS f`)
	created := rowsText(t, conn, `SELECT t::text FROM clk_view`)[0][0]
	defaults := rowsText(t, conn, `SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'clk'::regclass ORDER BY adnum`)
	time.Sleep(20 * time.Millisecond)
	mustExec(t, conn, `INSERT INTO clk (id) VALUES (1)`)
	time.Sleep(20 * time.Millisecond)
	mustExec(t, conn, `INSERT INTO clk (id) VALUES (2)`)
	got := rowsText(t, conn, `SELECT a::text, b, a < c FROM clk ORDER BY id`)
	if got[0][0] != got[1][0] || got[0][1] != "now" || got[0][2] != "t" || got[1][2] != "t" {
		t.Errorf("DEFAULT 'now' is not the creation time: %v", got)
	}
	if want := "'" + got[0][0] + "'::timestamp without time zone"; len(defaults) != 3 || defaults[0][0] != want || defaults[1][0] != "'now'::text" || defaults[2][0] != "now()" {
		t.Errorf("stored defaults %v, want %s, 'now'::text, now()", defaults, want)
	}
	later := rowsText(t, conn, `SELECT t::text, w, f > t FROM clk_view`)[0]
	if later[0] != created || later[1] != "now" || later[2] != "t" {
		t.Errorf("the view's 'now' moved: %v, created at %s", later, created)
	}
	def := rowsText(t, conn, `SELECT pg_get_viewdef('clk_view')`)[0][0]
	if !containsAll(def, "'"+created+"'::timestamp without time zone", "'now'::text", "now()") {
		t.Errorf("pg_get_viewdef: %s", def)
	}
	// A view reading another view keeps the inner view's time too.
	mustExec(t, conn, `CREATE VIEW clk_outer AS SELECT t, 'today'::date AS d FROM clk_view`)
	outer := rowsText(t, conn, `SELECT t::text, d::text = current_date::text FROM clk_outer`)[0]
	if outer[0] != created || outer[1] != "t" {
		t.Errorf("the outer view: %v, created at %s", outer, created)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
