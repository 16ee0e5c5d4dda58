package server

import (
	"encoding/hex"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// Records over the wire: RowDescription reports record (2249), the
// binary form is record_send's (field count, then per field its type's
// OID, length and binary value), the text form record_out's. The
// expected bytes are PostgreSQL 15's for the same query, except that it
// reports a table's row type (not record) for the whole-row column.
func TestRecordsOverTheWire(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE wr (a int, b text)", "INSERT INTO wr VALUES (2, NULL)")
	const q = "SELECT ROW(1, 'a'::text, NULL::int, 2.5::numeric, ARRAY[1,2], ROW(true)), (SELECT wr FROM wr WHERE a = 2), (SELECT wr FROM wr WHERE a = 3)"
	want := []string{
		// 6 fields: int4 1; text "a"; int4 NULL; numeric 2.5; int4[]
		// {1,2}; record (true).
		"00000006" + "00000017" + "00000004" + "00000001" +
			"00000019" + "00000001" + "61" +
			"00000017" + "ffffffff" +
			"000006a4" + "0000000c" + "000200000000000100021388" +
			"000003ef" + "00000024" + "000000010000000000000017000000020000000100000004000000010000000400000002" +
			"000008c9" + "0000000d" + "00000001000000100000000101",
		// 2 fields: int4 2; text NULL.
		"00000002" + "00000017" + "00000004" + "00000002" + "00000019" + "ffffffff",
	}
	res := conn.PgConn().ExecParams(ctx(t), q, nil, nil, nil, []int16{catalog.FormatBinary}).Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	for i, f := range res.FieldDescriptions {
		if f.DataTypeOID != catalog.OIDRecord || f.DataTypeSize != -1 {
			t.Errorf("column %d: OID %d size %d, want record (2249) -1", i, f.DataTypeOID, f.DataTypeSize)
		}
	}
	for i, w := range want {
		if got := hex.EncodeToString(res.Rows[0][i]); got != w {
			t.Errorf("column %d binary:\n got %s\nwant %s", i, got, w)
		}
	}
	if res.Rows[0][2] != nil {
		t.Errorf("a NULL record was sent as %x", res.Rows[0][2])
	}

	res = conn.PgConn().ExecParams(ctx(t), q, nil, nil, nil, []int16{catalog.FormatText}).Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	for i, w := range []string{`(1,a,,2.5,"{1,2}","(t)")`, "(2,)"} {
		if got := string(res.Rows[0][i]); got != w {
			t.Errorf("column %d text: got %s, want %s", i, got, w)
		}
	}

	// Parameters as fields: an untyped one is text.
	var s string
	if err := conn.QueryRow(ctx(t), "SELECT ROW($1::int, $2)::text", 7, "a b").Scan(&s); err != nil || s != `(7,"a b")` {
		t.Errorf("ROW($1::int, $2): %q %v", s, err)
	}

	// A record parameter cannot be read (record_recv refuses anonymous
	// records, as PostgreSQL does).
	res = conn.PgConn().ExecParams(ctx(t), "SELECT $1::record", [][]byte{[]byte("(1,2)")}, []uint32{catalog.OIDRecord}, []int16{catalog.FormatText}, nil).Read()
	if sqlstate(res.Err) != "0A000" {
		t.Errorf("record parameter: got %v, want 0A000", res.Err)
	}
}
