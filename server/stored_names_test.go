package server

import "testing"

// TestStoredDefinitionsKeepTheirObjects: a view and a serial column's
// default keep the objects their names found when they were created, as
// in PostgreSQL (which stores OIDs), whatever the search_path of the
// session that reads the view or inserts: another session whose path
// finds a same-named table or sequence elsewhere first gets the view's
// own rows and the column's own sequence.
func TestStoredDefinitionsKeepTheirObjects(t *testing.T) {
	_, connect := startServer(t)
	a, b := connect(t), connect(t)
	mustExec(t, a, `CREATE SCHEMA dp`, `SET search_path = dp, public`,
		`CREATE TABLE emp (name text)`, `INSERT INTO emp VALUES ('in dp')`,
		`CREATE VIEW v AS SELECT name FROM emp`,
		`CREATE TABLE items (id serial, label text)`)
	mustExec(t, b, `CREATE TABLE public.emp (name text)`, `INSERT INTO public.emp VALUES ('in public')`,
		`CREATE SEQUENCE public.items_id_seq START 1000`)
	if got := rowsText(t, b, `SELECT name FROM dp.v`); len(got) != 1 || got[0][0] != "in dp" {
		t.Errorf("dp.v read from a session whose path is public: %v, want the row of dp.emp", got)
	}
	mustExec(t, b, `CREATE VIEW public.vv AS SELECT * FROM dp.v`)
	if got := rowsText(t, b, `SELECT name FROM vv`); len(got) != 1 || got[0][0] != "in dp" {
		t.Errorf("a view over dp.v: %v", got)
	}
	mustExec(t, b, `INSERT INTO dp.items (label) VALUES ('x')`)
	if got := rowsText(t, b, `SELECT id FROM dp.items`); got[0][0] != "1" {
		t.Errorf("serial default from a session whose path is public: id %s, want 1 from dp.items_id_seq", got[0][0])
	}
	// Printed as PostgreSQL prints them: the schema where it is not on
	// the reader's path.
	if got := rowsText(t, a, `SELECT pg_get_viewdef('dp.v'::regclass)`)[0][0]; got != " SELECT emp.name\n   FROM emp;" {
		t.Errorf("pg_get_viewdef in dp's session: %q", got)
	}
	if got := rowsText(t, b, `SELECT pg_get_viewdef('dp.v'::regclass)`)[0][0]; got != " SELECT emp.name\n   FROM dp.emp;" {
		t.Errorf("pg_get_viewdef in public's session: %q", got)
	}
	if got := rowsText(t, a, `SELECT column_default FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'id'`)[0][0]; got != "nextval('items_id_seq'::regclass)" {
		t.Errorf("column_default in dp's session: %q", got)
	}
}
