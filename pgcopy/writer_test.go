package pgcopy

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pqdb/pqdb/catalog"
)

// TestWriteLikePostgres reads each file PostgreSQL wrote with COPY TO and
// writes the records back: the bytes must be the same.
func TestWriteLikePostgres(t *testing.T) {
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
			t.Fatal(err)
		}
		var out bytes.Buffer
		w := NewWriter(&out, allTypes, allOptions(c.format), time.UTC)
		for _, rec := range recs {
			if err := w.Write(rec); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), data) {
			t.Errorf("%s: wrote\n%q\nwant\n%q", c.file, out.String(), data)
		}
	}
}

func TestWriteCSVQuoting(t *testing.T) {
	types := []catalog.Type{catalog.TypeText, catalog.TypeText}
	data := "a,b\n\"x,y\",\"\"\n\"say \"\"hi\"\"\",\n\\.,plain\n"
	o := DefaultOptions(CSV)
	o.Header, o.Columns = true, []string{"a", "b"}
	recs, err := readAll(t, strings.NewReader(data), types, o)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := NewWriter(&out, types, o, nil)
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if out.String() != data {
		t.Errorf("wrote %q, want %q", out.String(), data)
	}
}

func TestWriteEmptyBinary(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out, []catalog.Type{catalog.TypeInt4}, DefaultOptions(Binary), nil)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := append(append([]byte{}, binarySignature...), 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff)
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("wrote %x, want %x", out.Bytes(), want)
	}
}

// TestWriteCSVEndMarkerValue: a single-column value \. is quoted, so that
// it does not end the data when read back.
func TestWriteCSVEndMarkerValue(t *testing.T) {
	types := []catalog.Type{catalog.TypeText}
	o := DefaultOptions(CSV)
	data := "\"\\.\"\nx\n"
	recs, err := readAll(t, strings.NewReader(data), types, o)
	if err != nil || len(recs) != 1 || recs[0].NumRows() != 2 {
		t.Fatalf("read: %v", err)
	}
	var out bytes.Buffer
	w := NewWriter(&out, types, o, nil)
	if err := w.Write(recs[0]); err != nil {
		t.Fatal(err)
	}
	if out.String() != data {
		t.Errorf("wrote %q, want %q", out.String(), data)
	}
}
