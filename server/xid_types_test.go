package server

import (
	"bytes"
	"testing"
)

// The catalogs' id types in binary format: xid and cid are xidsend's and
// cidsend's 4 bytes, xid8 and pg_lsn 8, tid its block's 4 and offset's
// 2, as PostgreSQL 15 sends them; binary parameters read back the same.
func TestXidTypesBinary(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	res := conn.PgConn().ExecParams(ctx(t), "SELECT '4294967295'::xid, '7'::cid, '18446744073709551615'::xid8, '(4294967295,2)'::tid, '16/B374D848'::pg_lsn",
		nil, nil, nil, []int16{1}).Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want := []struct {
		oid   uint32
		bytes []byte
	}{
		{28, []byte{0xff, 0xff, 0xff, 0xff}},
		{29, []byte{0, 0, 0, 7}},
		{5069, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{27, []byte{0xff, 0xff, 0xff, 0xff, 0, 2}},
		{3220, []byte{0, 0, 0, 0x16, 0xb3, 0x74, 0xd8, 0x48}},
	}
	for i, w := range want {
		if got := res.FieldDescriptions[i].DataTypeOID; got != w.oid {
			t.Errorf("column %d has type OID %d, want %d", i, got, w.oid)
		}
		if got := res.Rows[0][i]; !bytes.Equal(got, w.bytes) {
			t.Errorf("column %d is %x in binary, want %x", i, got, w.bytes)
		}
	}

	res = conn.PgConn().ExecParams(ctx(t), "SELECT $1::xid8::text, $2::tid::text, $3::pg_lsn::text, $4::xid::text",
		[][]byte{{0xff, 0, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 3, 0, 4}, {0, 0, 0, 0x16, 0xb3, 0x74, 0xd8, 0x48}, {0, 0, 0, 9}},
		[]uint32{5069, 27, 3220, 28}, []int16{1}, nil).Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	for i, w := range []string{"18374686479671623681", "(3,4)", "16/B374D848", "9"} {
		if got := string(res.Rows[0][i]); got != w {
			t.Errorf("binary parameter %d reads as %s, want %s", i+1, got, w)
		}
	}
}
