package pgcopy

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// columnarChunk decodes data as a worker decodes a chunk of rows rows
// (past the header) with the columnar pass only: the record, or ok false
// with the Reader where the chunk starts.
func columnarChunk(t *testing.T, data []byte, types []catalog.Type, opts Options, rows int) (got []string, ok bool) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sub := NewReader(nil, types, opts, mem).chunkReader()
	sub.buf, sub.start, sub.end, sub.eof = data, 0, len(data), true
	sub.line, sub.started = 7, true
	rec, ok := sub.decodeChunkColumns(rows)
	if !ok {
		if sub.start != 0 || sub.line != 7 || len(sub.builders) != 0 {
			t.Fatalf("a chunk given up left the Reader at byte %d, line %d, %d builders", sub.start, sub.line, len(sub.builders))
		}
		return nil, false
	}
	defer rec.Release()
	if sub.start != len(data) {
		t.Fatalf("the columnar pass stopped at byte %d of %d", sub.start, len(data))
	}
	return rowsText(t, []arrow.Record{rec}), true
}

// sequentialRows reads data with the sequential Reader: its rows, and
// the line it ended on.
func sequentialRows(t *testing.T, data []byte, types []catalog.Type, opts Options) ([]string, int64) {
	t.Helper()
	res := readWith(t, data, types, opts, chunking{}, wholeReader)
	if res.err != "" {
		t.Fatalf("sequential read: %s", res.err)
	}
	return res.rows, res.line
}

// TestColumnarChunkMatchesRows decodes chunks that the columnar pass
// takes, with every kind of value a row can hold (quoted delimiters and
// newlines, doubled quotes and escapes, backslash escapes, NULLs and
// empty strings, CRLF, a last row without a newline), and checks that it
// gives the rows the sequential Reader gives.
func TestColumnarChunkMatchesRows(t *testing.T) {
	escText := "1\tplain\t2024-01-01\n2\ta\\tb\t2024-01-02\r\n3\tback\\\\slash\t2024-01-03\n" +
		"4\tline\\\ncontinued\t2024-01-04\n5\t\\N\t\\N\n\\N\t\t2024-01-06\n6\t\\x41\\101\t2024-01-07\n7\té\t2024-01-08"
	csvQuote := "1,plain,2024-01-01\n2,\"a,b\",2024-01-02\r\n3,\"multi\nline\",2024-01-03\n" +
		"4,\"say \"\"hi\"\"\",2024-01-04\n5,,2024-01-05\n6,\"\",\n,\"cr\r\nlf\",2024-01-07\n7,un\"quo\"ted,2024-01-08"
	csvBackslash := "1,\"a\\\"b\",2024-01-01\n2,\"back\\\\slash\",2024-01-02\n3,\"\\.\",2024-01-03\n"
	backslash := threeOptions(CSV)
	backslash.Escape = '\\'
	for _, c := range []struct {
		name  string
		data  string
		types []catalog.Type
		opts  Options
	}{
		{"text", escText, threeCols, threeOptions(Text)},
		{"csv", csvQuote, threeCols, threeOptions(CSV)},
		{"csv escape", csvBackslash, threeCols, backslash},
		{"lineitem", string(lineitemCSV(3000)), lineitemTypes, DefaultOptions(CSV)},
		{"lineitem binary", string(lineitemAs(t, lineitemCSV(3000), Binary)), lineitemTypes, DefaultOptions(Binary)},
		{"binary nulls", string(genBinaryRows(t, 50)), threeCols, threeOptions(Binary)},
	} {
		t.Run(c.name, func(t *testing.T) {
			want, line := sequentialRows(t, []byte(c.data), c.types, c.opts)
			if c.opts.Format == Binary {
				// A chunk holds tuples only: no header, no trailer.
				c.data = c.data[binaryHeaderBytes : len(c.data)-2]
				line = int64(len(want))
			}
			got, ok := columnarChunk(t, []byte(c.data), c.types, c.opts, len(want))
			if !ok {
				t.Fatal("the columnar pass gave up")
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			// The chunk's reader goes on at the line after its last row.
			sub := NewReader(nil, c.types, c.opts, nil).chunkReader()
			sub.buf, sub.end, sub.eof, sub.started = []byte(c.data), len(c.data), true, true
			rec, _ := sub.decodeChunkColumns(len(want))
			rec.Release()
			if sub.line != line {
				t.Fatalf("line %d after the chunk, want %d", sub.line, line)
			}
		})
	}
}

// TestColumnarChunkGivesUp checks that the columnar pass leaves to the
// row reading every chunk whose reading it does not decide the same way:
// a bad value in any row or column, a row with fields missing or extra,
// an end marker, FORCE options, a row count that is not the chunk's, a
// binary trailer, bad field length or cut tuple, a bad value blocks after
// the first; and that a parallel Reader then reads such input as the
// sequential one.
func TestColumnarChunkGivesUp(t *testing.T) {
	var rows []string
	for i := range 20 {
		rows = append(rows, fmt.Sprintf("%d,row %d,2024-01-%02d", i, i, 1+i))
	}
	with := func(i int, row string) string {
		r := append([]string{}, rows...)
		r[i] = row
		return strings.Join(r, "\n") + "\n"
	}
	clean := strings.Join(rows, "\n") + "\n"
	var long strings.Builder // three blocks and a half, the bad value in the third
	for i := range 3*columnBlockRows + 100 {
		if i == 2*columnBlockRows+7 {
			long.WriteString("1,x,2024-02-30\n")
			continue
		}
		fmt.Fprintf(&long, "%d,\"v,%d\",2024-01-%02d\n", i, i, 1+i%28)
	}
	force := threeOptions(CSV)
	force.ForceNull = []bool{false, true, false}
	for _, c := range []struct {
		name string
		data string
		opts Options
		rows int
	}{
		{"bad first value", with(0, "x,a,2024-01-01"), threeOptions(CSV), 20},
		{"bad last value", with(19, "19,a,2024-02-30"), threeOptions(CSV), 20},
		{"bad value in a later block", long.String(), threeOptions(CSV), 3*columnBlockRows + 100},
		{"missing data", with(10, "10,a"), threeOptions(CSV), 20},
		{"extra data", with(10, "10,a,2024-01-01,x"), threeOptions(CSV), 20},
		{"end marker", with(10, `\.`), threeOptions(CSV), 20},
		{"unterminated", clean + "20,\"open,2024-01-01\n", threeOptions(CSV), 21},
		{"force null", clean, force, 20},
		{"fewer rows", clean, threeOptions(CSV), 19},
		{"more rows", clean, threeOptions(CSV), 21},
		{"text end marker", "1\ta\t2024-01-01\n2\tb\t2024-01-02\\.\n", threeOptions(Text), 2},
		{"binary trailer", string(genBinaryRows(t, 3)[binaryHeaderBytes:]), threeOptions(Binary), 4},
		{"binary field size", string(genBinaryRows(t, 3)[binaryHeaderBytes:binaryHeaderBytes+2]) + "\xff\xff\xff\xfe", threeOptions(Binary), 1},
		{"binary cut", string(genBinaryRows(t, 3)[binaryHeaderBytes : binaryHeaderBytes+9]), threeOptions(Binary), 1},
		{"text bad escape", "1\ta\t2024-01-01\n2\tb\\.c\t2024-01-02\n", threeOptions(Text), 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, ok := columnarChunk(t, []byte(c.data), threeCols, c.opts, c.rows); ok {
				t.Fatal("the columnar pass took the chunk")
			}
			if c.opts.Format != Binary {
				compareParallel(t, c.name, []byte(c.data), threeCols, c.opts)
			}
		})
	}
}

// TestColumnarMatchesRowReading reads random inputs in parallel with and
// without the columnar pass: the same rows, errors and lines.
func TestColumnarMatchesRowReading(t *testing.T) {
	defer func() { columnarChunks = true }()
	for k := range 20 {
		var b bytes.Buffer
		for i := range 50 + 13*k {
			fmt.Fprintf(&b, "%d,\"v,%d\",2024-01-%02d\n", i, i, 1+i%28)
			if i == 40+11*k && k%3 == 0 {
				b.WriteString("bad,x,2024-01-01\n")
			}
		}
		for _, c := range chunkings {
			columnarChunks = false
			want := readWith(t, b.Bytes(), threeCols, threeOptions(CSV), c, wholeReader)
			columnarChunks = true
			if got := readWith(t, b.Bytes(), threeCols, threeOptions(CSV), c, wholeReader); !sameResult(got, want) || len(got.rows) != len(want.rows) {
				t.Fatalf("input %d, chunking %+v: got %d rows, %q; want %d rows, %q", k, c, len(got.rows), got.err, len(want.rows), want.err)
			}
		}
	}
}

// binaryHeaderBytes is the size of the binary format's header without an
// extension: the signature, the flags and the extension length.
const binaryHeaderBytes = 11 + 4 + 4

// genBinaryRows writes rows tuples of threeCols in the binary format,
// every third field NULL, with a header and the trailer.
func genBinaryRows(t *testing.T, rows int) []byte {
	t.Helper()
	var csv bytes.Buffer
	for i := range rows {
		switch i % 3 {
		case 0:
			fmt.Fprintf(&csv, ",v%d,2024-01-%02d\n", i, 1+i%28)
		case 1:
			fmt.Fprintf(&csv, "%d,,2024-01-%02d\n", i, 1+i%28)
		default:
			fmt.Fprintf(&csv, "%d,\"v,%d\",\n", i, i)
		}
	}
	rd := NewReader(bytes.NewReader(csv.Bytes()), threeCols, threeOptions(CSV), nil)
	var out bytes.Buffer
	w := NewWriter(&out, threeCols, threeOptions(Binary), nil)
	for {
		rec, err := rd.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			break
		}
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestColumnarRandomCSV reads random CSV made of the pieces a record can
// hold (quoted and unquoted fields, doubled quotes and escapes, quoted
// delimiters, newlines and carriage returns, empty and NULL fields,
// CRLF line ends, the end marker, rows of the wrong width, values
// longer than a word) in parallel with and without the columnar pass,
// for one and three text columns and a backslash escape: the same rows,
// errors and lines.
func TestColumnarRandomCSV(t *testing.T) {
	defer func() { columnarChunks = true }()
	pieces := []string{"", "a", "abcdefgh", "abcdefghijklmnopq", `""`, `"x,y"`, `"say ""hi"""`,
		"\"two\nlines\"", "\"cr\rin\"", `"a\"b"`, `"a\\b"`, `\.`, `"\."`, "un\"quoted", "é", "ünï,cödé", " "}
	oneText := []catalog.Type{catalog.TypeText}
	threeText := []catalog.Type{catalog.TypeText, catalog.TypeText, catalog.TypeText}
	backslash := DefaultOptions(CSV)
	backslash.Escape = '\\'
	rng := rand.New(rand.NewPCG(3, 5))
	for k := range 300 {
		types := threeText
		if k%4 == 0 {
			types = oneText
		}
		opts := DefaultOptions(CSV)
		if k%5 == 0 {
			opts = backslash
		}
		var b bytes.Buffer
		for range 20 + rng.IntN(200) {
			width := len(types)
			if rng.IntN(40) == 0 {
				width += rng.IntN(3) - 1
			}
			for f := range width {
				if f > 0 {
					b.WriteByte(',')
				}
				if rng.IntN(3) == 0 {
					b.WriteString(pieces[rng.IntN(len(pieces))])
				} else {
					fmt.Fprintf(&b, "v%d", rng.IntN(1000))
				}
			}
			if rng.IntN(20) == 0 {
				b.WriteString("\r\n")
			} else {
				b.WriteByte('\n')
			}
		}
		if k%7 == 0 {
			b.Truncate(b.Len() - 1) // a last record without its newline
		}
		for _, c := range chunkings {
			columnarChunks = false
			want := readWith(t, b.Bytes(), types, opts, c, wholeReader)
			columnarChunks = true
			if got := readWith(t, b.Bytes(), types, opts, c, wholeReader); !sameResult(got, want) || len(got.rows) != len(want.rows) {
				t.Fatalf("input %d %q, chunking %+v: got %d rows, %q, line %d; want %d rows, %q, line %d", k, b.String(), c, len(got.rows), got.err, got.line, len(want.rows), want.err, want.line)
			}
		}
	}
}
