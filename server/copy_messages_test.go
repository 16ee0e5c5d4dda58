package server

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

// lineReader hands out its input a line at a time, so that pgconn sends
// each line as a CopyData message of its own, as psql does.
type lineReader struct{ rest string }

func (r *lineReader) Read(p []byte) (int, error) {
	if r.rest == "" {
		return 0, io.EOF
	}
	n := strings.IndexByte(r.rest, '\n') + 1
	if n == 0 || n > len(p) {
		n = min(len(r.rest), len(p))
	}
	copy(p, r.rest[:n])
	r.rest = r.rest[n:]
	return n, nil
}

// TestCopyInMessagesAcrossReadBuffer: a COPY sent as 30,000 CopyData
// messages of one short line each (several times the 64 KiB the server
// reads at once, so messages straddle its reads), with three lines of
// 100 KiB among them (messages larger than a read), loads every row,
// and the connection goes on with the next statement.
func TestCopyInMessagesAcrossReadBuffer(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE cm (k int, s text)")
	var in strings.Builder
	var sumK, sumLen int
	for k := range 30000 {
		s := strings.Repeat("x", k%41)
		if k == 5 || k == 14000 || k == 29999 {
			s = strings.Repeat("y", 100<<10)
		}
		fmt.Fprintf(&in, "%d\t%s\n", k, s)
		sumK += k
		sumLen += len(s)
	}
	tag, err := conn.PgConn().CopyFrom(ctx(t), &lineReader{rest: in.String()}, "COPY cm FROM STDIN")
	if err != nil || tag.String() != "COPY 30000" {
		t.Fatalf("CopyFrom: %v %v", tag, err)
	}
	got := rowsText(t, conn, "SELECT count(*), sum(k), sum(length(s)) FROM cm")
	if want := fmt.Sprintf("[[30000 %d %d]]", sumK, sumLen); fmt.Sprint(got) != want {
		t.Fatalf("loaded %v, want %s", got, want)
	}
	if got := rowsText(t, conn, "SELECT length(s) FROM cm WHERE k = 14000"); fmt.Sprint(got) != "[[102400]]" {
		t.Fatalf("the long line: %v", got)
	}
}
