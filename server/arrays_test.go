package server

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/pqdb/pqdb/catalog"
)

// Arrays over the wire: pgx sends array parameters in binary (array_send's
// layout) and reads array results in binary; the text forms go through
// ExecParams with format 0. Values survive CHECKPOINT and a restart.
func TestArraysOverTheWire(t *testing.T) {
	dir := t.TempDir()
	srv, connect := startServerAt(t, dir)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE wa (id int PRIMARY KEY, a int[], b text[], c float8[], d date[])`)

	// Binary parameters, NULL elements included.
	one, three := int32(1), int32(3)
	_, err := conn.Exec(ctx(t), "INSERT INTO wa VALUES ($1, $2, $3, $4, NULL)",
		1, []*int32{&one, nil, &three}, []string{"a b", `c"d`, ""}, []float64{1.5})
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx(t), "INSERT INTO wa VALUES ($1, $2, $3, $4, $5)", 2, []int32{}, nil, []float64{-2}, []pgtype.Date{mustDate(t, conn, "2026-01-02")})
	if err != nil {
		t.Fatal(err)
	}

	check := func(conn *pgx.Conn) {
		t.Helper()
		var a []*int32
		var b []string
		if err := conn.QueryRow(ctx(t), "SELECT a, b FROM wa WHERE id = 1").Scan(&a, &b); err != nil {
			t.Fatal(err)
		}
		if len(a) != 3 || *a[0] != 1 || a[1] != nil || *a[2] != 3 || !slices.Equal(b, []string{"a b", `c"d`, ""}) {
			t.Fatalf("binary results: %v %q", a, b)
		}
		// x = ANY($1) with an array parameter.
		var ids []int32
		rows, err := conn.Query(ctx(t), "SELECT id FROM wa WHERE id = ANY($1) ORDER BY id", []int32{2, 5})
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int32
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		if rows.Err() != nil || !slices.Equal(ids, []int32{2}) {
			t.Fatalf("= ANY($1): %v %v", ids, rows.Err())
		}
		// Text parameters and text results, as array_in and array_out.
		res := conn.PgConn().ExecParams(ctx(t), "SELECT $1::text[] || b, a FROM wa WHERE id = $2",
			[][]byte{[]byte(`{"x,y",NULL}`), []byte("1")}, []uint32{catalog.OIDTextArray, catalog.OIDInt4}, []int16{0, 0}, []int16{0, 0}).Read()
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := string(res.Rows[0][0]) + " " + string(res.Rows[0][1]); got != `{"x,y",NULL,"a b","c\"d",""} {1,NULL,3}` {
			t.Fatalf("text: %s", got)
		}
		if oid := res.FieldDescriptions[1].DataTypeOID; oid != catalog.OIDInt4Array {
			t.Fatalf("int4[] column has OID %d", oid)
		}
	}
	check(conn)
	mustExec(t, conn, "CHECKPOINT")
	check(conn)
	conn.Close(context.Background())
	srv.Close()

	_, connect = startServerAt(t, dir)
	conn = connect(t)
	check(conn)
	var d []pgtype.Date
	var c []float64
	if err := conn.QueryRow(ctx(t), "SELECT c, d FROM wa WHERE id = 2").Scan(&c, &d); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c, []float64{-2}) || len(d) != 1 || d[0].Time.Format("2006-01-02") != "2026-01-02" {
		t.Fatalf("after restart: %v %v", c, d)
	}
}

func mustDate(t *testing.T, conn *pgx.Conn, s string) (d pgtype.Date) {
	t.Helper()
	if err := conn.QueryRow(ctx(t), "SELECT $1::date", s).Scan(&d); err != nil {
		t.Fatal(err)
	}
	return d
}

// Multi-dimensional arrays are refused, never mistaken for flat ones.
func TestArraysMultidimensionalRefused(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	for _, sql := range []string{
		"SELECT ARRAY[ARRAY[1,2],ARRAY[3,4]]",
		"SELECT '{{1,2},{3,4}}'::int[]",
		"SELECT '[0:1]={1,2}'::int[]",
	} {
		if _, err := conn.Exec(ctx(t), sql); sqlstate(err) != "0A000" {
			t.Errorf("%s: %v", sql, err)
		}
	}
	_, err := conn.Exec(ctx(t), "SELECT $1::int[]", [][]int32{{1, 2}, {3, 4}})
	if sqlstate(err) != "0A000" {
		t.Errorf("2-D binary parameter: %v", err)
	}
}
