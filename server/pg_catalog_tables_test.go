package server

import (
	"fmt"
	"testing"
)

// The OIDs the catalogs hand out agree with each other and with what
// RowDescription tells a client: a driver that learns a column's table
// OID, attnum and type OID from a result finds the column in
// pg_attribute and its type in pg_type.
func TestCatalogOIDsAgreeWithRowDescription(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TYPE mood AS ENUM ('sad', 'ok')",
		"CREATE DOMAIN posint AS int CHECK (VALUE > 0)",
		"CREATE TABLE t (id serial PRIMARY KEY, m mood, q posint, name varchar(10))",
		"CREATE VIEW v AS SELECT id, m FROM t")

	rows, err := conn.Query(ctx(t), "SELECT id, m, q, name FROM t")
	if err != nil {
		t.Fatal(err)
	}
	fields := rows.FieldDescriptions()
	rows.Close()
	for _, f := range fields {
		var name, typname string
		var typmod int32
		err := conn.QueryRow(ctx(t), `SELECT a.attname, ty.typname, a.atttypmod
			FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
			WHERE a.attrelid = $1 AND a.attnum = $2`, f.TableOID, int16(f.TableAttributeNumber)).Scan(&name, &typname, &typmod)
		if err != nil {
			t.Fatalf("column %s: %v", f.Name, err)
		}
		if name != f.Name {
			t.Errorf("RowDescription's %s is pg_attribute's %s", f.Name, name)
		}
		// A domain column reads as its base type on the wire, and is of
		// the domain in pg_attribute.
		if f.Name != "q" {
			var wireType string
			if err := conn.QueryRow(ctx(t), "SELECT typname FROM pg_catalog.pg_type WHERE oid = $1", f.DataTypeOID).Scan(&wireType); err != nil {
				t.Fatalf("type of %s: %v", f.Name, err)
			}
			if wireType != typname || typmod != f.TypeModifier {
				t.Errorf("%s: wire type %s(%d), pg_attribute's %s(%d)", f.Name, wireType, f.TypeModifier, typname, typmod)
			}
		} else if typname != "posint" {
			t.Errorf("q is of %s in pg_attribute", typname)
		}
	}

	// pg_class.reltype is the row type whose typrelid is the table, and
	// its array type names it as its element.
	var withRowType int
	err = conn.QueryRow(ctx(t), `SELECT count(*)
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_type ty ON ty.oid = c.reltype JOIN pg_catalog.pg_type arr ON arr.typelem = ty.oid
		WHERE c.relname IN ('t', 'v') AND ty.typrelid = c.oid AND ty.typname = c.relname AND ty.typarray = arr.oid`).Scan(&withRowType)
	if err != nil || withRowType != 2 {
		t.Errorf("relations with their row types: %d %v", withRowType, err)
	}

	// Every key column of pg_index and pg_constraint is an attribute of
	// its table.
	var bad int
	err = conn.QueryRow(ctx(t), `SELECT count(*) FROM pg_catalog.pg_constraint c
		WHERE c.conrelid <> 0 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey))`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Errorf("constraints without their columns: %d %v", bad, err)
	}
	err = conn.QueryRow(ctx(t), `SELECT count(*) FROM pg_catalog.pg_index x
		JOIN pg_catalog.pg_constraint c ON c.conindid = x.indexrelid AND c.contype IN ('p', 'u')
		WHERE x.indrelid <> c.conrelid`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Errorf("indexes of other tables' keys: %d %v", bad, err)
	}

	// The sequence of a serial column is found as pg_get_serial_sequence
	// finds it, through pg_depend.
	var seq string
	err = conn.QueryRow(ctx(t), `SELECT s.relname FROM pg_catalog.pg_depend d
		JOIN pg_catalog.pg_class s ON s.oid = d.objid JOIN pg_catalog.pg_class tb ON tb.oid = d.refobjid
		JOIN pg_catalog.pg_attribute a ON a.attrelid = tb.oid AND a.attnum = d.refobjsubid
		WHERE d.classid = 1259 AND d.refclassid = 1259 AND d.deptype IN ('a', 'i') AND s.relkind = 'S'
		  AND tb.relname = 't' AND a.attname = 'id'`).Scan(&seq)
	if err != nil || seq != "t_id_seq" {
		t.Errorf("serial's sequence: %q %v", seq, err)
	}

	// Every function pg_type names is in pg_proc.
	err = conn.QueryRow(ctx(t), `SELECT count(*) FROM pg_catalog.pg_type ty
		LEFT JOIN pg_catalog.pg_proc i ON i.oid = ty.typinput
		LEFT JOIN pg_catalog.pg_proc o ON o.oid = ty.typoutput
		WHERE i.oid IS NULL OR o.oid IS NULL`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Errorf("types whose I/O functions pg_proc lacks: %d %v", bad, err)
	}
}

// The catalogs show what the statement's transaction sees: objects it
// created, not those it dropped, and nothing after a rollback.
func TestCatalogTablesFollowTheTransaction(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	count := func(table, where string) int {
		t.Helper()
		var n int
		if err := conn.QueryRow(ctx(t), fmt.Sprintf("SELECT count(*) FROM pg_catalog.%s WHERE %s", table, where)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	attrs := func() int {
		return count("pg_attribute", "attnum > 0 AND attrelid IN (SELECT oid FROM pg_catalog.pg_class WHERE relname = 'tx')")
	}
	mustExec(t, conn, "BEGIN", "CREATE TABLE tx (a int PRIMARY KEY, b text CHECK (b <> ''))", "COMMENT ON TABLE tx IS 'in a transaction'")
	if n := attrs(); n != 2 {
		t.Errorf("inside the transaction, tx has %d attributes", n)
	}
	if n := count("pg_constraint", "conname LIKE 'tx_%'"); n != 2 {
		t.Errorf("inside the transaction, tx has %d constraints", n)
	}
	if n := count("pg_description", "description = 'in a transaction'"); n != 1 {
		t.Errorf("inside the transaction, %d comments", n)
	}
	mustExec(t, conn, "ROLLBACK")
	if n := attrs(); n != 0 {
		t.Errorf("after ROLLBACK, tx has %d attributes", n)
	}
	if n := count("pg_constraint", "conname LIKE 'tx_%'"); n != 0 {
		t.Errorf("after ROLLBACK, %d constraints", n)
	}
}

// A view that cannot be bound any more (its table was defined with names
// only its creator's search_path resolves) hides its own columns, not
// every other relation's: psql's \d of a table still works.
func TestAttributesSurviveAnUnbindableView(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE SCHEMA s", "SET search_path = s", "CREATE TABLE s.base (x int)",
		"CREATE VIEW s.bv AS SELECT x FROM base", "RESET search_path", "CREATE TABLE plain (y int)")
	other := connect(t)
	var n int
	if err := other.QueryRow(ctx(t), `SELECT count(*) FROM pg_catalog.pg_attribute a
		JOIN pg_catalog.pg_class c ON c.oid = a.attrelid WHERE c.relname = 'plain' AND a.attnum > 0`).Scan(&n); err != nil || n != 1 {
		t.Errorf("plain's attributes: %d %v", n, err)
	}
}

// TestEverySystemViewAnswers: every view pg_catalog and
// information_schema list can be read whole, with as many values in each
// row as it has columns in pg_attribute.
func TestEverySystemViewAnswers(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE t (id serial PRIMARY KEY, v text)", "CREATE INDEX ON t (v)", "CREATE VIEW tv AS SELECT * FROM t")
	views := rowsText(t, conn, `SELECT n.nspname, c.relname, (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0)
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind = 'v' AND n.nspname IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`)
	if len(views) == 0 {
		t.Fatal("no system views listed")
	}
	for _, v := range views {
		rows, err := conn.Query(ctx(t), fmt.Sprintf("SELECT * FROM %s.%s", v[0], v[1]))
		if err != nil {
			t.Errorf("%s.%s: %v", v[0], v[1], err)
			continue
		}
		n := len(rows.FieldDescriptions())
		for rows.Next() {
		}
		if err := rows.Err(); err != nil {
			t.Errorf("%s.%s: %v", v[0], v[1], err)
		}
		if fmt.Sprint(n) != v[2] {
			t.Errorf("%s.%s: %d columns, pg_attribute lists %s", v[0], v[1], n, v[2])
		}
	}
}
