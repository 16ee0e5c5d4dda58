package suite

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/big"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/pqdb/pqdb/bench/tpch"
)

// testLineItems covers the encodings' edge cases: zero, a fraction below 1,
// a whole number, a negative, a value of four base-10000 digits, a
// separator, a quote and a backslash in text.
var testLineItems = []tpch.LineItem{
	{OrderKey: 1, PartKey: 155190, SuppKey: 7706, LineNumber: 1, Quantity: 1700, ExtendedPrice: 2116823, Discount: 4, Tax: 2,
		ReturnFlag: "N", LineStatus: "O", ShipDate: 9568, CommitDate: 9537, ReceiptDate: 9577,
		ShipInstruct: "DELIVER IN PERSON", ShipMode: "TRUCK", Comment: "egular courts above the"},
	{OrderKey: 1 << 40, PartKey: 2, SuppKey: 3, LineNumber: 7, Quantity: 0, ExtendedPrice: 123456789012, Discount: 100, Tax: -1050,
		ReturnFlag: "R", LineStatus: "F", ShipDate: -1, CommitDate: 0, ReceiptDate: 10957,
		ShipInstruct: "NONE", ShipMode: "AIR", Comment: `a, "quoted" \ comment`},
	{OrderKey: 3, PartKey: 4, SuppKey: 5, LineNumber: 2, Quantity: 1000000, ExtendedPrice: 5, Discount: 10, Tax: 99,
		ReturnFlag: "A", LineStatus: "F", ShipDate: 8000, CommitDate: 8001, ReceiptDate: 8002,
		ShipInstruct: "COLLECT COD", ShipMode: "MAIL", Comment: ""},
}

// readerOf hands out rows the way a ParquetReader does: a few at a time,
// then io.EOF with the last of them.
func readerOf(rows []tpch.LineItem, step int) func([]tpch.LineItem) (int, error) {
	return func(dst []tpch.LineItem) (int, error) {
		n := copy(dst[:min(len(dst), step)], rows)
		rows = rows[n:]
		if len(rows) == 0 {
			return n, io.EOF
		}
		return n, nil
	}
}

func writeItems(t *testing.T, format string) string {
	t.Helper()
	var b bytes.Buffer
	n, err := WriteLineItems(&b, format, readerOf(testLineItems, 2))
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(testLineItems)) {
		t.Fatalf("%s: wrote %d rows, want %d", format, n, len(testLineItems))
	}
	return b.String()
}

func TestWriteLineItemsCSV(t *testing.T) {
	want := `1,155190,7706,1,17.00,21168.23,0.04,0.02,N,O,1996-03-13,1996-02-11,1996-03-22,DELIVER IN PERSON,TRUCK,egular courts above the
1099511627776,2,3,7,0.00,1234567890.12,1.00,-10.50,R,F,1969-12-31,1970-01-01,2000-01-01,NONE,AIR,"a, ""quoted"" \ comment"
3,4,5,2,10000.00,0.05,0.10,0.99,A,F,1991-11-27,1991-11-28,1991-11-29,COLLECT COD,MAIL,""
`
	if got := writeItems(t, "csv"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWriteLineItemsText(t *testing.T) {
	want := "1\t155190\t7706\t1\t17.00\t21168.23\t0.04\t0.02\tN\tO\t1996-03-13\t1996-02-11\t1996-03-22\tDELIVER IN PERSON\tTRUCK\tegular courts above the\n" +
		"1099511627776\t2\t3\t7\t0.00\t1234567890.12\t1.00\t-10.50\tR\tF\t1969-12-31\t1970-01-01\t2000-01-01\tNONE\tAIR\ta, \"quoted\" \\\\ comment\n" +
		"3\t4\t5\t2\t10000.00\t0.05\t0.10\t0.99\tA\tF\t1991-11-27\t1991-11-28\t1991-11-29\tCOLLECT COD\tMAIL\t\n"
	if got := writeItems(t, "text"); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// TestWriteLineItemsBinary decodes the PGCOPY output with pgx's own binary
// decoders and checks every value against the row, and each numeric's
// display scale, which PostgreSQL keeps and prints.
func TestWriteLineItemsBinary(t *testing.T) {
	data := []byte(writeItems(t, "binary"))
	if !bytes.HasPrefix(data, pgcopyHeader) || len(pgcopyHeader) != 19 {
		t.Fatalf("no PGCOPY header: %q", data[:min(len(data), 19)])
	}
	data = data[len(pgcopyHeader):]
	m := pgtype.NewMap()
	take := func(n int) []byte {
		if len(data) < n {
			t.Fatalf("the file ends early")
		}
		b := data[:n]
		data = data[n:]
		return b
	}
	for i, row := range testLineItems {
		if fields := int16(binary.BigEndian.Uint16(take(2))); fields != 16 {
			t.Fatalf("row %d has %d fields", i, fields)
		}
		field := func() []byte { return take(int(binary.BigEndian.Uint32(take(4)))) }
		for j, want := range []int64{row.OrderKey, row.PartKey, row.SuppKey} {
			var got int64
			if err := m.Scan(pgtype.Int8OID, pgtype.BinaryFormatCode, field(), &got); err != nil || got != want {
				t.Errorf("row %d key %d: %d (%v), want %d", i, j, got, err, want)
			}
		}
		var line int32
		if err := m.Scan(pgtype.Int4OID, pgtype.BinaryFormatCode, field(), &line); err != nil || line != row.LineNumber {
			t.Errorf("row %d line number %d (%v)", i, line, err)
		}
		for j, cents := range []int64{row.Quantity, row.ExtendedPrice, row.Discount, row.Tax} {
			src := field()
			var n pgtype.Numeric
			if err := m.Scan(pgtype.NumericOID, pgtype.BinaryFormatCode, src, &n); err != nil {
				t.Fatalf("row %d numeric %d: %v", i, j, err)
			}
			got := new(big.Rat).SetInt(n.Int)
			scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(n.Exp))), nil))
			if n.Exp < 0 {
				got.Quo(got, scale)
			} else {
				got.Mul(got, scale)
			}
			if want := big.NewRat(cents, 100); got.Cmp(want) != 0 {
				t.Errorf("row %d numeric %d: %s, want %s", i, j, got.FloatString(2), want.FloatString(2))
			}
			if dscale := binary.BigEndian.Uint16(src[6:8]); dscale != 2 {
				t.Errorf("row %d numeric %d: display scale %d, want 2", i, j, dscale)
			}
			if ndigits := binary.BigEndian.Uint16(src[0:2]); ndigits > 0 && binary.BigEndian.Uint16(src[len(src)-2:]) == 0 {
				t.Errorf("row %d numeric %d: a trailing zero digit (%x)", i, j, src)
			}
		}
		for j, want := range []string{row.ReturnFlag, row.LineStatus} {
			if got := string(field()); got != want {
				t.Errorf("row %d flag %d: %q, want %q", i, j, got, want)
			}
		}
		for j, days := range []int32{row.ShipDate, row.CommitDate, row.ReceiptDate} {
			var d pgtype.Date
			if err := m.Scan(pgtype.DateOID, pgtype.BinaryFormatCode, field(), &d); err != nil {
				t.Fatal(err)
			}
			if got := d.Time.Format("2006-01-02"); got != string(appendDate(nil, days)) {
				t.Errorf("row %d date %d: %s, want %s", i, j, got, appendDate(nil, days))
			}
		}
		for j, want := range []string{row.ShipInstruct, row.ShipMode, row.Comment} {
			if got := string(field()); got != want {
				t.Errorf("row %d text %d: %q, want %q", i, j, got, want)
			}
		}
	}
	if !bytes.Equal(data, []byte{0xff, 0xff}) {
		t.Errorf("after the rows: %x, want the trailer ffff", data)
	}
}

func abs(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

func TestWriteLineItemsRejectsUnknownFormat(t *testing.T) {
	if _, err := WriteLineItems(io.Discard, "parquet", readerOf(testLineItems, 2)); err == nil || !strings.Contains(err.Error(), "parquet") {
		t.Errorf("err = %v", err)
	}
}

func TestCopyFile(t *testing.T) {
	for format, want := range map[string]string{"csv": "d/lineitem-sf1.csv", "text": "d/lineitem-sf1.tsv", "binary": "d/lineitem-sf1.pgcopy"} {
		if got := CopyFile("d/lineitem-sf1.parquet", format); got != want {
			t.Errorf("CopyFile(%s) = %s, want %s", format, got, want)
		}
	}
}
