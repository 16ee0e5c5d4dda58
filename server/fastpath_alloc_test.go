package server

import (
	"encoding/binary"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// The per-statement path of the commonest statements (a simple Query of
// SELECT 1, a health check's; a prepared point lookup, pgbench -S's) is
// guarded by counting the heap allocations the whole server makes per
// statement: the client below sends pre-encoded messages and reads the
// answer into one buffer, so it allocates nothing itself, and
// testing.AllocsPerRun counts the server's allocations alone. The bounds
// are today's counts with a little room; a change that adds allocations
// to every statement fails here. (Most of what remains is the storage
// transaction, the executor's batches and the scan, outside the protocol
// and session layers.)
const (
	maxSelect1Allocs     = 28
	maxPointLookupAllocs = 120
)

func TestSelect1Allocations(t *testing.T) {
	if testing.Short() {
		t.Skip("counts allocations over loopback")
	}
	srv, _ := startServer(t)
	c := dialScript(t, srv.Addr(), "tester", "pqdb")
	query, err := (&pgproto3.Query{String: "SELECT 1"}).Encode(nil)
	if err != nil {
		t.Fatal(err)
	}
	rt := newRoundTripper(t, c.conn)
	want := []byte("SELECT 1")
	// The first runs parse and bind the text and warm the caches.
	for range 10 {
		rt.run(query)
	}
	if !rt.saw('T') || rt.firstValue() != "1" || !rt.contains(want) {
		t.Fatalf("SELECT 1 answered %q", rt.buf[:rt.n])
	}
	allocs := testing.AllocsPerRun(500, func() { rt.run(query) })
	if rt.err != nil {
		t.Fatal(rt.err)
	}
	t.Logf("SELECT 1: %.1f allocations per query", allocs)
	if allocs > maxSelect1Allocs {
		t.Errorf("SELECT 1 makes %.1f allocations per query, more than %d", allocs, maxSelect1Allocs)
	}
}

func TestPreparedPointLookupAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("counts allocations over loopback")
	}
	srv, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84))`,
		`INSERT INTO accounts SELECT g, g / 1000, g % 7, '' FROM generate_series(1, 20000) g`,
		`CHECKPOINT`)

	c := dialScript(t, srv.Addr(), "tester", "pqdb")
	c.fe.Send(&pgproto3.Parse{Name: "lookup", Query: "SELECT abalance FROM accounts WHERE aid = $1", ParameterOIDs: []uint32{23}})
	c.fe.Send(&pgproto3.Sync{})
	c.flush()
	for {
		msg := c.receive()
		if e, ok := msg.(*pgproto3.ErrorResponse); ok {
			t.Fatalf("Parse: %s", e.Message)
		}
		if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
			break
		}
	}
	// Bind (one binary int4), Describe the portal, Execute, Sync: what
	// libpq's PQexecPrepared sends, as pgbench -M prepared does.
	var batches [][]byte
	for _, aid := range []int32{1, 7919, 20000, 12345} {
		var buf []byte
		var err error
		for _, msg := range []pgproto3.FrontendMessage{
			&pgproto3.Bind{PreparedStatement: "lookup", ParameterFormatCodes: []int16{1},
				Parameters: [][]byte{binary.BigEndian.AppendUint32(nil, uint32(aid))}, ResultFormatCodes: []int16{0}},
			&pgproto3.Describe{ObjectType: 'P'},
			&pgproto3.Execute{},
			&pgproto3.Sync{},
		} {
			if buf, err = msg.Encode(buf); err != nil {
				t.Fatal(err)
			}
		}
		batches = append(batches, buf)
	}
	rt := newRoundTripper(t, c.conn)
	for i, aid := range []int32{1, 7919, 20000, 12345} {
		rt.run(batches[i])
		if !rt.saw('T') || rt.firstValue() != fmt.Sprint(aid%7) || !rt.contains([]byte("SELECT 1")) {
			t.Fatalf("aid %d answered %q", aid, rt.buf[:rt.n])
		}
	}
	i := 0
	allocs := testing.AllocsPerRun(300, func() {
		rt.run(batches[i%len(batches)])
		i++
	})
	if rt.err != nil {
		t.Fatal(rt.err)
	}
	t.Logf("prepared point lookup: %.1f allocations per query", allocs)
	if allocs > maxPointLookupAllocs {
		t.Errorf("a prepared point lookup makes %.1f allocations per query, more than %d", allocs, maxPointLookupAllocs)
	}
}

// roundTripper sends pre-encoded frontend messages and reads the backend's
// answer up to ReadyForQuery into one buffer, allocating nothing.
type roundTripper struct {
	conn  net.Conn
	buf   []byte
	n     int // bytes of the last answer in buf
	types []byte
	err   error
}

func newRoundTripper(t *testing.T, conn net.Conn) *roundTripper {
	conn.SetDeadline(time.Now().Add(2 * time.Minute))
	return &roundTripper{conn: conn, buf: make([]byte, 64<<10), types: make([]byte, 0, 64)}
}

// run sends msgs and reads every message of the answer; an
// ErrorResponse or a failed read is kept in err.
func (r *roundTripper) run(msgs []byte) {
	if r.err != nil {
		return
	}
	if _, err := r.conn.Write(msgs); err != nil {
		r.err = err
		return
	}
	r.n, r.types = 0, r.types[:0]
	start := 0 // of the next message in buf
	for {
		// Parse the whole messages read so far.
		for start+5 <= r.n {
			size := int(binary.BigEndian.Uint32(r.buf[start+1:]))
			if start+1+size > r.n {
				break
			}
			typ := r.buf[start]
			r.types = append(r.types, typ)
			if typ == 'E' {
				r.err = fmt.Errorf("server error: %q", r.buf[start:start+1+size])
			}
			start += 1 + size
			if typ == 'Z' && start == r.n {
				return
			}
		}
		if r.n == len(r.buf) {
			r.err = fmt.Errorf("answer longer than %d bytes", len(r.buf))
			return
		}
		k, err := r.conn.Read(r.buf[r.n:])
		if err != nil {
			r.err = err
			return
		}
		r.n += k
	}
}

// saw reports whether the last answer held a message of type typ.
func (r *roundTripper) saw(typ byte) bool {
	for _, t := range r.types {
		if t == typ {
			return true
		}
	}
	return false
}

// firstValue is the first value of the first DataRow of the last
// answer, "" for none.
func (r *roundTripper) firstValue() string {
	for at := 0; at+5 <= r.n; {
		size := int(binary.BigEndian.Uint32(r.buf[at+1:]))
		if r.buf[at] == 'D' && size >= 10 {
			n := int(int32(binary.BigEndian.Uint32(r.buf[at+7:])))
			if n < 0 || at+11+n > r.n {
				return ""
			}
			return string(r.buf[at+11 : at+11+n])
		}
		at += 1 + size
	}
	return ""
}

// contains reports whether the last answer's bytes contain b.
func (r *roundTripper) contains(b []byte) bool {
	for i := 0; i+len(b) <= r.n; i++ {
		if string(r.buf[i:i+len(b)]) == string(b) {
			return true
		}
	}
	return false
}
