package server

import (
	"encoding/binary"
	"reflect"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
)

// A reg* result column prints its object's name in text format and is
// the 4-byte OID in binary format, as regclassout and regclasssend do;
// its RowDescription type is the reg* type's.
func TestRegclassResultFormats(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE rcf_t (a int)")
	for _, format := range []int16{0, 1} {
		res := conn.PgConn().ExecParams(ctx(t), "SELECT 'pg_class'::regclass, 'rcf_t'::regclass::oid", nil, nil, nil, []int16{format}).Read()
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := res.FieldDescriptions[0].DataTypeOID; got != 2205 {
			t.Fatalf("regclass column has type OID %d, want 2205", got)
		}
		v := res.Rows[0][0]
		switch format {
		case 0:
			if string(v) != "pg_class" {
				t.Fatalf("text regclass = %q, want pg_class", v)
			}
		case 1:
			if len(v) != 4 || binary.BigEndian.Uint32(v) != 1259 {
				t.Fatalf("binary regclass = %x, want the OID 1259", v)
			}
		}
	}
}

// A relation name sent as a parameter reads as regclass input, at run
// time: the parameter is text.
func TestRegclassParameter(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE rcf_p (a int)", "CREATE SEQUENCE rcf_seq")
	var name string
	if err := conn.QueryRow(ctx(t), "SELECT relname::text FROM pg_class WHERE oid = $1::regclass", "rcf_p").Scan(&name); err != nil || name != "rcf_p" {
		t.Fatalf("relname = %q, %v; want rcf_p", name, err)
	}
	var v int64
	if err := conn.QueryRow(ctx(t), "SELECT nextval($1)", "rcf_seq").Scan(&v); err != nil || v != 1 {
		t.Fatalf("nextval($1) = %d, %v; want 1", v, err)
	}
	if _, err := conn.Exec(ctx(t), "SELECT $1::regclass", "rcf_nosuch"); sqlstate(err) != "42P01" {
		t.Fatalf("a missing relation as a parameter: %v, want 42P01", err)
	}
}

// Names are read from the catalog the statement sees: a relation created
// earlier in the same Query message, or in the open transaction block;
// serial columns (nextval('...'::regclass) defaults) work in both.
func TestRegclassSeesNewObjects(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	res, err := conn.PgConn().Exec(ctx(t), "CREATE TABLE rcf_a (id serial, v int); INSERT INTO rcf_a (v) VALUES (7); SELECT 'rcf_a'::regclass, id FROM rcf_a").ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	last := res[len(res)-1].Rows
	if len(last) != 1 || string(last[0][0]) != "rcf_a" || string(last[0][1]) != "1" {
		t.Fatalf("got %q", last)
	}
	tx, err := conn.Begin(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{"CREATE TABLE rcf_b (id serial, v int)", "INSERT INTO rcf_b (v) VALUES (1), (2)"} {
		if _, err := tx.Exec(ctx(t), sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	rows, err := tx.Query(ctx(t), "SELECT c.oid::regclass::text, max(b.id) FROM pg_class c, rcf_b b WHERE c.oid = 'rcf_b'::regclass GROUP BY 1", pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for rows.Next() {
		var name string
		var id int64
		if err := rows.Scan(&name, &id); err != nil {
			t.Fatal(err)
		}
		got = append(got, []string{name, strconv.FormatInt(id, 10)})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, [][]string{{"rcf_b", "2"}}) {
		t.Fatalf("got %v", got)
	}
	if err := tx.Rollback(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx(t), "SELECT 'rcf_b'::regclass"); sqlstate(err) != "42P01" {
		t.Fatalf("a relation of a rolled-back block: %v, want 42P01", err)
	}
}
