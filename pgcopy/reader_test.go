package pgcopy

import (
	"bytes"
	"io"
	"math/rand"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// allTypes are the columns of testdata/alltypes.*, which PostgreSQL 15
// wrote with COPY alltypes TO STDOUT (text, CSV HEADER, BINARY) under
// TimeZone UTC.
var allTypes = []catalog.Type{
	catalog.TypeBool, catalog.TypeInt2, catalog.TypeInt4, catalog.TypeInt8,
	catalog.TypeFloat4, catalog.TypeFloat8, catalog.NumericType(12, 3),
	catalog.TypeText, catalog.VarcharType(10), catalog.BpcharType(4), catalog.TypeBytea,
	catalog.TypeDate, catalog.TypeTime, catalog.TypeTimestamp, catalog.TypeTimestampTZ,
	catalog.TypeInterval, catalog.TypeUUID, catalog.TypeJSON, catalog.TypeJSONB, catalog.TypeOid,
}

var allNames = strings.Split("b,i2,i4,i8,f4,f8,n,t,vc,c,by,d,tm,ts,tz,iv,u,j,jb,o", ",")

func allOptions(f Format) Options {
	o := DefaultOptions(f)
	o.Table, o.Columns = "alltypes", allNames
	o.Header = f == CSV
	return o
}

func readAll(t *testing.T, r io.Reader, types []catalog.Type, opts Options) ([]arrow.Record, error) {
	t.Helper()
	rd := NewReader(r, types, opts, memory.DefaultAllocator)
	var recs []arrow.Record
	for {
		rec, err := rd.Next()
		if err != nil {
			return recs, err
		}
		if rec == nil {
			return recs, nil
		}
		recs = append(recs, rec)
	}
}

// rowsText renders records as text lines with catalog's text output, for
// comparisons.
func rowsText(t *testing.T, recs []arrow.Record) []string {
	t.Helper()
	var out []string
	for _, rec := range recs {
		encs := make([]catalog.Encoder, rec.NumCols())
		for c := range encs {
			typ := allTypesOf(rec.Schema().Field(c).Type)
			enc, err := catalog.NewEncoder(typ, catalog.FormatText, nil)
			if err != nil {
				t.Fatal(err)
			}
			encs[c] = enc
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			var b []byte
			for c := 0; c < int(rec.NumCols()); c++ {
				if c > 0 {
					b = append(b, '|')
				}
				col := rec.Column(c)
				if col.IsNull(i) {
					b = append(b, "NULL"...)
					continue
				}
				b = encs[c](b, col, i)
			}
			out = append(out, string(b))
		}
	}
	return out
}

// allTypesOf maps an Arrow type back to a catalog type that prints it
// (a var-scale numeric, whose Arrow form is bytea's, prints as bytea:
// enough for tests that compare rows).
func allTypesOf(dt arrow.DataType) catalog.Type {
	for _, t := range append(append(allTypes, catalog.NumericType(15, 2), catalog.TypeText), fuzzCols...) {
		if arrow.TypeEqual(t.ArrowType(), dt) {
			return t
		}
	}
	return catalog.TypeText
}

func TestReadPostgresFiles(t *testing.T) {
	want := []string{
		`t|-32768|2147483647|-9223372036854775808|1.5|0.1|-123456.789|tab	here
newline \ back "quoted", comma|héllo|ab  |\x00ff5c0a|2024-01-31|12:34:56.5|2024-01-31 12:00:00.123456|2024-01-31 12:00:00+00|1 year 2 mons 3 days 04:05:06|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|{"b": 1, "a": [1, 2]}|{"a": [1, 2], "b": 1}|42`,
		`NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL`,
		`f|0|0|0|-Infinity|NaN|0.000|||    |\x|0044-03-15 BC|00:00:00|infinity|-infinity|-00:00:01|00000000-0000-0000-0000-000000000000|[]|null|0`,
		`f|1|2|3|1e-10|1e+100|99.500|\N|x,y|é   |\x5c4e|2000-01-01|24:00:00|1999-12-31 23:59:59|1970-01-01 00:00:00+00|-1 years +3 days|ffffffff-ffff-ffff-ffff-ffffffffffff|"\u00e9"|"é"|4294967295`,
	}
	for _, c := range []struct {
		file   string
		format Format
	}{{"alltypes.txt", Text}, {"alltypes.csv", CSV}, {"alltypes.bin", Binary}} {
		data, err := os.ReadFile("testdata/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := readAll(t, bytes.NewReader(data), allTypes, allOptions(c.format))
		if err != nil {
			t.Fatalf("%s: %v (%s)", c.file, err, pgerr.From(err).Where)
		}
		got := rowsText(t, recs)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", c.file, got, want)
		}
		if recs[0].Schema().Field(0).Name != "b" {
			t.Errorf("%s: schema %v", c.file, recs[0].Schema())
		}
		// The same data cut at every possible place reads the same.
		for _, split := range []func(io.Reader) io.Reader{iotest.OneByteReader, iotest.HalfReader, randomChunks} {
			recs, err := readAll(t, split(bytes.NewReader(data)), allTypes, allOptions(c.format))
			if err != nil {
				t.Fatalf("%s split: %v", c.file, err)
			}
			if got := rowsText(t, recs); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s split:\n got %q\nwant %q", c.file, got, want)
			}
		}
	}
}

// randomChunks reads in chunks of random sizes from 1 to 7 bytes.
func randomChunks(r io.Reader) io.Reader {
	return &chunkReader{r: r, rnd: rand.New(rand.NewSource(1))}
}

type chunkReader struct {
	r   io.Reader
	rnd *rand.Rand
}

func (c *chunkReader) Read(p []byte) (int, error) {
	n := 1 + c.rnd.Intn(7)
	if n > len(p) {
		n = len(p)
	}
	return c.r.Read(p[:n])
}

var threeCols = []catalog.Type{catalog.TypeInt4, catalog.TypeText, catalog.TypeDate}

func threeOptions(f Format) Options {
	o := DefaultOptions(f)
	o.Table, o.Columns = "ct", []string{"a", "b", "c"}
	return o
}

func TestTextFormat(t *testing.T) {
	data := "1\ta\\tb\\nc\\\\d\\101\\x41\\q\t2024-01-01\n" +
		"2\t\\N\t\\N\r\n" +
		"3\t\t2024-01-03\n" +
		"4\tline\\\ncontinued\t2024-01-04\n" +
		"\\.\n" +
		"this is after the end marker\n"
	recs, err := readAll(t, strings.NewReader(data), threeCols, threeOptions(Text))
	if err != nil {
		t.Fatal(err)
	}
	got := rowsText(t, recs)
	want := []string{"1|a\tb\nc\\dAAq|2024-01-01", "2|NULL|NULL", "3||2024-01-03", "4|line\ncontinued|2024-01-04"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q, want %q", got, want)
	}
	// The end marker may end a line that holds a row.
	recs, err = readAll(t, strings.NewReader("8\tx\t2024-01-08\\.\n9\ty\t2024-01-09\n"), threeCols, threeOptions(Text))
	if got := rowsText(t, recs); err != nil || strings.Join(got, "\n") != "8|x|2024-01-08" {
		t.Errorf("row before end marker: %q, %v", got, err)
	}
	// A custom delimiter and null string, and a last line without newline.
	o := threeOptions(Text)
	o.Delimiter, o.Null = '|', "NULL"
	recs, err = readAll(t, strings.NewReader("5|NULL|2024-01-05\n6|x\\|y|NULL"), threeCols, o)
	if err != nil {
		t.Fatal(err)
	}
	if got := rowsText(t, recs); strings.Join(got, "\n") != "5|NULL|2024-01-05\n6|x|y|NULL" {
		t.Errorf("got %q", got)
	}
}

func TestCSVFormat(t *testing.T) {
	data := "a,b,c\n" +
		"1,\"x, \"\"quoted\"\"\",2024-01-01\n" +
		"2,,\n" +
		"3,\"\",\"2024-01-03\"\r\n" +
		"4,\"multi\nline\nvalue\",2024-01-04\n" +
		"5,un\"quoted\"part,2024-01-05"
	o := threeOptions(CSV)
	o.Header = true
	recs, err := readAll(t, strings.NewReader(data), threeCols, o)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1|x, \"quoted\"|2024-01-01", "2|NULL|NULL", "3||2024-01-03", "4|multi\nline\nvalue|2024-01-04", "5|unquotedpart|2024-01-05"}
	if got := rowsText(t, recs); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, split := range []func(io.Reader) io.Reader{iotest.OneByteReader, randomChunks} {
		recs, err := readAll(t, split(strings.NewReader(data)), threeCols, o)
		if err != nil {
			t.Fatal(err)
		}
		if got := rowsText(t, recs); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("split: got %q, want %q", got, want)
		}
	}
	// A distinct escape character, a custom null, and the end marker.
	o = threeOptions(CSV)
	o.Escape, o.Null = '\\', "NULL"
	recs, err = readAll(t, strings.NewReader("1,\"a\\\"b\\\\c\",NULL\n2,\"NULL\",2024-01-02\n\\.\n9,z,x\n"), threeCols, o)
	if err != nil {
		t.Fatal(err)
	}
	if got := rowsText(t, recs); strings.Join(got, "\n") != "1|a\"b\\c|NULL\n2|NULL|2024-01-02" {
		t.Errorf("got %q", got)
	}
}

// TestErrors checks messages and contexts against PostgreSQL 15's for the
// same input.
func TestErrors(t *testing.T) {
	cases := []struct {
		format      Format
		data        string
		code, msg   string
		where       string
		header      bool
		description string
	}{
		{Text, "1\tx\t2024-01-01\n2\ty\n", pgerr.BadCopyFileFormat, `missing data for column "c"`, "COPY ct, line 2: \"2\ty\"", false, "missing"},
		{Text, "1\tx\t2024-01-01\t5\n", pgerr.BadCopyFileFormat, "extra data after last expected column", "COPY ct, line 1: \"1\tx\t2024-01-01\t5\"", false, "extra"},
		{Text, "1\tx\t2024-01-01\nabc\tx\t2024-01-01\n", pgerr.InvalidTextRepresentation, `invalid input syntax for type integer: "abc"`, `COPY ct, line 2, column a: "abc"`, false, "bad int"},
		{CSV, "a,b,c\n1,x,2024-01-01\n1,\"unterminated\n", pgerr.BadCopyFileFormat, "unterminated CSV quoted field", "COPY ct, line 4: \"1,\"unterminated\n\"", true, "unterminated"},
		{CSV, "1,x,2024-13-01\n", pgerr.DatetimeFieldOverflow, `date/time field value out of range: "2024-13-01"`, `COPY ct, line 1, column c: "2024-13-01"`, false, "bad date"},
		{CSV, "1,x\n", pgerr.BadCopyFileFormat, `missing data for column "c"`, `COPY ct, line 1: "1,x"`, false, "csv missing"},
		// PostgreSQL does not count the newlines inside quotes of the
		// first record (it counts carriage returns there), and counts
		// them in later ones.
		{CSV, "1,\"a\nb\",2024-01-01\n2,\"c\nd\",2024-01-01\nx,y,2024-01-01\n", pgerr.InvalidTextRepresentation, `invalid input syntax for type integer: "x"`, `COPY ct, line 4, column a: "x"`, false, "csv quoted newlines"},
		{CSV, "1,\"a\r\nb\",2024-01-01\r\nx,y,2024-01-01\r\n", pgerr.InvalidTextRepresentation, `invalid input syntax for type integer: "x"`, `COPY ct, line 3, column a: "x"`, false, "csv quoted CRLF"},
		{CSV, "a,\"b\nb\",c\nx,y,2024-01-01\n", pgerr.InvalidTextRepresentation, `invalid input syntax for type integer: "x"`, `COPY ct, line 2, column a: "x"`, true, "csv header with a quoted newline"},
		{Binary, "PGCOPY\n\377\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x04\x00\x00\x00\x01\xff\xff", pgerr.BadCopyFileFormat, "row field count is 1, expected 3", "COPY ct, line 1", false, "binary count"},
		{Text, "1\tx\\.y\t2024-01-01\n", pgerr.BadCopyFileFormat, "end-of-copy marker corrupt", "COPY ct, line 1", false, "corrupt end marker"},
		{Binary, "PGCOPX\n", pgerr.BadCopyFileFormat, "COPY file signature not recognized", "", false, "signature"},
		{Binary, "PGCOPY\n\377\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xffx", pgerr.BadCopyFileFormat, "received copy data after EOF marker", "COPY ct, line 1", false, "binary data after trailer"},
		{Binary, "PGCOPY\n\377\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x02\x00", pgerr.BadCopyFileFormat, "unexpected EOF in COPY data", "COPY ct, line 1", false, "binary eof"},
		{Binary, "PGCOPY\n\377\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x02\x00\x01\xff\xff\xff\xff\xff\xff\xff\xff", pgerr.InvalidBinaryRepresentation, "insufficient data left in message", "COPY ct, line 1, column a", false, "binary short int"},
	}
	for _, c := range cases {
		o := threeOptions(c.format)
		o.Header = c.header
		for _, split := range []func(io.Reader) io.Reader{func(r io.Reader) io.Reader { return r }, iotest.OneByteReader} {
			recs, err := readAll(t, split(strings.NewReader(c.data)), threeCols, o)
			pe := pgerr.From(err)
			if err == nil || pe.Code != c.code || pe.Message != c.msg || pe.Where != c.where {
				t.Errorf("%s: got %v (%s %q where %q), want %s %q where %q", c.description, err, pe.Code, pe.Message, pe.Where, c.code, c.msg, c.where)
			}
			if n := len(rowsText(t, recs)); n != 0 {
				t.Errorf("%s: %d rows returned before the error; a failed batch must not be returned", c.description, n)
			}
		}
	}
}

func TestBatches(t *testing.T) {
	var b strings.Builder
	const rows = BatchRows + 10
	for i := 0; i < rows; i++ {
		b.WriteString("7\tx\t2024-01-01\n")
	}
	recs, err := readAll(t, strings.NewReader(b.String()), threeCols, threeOptions(Text))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].NumRows() != BatchRows || recs[1].NumRows() != 10 {
		t.Fatalf("got %d records", len(recs))
	}
	for _, r := range recs {
		r.Release()
	}
	recs, err = readAll(t, strings.NewReader(""), threeCols, threeOptions(CSV))
	if err != nil || len(recs) != 0 {
		t.Fatalf("empty input: %v, %d records", err, len(recs))
	}
}

func TestInvalidOptions(t *testing.T) {
	o := DefaultOptions(CSV)
	o.Delimiter = '"'
	if _, err := NewReader(strings.NewReader(""), threeCols, o, nil).Next(); pgerr.CodeOf(err) != pgerr.InvalidParameterValue {
		t.Errorf("delimiter = quote: %v", err)
	}
}

func TestLargeBinaryValue(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 300_000)
	var data []byte
	data = append(data, binarySignature...)
	data = append(data, 0, 0, 0, 0, 0, 0, 0, 0)
	data = append(data, 0, 1, 0, byte(len(big)>>16), byte(len(big)>>8), byte(len(big)))
	data = append(data, big...)
	data = append(data, 0xff, 0xff)
	recs, err := readAll(t, bytes.NewReader(data), []catalog.Type{catalog.TypeText}, DefaultOptions(Binary))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Column(0).(*array.String).Value(0) != string(big) {
		t.Fatal("large value not read back")
	}
}
