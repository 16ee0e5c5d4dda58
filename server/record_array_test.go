package server

import (
	"encoding/hex"
	"testing"
)

// Arrays of records go over the wire as PostgreSQL 15 sends them: type
// record[] (OID 2287), and in binary array_send's layout with element
// type record (2249), each element record_send's. The expected bytes were
// read from PostgreSQL 15 with the same queries.
func TestRecordArrayBinary(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	for _, c := range []struct{ sql, hex string }{
		{"SELECT ARRAY[ROW(1, 'a'::text), NULL, ROW(NULL::int, 'bc'::text)]",
			"0000000100000001000008c900000003000000010000001900000002000000170000000400000001000000190000000161ffffffff000000160000000200000017ffffffff00000019000000026263"},
		{"SELECT array_agg(t ORDER BY x) FROM (VALUES (1, 2.5::numeric), (2, NULL)) t(x, y)",
			"0000000100000000000008c900000002000000010000002400000002000000170000000400000001000006a40000000c0002000000000001000213880000001800000002000000170000000400000002000006a4ffffffff"},
	} {
		r := conn.PgConn().ExecParams(ctx(t), c.sql, nil, nil, nil, []int16{1}).Read()
		if r.Err != nil {
			t.Fatalf("%s: %v", c.sql, r.Err)
		}
		if oid := r.FieldDescriptions[0].DataTypeOID; oid != 2287 {
			t.Errorf("%s: type OID %d, want 2287", c.sql, oid)
		}
		if got := hex.EncodeToString(r.Rows[0][0]); got != c.hex {
			t.Errorf("%s:\n got %s\nwant %s", c.sql, got, c.hex)
		}
	}
}
