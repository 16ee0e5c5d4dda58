package pgcopy

import (
	"bytes"
	"encoding/binary"
	"fmt"
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

// readResult is everything a Reader gave: the rows as text, the error
// with its SQLSTATE and context, and the line it ended on.
type readResult struct {
	rows []string
	err  string
	line int64
}

// chunking is how a parallel Reader cuts its input in a test: after a
// prelude of 1 to 3 rows decoded on the caller's goroutine (1 with one
// row per chunk), in chunks of maxRows rows or maxBytes bytes.
type chunking struct {
	workers, maxRows, maxBytes int
}

func (c chunking) prelude() int { return 1 + (c.maxRows+2)%3 }

// readWith reads data with a sequential Reader (c.workers <= 1) or a
// parallel one cut as c says, through split.
func readWith(t testing.TB, data []byte, types []catalog.Type, opts Options, c chunking, split func(io.Reader) io.Reader) readResult {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	rd := NewReader(split(bytes.NewReader(data)), types, opts, mem)
	rd.SetWorkers(c.workers)
	if rd.par != nil {
		rd.par.prelude, rd.par.maxRows, rd.par.maxBytes = c.prelude(), c.maxRows, c.maxBytes
	}
	var res readResult
	for {
		rec, err := rd.Next()
		if err != nil {
			pe := pgerr.From(err)
			res.err = fmt.Sprintf("%s %s | %s | %s", pe.Code, pe.Message, pe.Detail, pe.Where)
			break
		}
		if rec == nil {
			break
		}
		res.rows = append(res.rows, rowsText(t.(*testing.T), []arrow.Record{rec})...)
		rec.Release()
	}
	res.line = rd.Line()
	rd.Close()
	mem.AssertSize(t, 0)
	return res
}

// sameResult reports whether got is what want says: the same error and
// line, and the same rows; but when there is an error, the rows got
// returned before it need only be a prefix of want's (records are cut
// differently, and neither Reader returns the record the error is in).
func sameResult(got, want readResult) bool {
	if got.err != want.err || got.line != want.line {
		return false
	}
	if want.err != "" && len(got.rows) <= len(want.rows) {
		want.rows = want.rows[:len(got.rows)]
	}
	return strings.Join(got.rows, "\n") == strings.Join(want.rows, "\n")
}

func wholeReader(r io.Reader) io.Reader { return r }

// chunkings straddle rows every way: one row per chunk, a few, chunks cut
// by bytes mid-row, and BatchRows.
var chunkings = []chunking{
	{2, 1, 1 << 30}, {2, 2, 1 << 30}, {3, 3, 1 << 30}, {2, 7, 1 << 30},
	{2, BatchRows, 1}, {4, BatchRows, 17}, {2, 5, 64}, {3, BatchRows, 200},
}

// compareParallel checks that every chunking of data reads as the
// sequential Reader reads it.
func compareParallel(t *testing.T, name string, data []byte, types []catalog.Type, opts Options) {
	t.Helper()
	want := readWith(t, data, types, opts, chunking{}, wholeReader)
	if want.err != "" {
		// One row per chunk returns every row before the error.
		rowByRow := readWith(t, data, types, opts, chunkings[0], wholeReader)
		if !sameResult(want, rowByRow) {
			t.Fatalf("%s, one row per chunk: got %d rows, %q; want %q", name, len(rowByRow.rows), rowByRow.err, want.err)
		}
		want = rowByRow
	}
	for _, c := range chunkings {
		for _, split := range []func(io.Reader) io.Reader{wholeReader, iotest.OneByteReader, randomChunks} {
			got := readWith(t, data, types, opts, c, split)
			if !sameResult(got, want) {
				t.Fatalf("%s, chunking %+v:\n got %d rows, %q, line %d\nwant %d rows, %q, line %d\ninput %q",
					name, c, len(got.rows), got.err, got.line, len(want.rows), want.err, want.line, data)
			}
		}
	}
}

// genText writes rows of threeCols in the text format with escapes,
// escaped newlines, NULLs, CRLF and, now and then, a flaw.
func genText(rnd *rand.Rand, rows int, header bool) []byte {
	var b bytes.Buffer
	if header {
		b.WriteString("a\tb\tc\n")
	}
	values := []string{"plain", `a\tb`, `back\\slash`, "line\\\ncontinued", `\N`, "", `\x41\101`, `ends with\\`, "é"}
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "%d\t%s\t2024-01-%02d", i, values[rnd.Intn(len(values))], 1+i%28)
		switch rnd.Intn(40) {
		case 0:
			b.WriteString("\r\n")
		case 1:
			b.WriteString("\tx\n") // extra data
		case 2:
			b.WriteString("\\.\n") // the end marker after a row
		default:
			b.WriteString("\n")
		}
		switch rnd.Intn(60) {
		case 0:
			b.WriteString("abc\tx\t2024-01-01\n") // a bad integer
		case 1:
			b.WriteString("\\.\n") // the end marker alone
		case 2:
			b.WriteString("7\tx\\.y\t2024-01-01\n") // a corrupt end marker
		case 3:
			b.WriteString("7\tx\n") // missing data
		}
	}
	if rnd.Intn(3) == 0 {
		b.WriteString("99\tno newline\t2024-02-02")
	}
	return b.Bytes()
}

// genCSV writes CSV rows with quoted delimiters, newlines, CRs, quotes
// and, now and then, a flaw; escape is the escape character.
func genCSV(rnd *rand.Rand, rows int, header bool, escape byte) []byte {
	var b bytes.Buffer
	if header {
		b.WriteString("a,\"b\nwith newline\",c\n")
	}
	q := func(s string) string {
		s = strings.ReplaceAll(s, string(escape), string(escape)+string(escape))
		if escape != '"' {
			s = strings.ReplaceAll(s, `"`, string(escape)+`"`)
		} else {
			s = strings.ReplaceAll(s, `"`, `""`)
		}
		return `"` + s + `"`
	}
	values := []string{"plain", q("a,b"), q("multi\nline\nvalue"), q(`say "hi"`), "", q(""), q("cr\r\nlf"), `un"quo"ted`, q(`back\slash`), q("\\.")}
	ends := []string{"\n", "\n", "\n", "\r\n", "\r"}
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "%d,%s,2024-01-%02d%s", i, values[rnd.Intn(len(values))], 1+i%28, ends[rnd.Intn(len(ends))])
		switch rnd.Intn(60) {
		case 0:
			b.WriteString("x,y,2024-01-01\n") // a bad integer
		case 1:
			b.WriteString("\\.\n") // the end marker
		case 2:
			b.WriteString("1,2\n") // missing data
		case 3:
			b.WriteString("1,2,2024-01-01,4\n") // extra data
		case 4:
			b.WriteString("1,x,2024-13-45\n") // a bad date
		}
	}
	switch rnd.Intn(4) {
	case 0:
		b.WriteString("99,\"unterminated\nquoted field,2024-01-01\n")
	case 1:
		b.WriteString("99,last,2024-02-02")
	}
	return b.Bytes()
}

// genBinary writes tuples of threeCols in the binary format and, now and
// then, a flaw.
func genBinary(rnd *rand.Rand, rows int) []byte {
	var b bytes.Buffer
	b.Write(binarySignature)
	b.Write([]byte{0, 0, 0, 0, 0, 0, 0, 3, 'e', 'x', 't'})
	u16 := func(v int) { b.Write(binary.BigEndian.AppendUint16(nil, uint16(v))) }
	u32 := func(v int) { b.Write(binary.BigEndian.AppendUint32(nil, uint32(v))) }
	for i := 0; i < rows; i++ {
		u16(3)
		if rnd.Intn(5) == 0 {
			u32(-1)
		} else {
			u32(4)
			u32(i)
		}
		s := strings.Repeat("x", rnd.Intn(40))
		u32(len(s))
		b.WriteString(s)
		u32(4)
		u32(i % 5000)
		switch rnd.Intn(80) {
		case 0:
			u16(2) // a wrong field count
		case 1:
			u16(3)
			u32(2) // a short integer
			u16(1)
			u32(-1)
			u32(-1)
		case 2:
			u16(3)
			u32(-5) // an invalid field size
		case 3:
			u16(-1) // the trailer, then garbage
			b.WriteString("garbage")
		}
	}
	switch rnd.Intn(4) {
	case 0:
		u16(-1)
	case 1:
		u16(3)
		u32(4) // cut short
	}
	return b.Bytes()
}

func TestParallelMatchesSequential(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	for k := 0; k < 30; k++ {
		rows := 1 + rnd.Intn(60)
		header := k%2 == 0
		o := threeOptions(Text)
		o.Header, o.HeaderMatch = header, header && k%4 == 0
		compareParallel(t, fmt.Sprintf("text %d", k), genText(rnd, rows, header), threeCols, o)

		o = threeOptions(CSV)
		o.Header, o.HeaderMatch = header, header && k%4 == 2
		escape := byte('"')
		if k%3 == 0 {
			escape = '\\'
		}
		o.Escape = escape
		if k%4 == 1 {
			o.ForceNull, o.ForceNotNull = []bool{false, true, false}, []bool{false, false, true}
		}
		compareParallel(t, fmt.Sprintf("csv %d", k), genCSV(rnd, rows, header, escape), threeCols, o)

		compareParallel(t, fmt.Sprintf("binary %d", k), genBinary(rnd, rows), threeCols, threeOptions(Binary))
	}
}

// TestParallelNoColumns reads rows of no columns (COPY t () FROM ...).
func TestParallelNoColumns(t *testing.T) {
	compareParallel(t, "text", []byte("\n\n\n\n\n\nx\n\n"), nil, threeOptions(Text))
	compareParallel(t, "csv", []byte("\n\n\r\n\n\n\n\"\"\n"), nil, threeOptions(CSV))
	bin := append([]byte{}, binarySignature...)
	bin = append(bin, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff)
	compareParallel(t, "binary", bin, nil, threeOptions(Binary))
}

// TestParallelPostgresFiles reads the files PostgreSQL wrote in parallel.
func TestParallelPostgresFiles(t *testing.T) {
	for _, c := range []struct {
		file   string
		format Format
	}{{"alltypes.txt", Text}, {"alltypes.csv", CSV}, {"alltypes.bin", Binary}} {
		data, err := readTestdata(c.file)
		if err != nil {
			t.Fatal(err)
		}
		compareParallel(t, c.file, data, allTypes, allOptions(c.format))
	}
}

// TestParallelErrorOrder puts a bad value in every row in turn, and a
// second one later: the first in input order is the one reported, with
// its line, whichever chunk a worker finishes first.
func TestParallelErrorOrder(t *testing.T) {
	const rows = 40
	for bad := 0; bad < rows; bad += 3 {
		var b bytes.Buffer
		for i := 0; i < rows; i++ {
			switch {
			case i == bad:
				b.WriteString("1,x,2024-02-30\n")
			case i == bad+5:
				b.WriteString("oops,x,2024-01-01\n")
			default:
				fmt.Fprintf(&b, "%d,\"row\n%d\",2024-01-01\n", i, i)
			}
		}
		want := readWith(t, b.Bytes(), threeCols, threeOptions(CSV), chunking{}, wholeReader)
		// Records take two lines, but as in PostgreSQL the first one's
		// quoted newline is not counted.
		line := 2*bad + 1
		if bad > 0 {
			line--
		}
		if !strings.Contains(want.err, fmt.Sprintf("line %d,", line)) {
			t.Fatalf("sequential: %q", want.err)
		}
		rowByRow := readWith(t, b.Bytes(), threeCols, threeOptions(CSV), chunkings[0], wholeReader)
		if !sameResult(want, rowByRow) || len(rowByRow.rows) != bad {
			t.Fatalf("bad row %d, one row per chunk: %d rows, %q", bad, len(rowByRow.rows), rowByRow.err)
		}
		for _, c := range chunkings {
			if got := readWith(t, b.Bytes(), threeCols, threeOptions(CSV), c, wholeReader); !sameResult(got, rowByRow) {
				t.Fatalf("bad row %d, chunking %+v: got %q, want %q", bad, c, got.err, want.err)
			}
		}
	}
}

// TestParallelLarge reads a few default chunks in parallel: the rows are
// the sequential Reader's.
func TestParallelLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	const rows = BatchRows + 123
	csv := lineitemCSV(rows)
	for _, c := range []struct {
		format Format
		data   []byte
	}{{CSV, csv}, {Text, lineitemAs(t, csv, Text)}, {Binary, lineitemAs(t, csv, Binary)}} {
		o := DefaultOptions(c.format)
		seq, err := readAll(t, bytes.NewReader(c.data), lineitemTypes, o)
		if err != nil {
			t.Fatal(err)
		}
		rd := NewReader(bytes.NewReader(c.data), lineitemTypes, o, nil)
		rd.SetWorkers(2)
		var par []arrow.Record
		for {
			rec, err := rd.Next()
			if err != nil {
				t.Fatal(err)
			}
			if rec == nil {
				break
			}
			if len(par) == 1 && (rd.par == nil || !rd.par.running) {
				t.Errorf("%s: no workers", c.format)
			}
			par = append(par, rec)
		}
		rd.Close()
		if len(par) < 4 || !sameRows(seq, par) {
			t.Errorf("%s: %d records differ from the sequential Reader's", c.format, len(par))
		}
		for _, rec := range append(seq, par...) {
			rec.Release()
		}
	}
}

// sameRows reports whether two lists of records hold equal rows, however
// they are cut into records.
func sameRows(a, b []arrow.Record) bool {
	flatten := func(recs []arrow.Record) []arrow.Array {
		var cols []arrow.Array
		for c := 0; c < int(recs[0].NumCols()); c++ {
			var parts []arrow.Array
			for _, rec := range recs {
				parts = append(parts, rec.Column(c))
			}
			col, err := array.Concatenate(parts, memory.DefaultAllocator)
			if err != nil {
				panic(err)
			}
			cols = append(cols, col)
		}
		return cols
	}
	ac, bc := flatten(a), flatten(b)
	for c := range ac {
		if !array.Equal(ac[c], bc[c]) {
			return false
		}
	}
	return true
}

// TestParallelSmallInputStaysSequential: an input within one chunk is
// decoded on the caller's goroutine.
func TestParallelSmallInputStaysSequential(t *testing.T) {
	rd := NewReader(strings.NewReader("1,a,2024-01-01\n2,b,2024-01-02\n"), threeCols, threeOptions(CSV), nil)
	rd.SetWorkers(4)
	p := rd.par
	rec, err := rd.Next()
	if err != nil || rec == nil || rec.NumRows() != 2 {
		t.Fatalf("got %v, %v", rec, err)
	}
	rec.Release()
	if p.active || p.running {
		t.Error("workers started for a small input")
	}
	rd.Close()
}

// TestParallelCloseEarly stops a parallel Reader before the end: the
// records decoded and not returned are released.
func TestParallelCloseEarly(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	data := genText(rand.New(rand.NewSource(2)), 500, false)
	rd := NewReader(bytes.NewReader(bytes.ReplaceAll(data, []byte("\\."), []byte("x"))), threeCols, threeOptions(Text), mem)
	rd.SetWorkers(3)
	rd.par.prelude, rd.par.maxRows = 5, 10
	rec, _ := rd.Next()
	if rec != nil {
		rec.Release()
	}
	rd.Close()
	if rec, err := rd.Next(); rec != nil || err != nil {
		t.Errorf("after Close: %v, %v", rec, err)
	}
	mem.AssertSize(t, 0)
}

// failingReader returns data, then err.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

// TestParallelReadError: an error reading the input comes after the rows
// before it, and after an earlier row's error.
func TestParallelReadError(t *testing.T) {
	readErr := pgerr.New(pgerr.QueryCanceled, "COPY from stdin failed: stop")
	for _, bad := range []bool{false, true} {
		var b bytes.Buffer
		for i := 0; i < 50; i++ {
			if bad && i == 30 {
				b.WriteString("x\ty\t2024-01-01\n")
				continue
			}
			fmt.Fprintf(&b, "%d\tv\t2024-01-01\n", i)
		}
		b.WriteString("77\tpartial")
		var results []readResult
		for _, c := range append([]chunking{{}}, chunkings...) {
			split := func(io.Reader) io.Reader { return &failingReader{data: b.Bytes(), err: readErr} }
			results = append(results, readWith(t, nil, threeCols, threeOptions(Text), c, split))
		}
		// results[1] is one row per chunk: every row before the error.
		if n := len(results[1].rows); n != map[bool]int{false: 50, true: 30}[bad] {
			t.Errorf("bad %v: %d rows before the error", bad, n)
		}
		for i, r := range results {
			if !sameResult(r, results[1]) {
				t.Errorf("bad %v, chunking %d: got %d rows %q, want %d rows %q", bad, i, len(r.rows), r.err, len(results[1].rows), results[1].err)
			}
		}
		if wantErr := map[bool]string{false: "57014", true: "22P02"}[bad]; !strings.HasPrefix(results[0].err, wantErr) {
			t.Errorf("bad %v: %q", bad, results[0].err)
		}
	}
}

func readTestdata(name string) ([]byte, error) { return os.ReadFile("testdata/" + name) }
