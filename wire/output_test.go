package wire

import (
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"
)

func TestDataRowEncodingDoesNotAllocate(t *testing.T) {
	o := output{w: io.Discard}
	row := [][]byte{[]byte("42"), nil, []byte("a somewhat longer text value")}
	allocs := testing.AllocsPerRun(10000, func() {
		if err := o.sendDataRow(row); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("sendDataRow allocates %.1f times per row", allocs)
	}
}

func TestOutputFlushesPastThreshold(t *testing.T) {
	var sink countingWriter
	o := output{w: &sink}
	value := make([]byte, 1000)
	for range 100 {
		if err := o.sendDataRow([][]byte{value}); err != nil {
			t.Fatal(err)
		}
	}
	// 100 rows of ~1 KB: at least two writes happened before any explicit
	// flush, and nothing beyond the threshold is left waiting.
	if sink.writes < 2 || len(o.wbuf) >= flushThreshold {
		t.Fatalf("writes=%d buffered=%d", sink.writes, len(o.wbuf))
	}
	if err := o.flush(); err != nil {
		t.Fatal(err)
	}
	if want := 100 * (1 + 4 + 2 + 4 + 1000); sink.bytes != want {
		t.Fatalf("wrote %d bytes, want %d", sink.bytes, want)
	}
}

type countingWriter struct{ writes, bytes int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	w.bytes += len(p)
	return len(p), nil
}

func TestRowBufferRoundTrip(t *testing.T) {
	var b rowBuffer
	rows := [][][]byte{
		{[]byte("1"), nil, []byte("")},
		{},
		{[]byte("two"), []byte("2"), nil},
	}
	for _, r := range rows {
		b.add(r)
	}
	for i, want := range rows {
		if !b.more() {
			t.Fatalf("row %d missing", i)
		}
		got := b.next()
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Fatalf("row %d: got %q want %q", i, got, want)
		}
		for j := range want {
			if (got[j] == nil) != (want[j] == nil) {
				t.Fatalf("row %d value %d: NULL-ness differs", i, j)
			}
		}
	}
	if b.more() {
		t.Fatal("extra rows")
	}
}

// BenchmarkStreamRows measures a 10,000-row result over loopback, client
// included.
func BenchmarkStreamRows(b *testing.B) {
	ts := startServer(b, newFakeBackend())
	c := ts.startup(b)
	b.ReportAllocs()
	for b.Loop() {
		c.send(&pgproto3.Query{String: "select generate_series(1,10000)"})
		for {
			msg, err := c.fe.Receive()
			if err != nil {
				b.Fatal(err)
			}
			if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
				break
			}
		}
	}
}
