package server

import (
	"testing"

	"github.com/jackc/pgx/v5"
)

// LOCALTIME(p), LOCALTIMESTAMP(p) and CURRENT_TIMESTAMP(p) describe their
// columns as time(p), timestamp(p) and timestamptz(p) (type OIDs 1083,
// 1114, 1184 with typmod p), as PostgreSQL's RowDescription does; a
// precision above 6 is 6 with PostgreSQL's warning, which has no
// position; CURRENT_TIME, of type timetz, is refused with 0A000.
func TestLocaltimeDescription(t *testing.T) {
	srv, _ := startServer(t)
	c, conn, notices := connectWithNotices(t, srv)
	rows, err := conn.Query(c, "SELECT localtime(3), localtimestamp(1), current_timestamp(2), localtime, localtime(9)", pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatal(err)
	}
	fields := rows.FieldDescriptions()
	for rows.Next() {
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name   string
		oid    uint32
		typmod int32
	}{{"localtime", 1083, 3}, {"localtimestamp", 1114, 1}, {"current_timestamp", 1184, 2}, {"localtime", 1083, -1}, {"localtime", 1083, 6}}
	if len(fields) != len(want) {
		t.Fatalf("got %d fields", len(fields))
	}
	for i, w := range want {
		f := fields[i]
		if f.Name != w.name || f.DataTypeOID != w.oid || f.TypeModifier != w.typmod {
			t.Errorf("column %d: got %s oid %d typmod %d, want %+v", i+1, f.Name, f.DataTypeOID, f.TypeModifier, w)
		}
	}
	if len(*notices) != 1 || (*notices)[0].Message != "TIME(9) precision reduced to maximum allowed, 6" || (*notices)[0].Code != "22023" || (*notices)[0].Position != 0 {
		t.Errorf("notices: %+v", *notices)
	}
	for _, q := range []string{"SELECT current_time", "SELECT current_time(2)"} {
		if _, err := conn.Exec(c, q); sqlstate(err) != "0A000" {
			t.Errorf("%s: got %v, want 0A000", q, err)
		}
	}
}
