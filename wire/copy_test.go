package wire

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

func TestScriptCopyInStreamsData(t *testing.T) {
	tgt := scriptTarget(t)
	c := tgt.startup(t)
	c.send(&pgproto3.Query{String: "copy t from stdin"})
	c.expect("CopyInResponse(0,[0])")
	c.send(
		&pgproto3.CopyData{Data: []byte("a\nb")},
		&pgproto3.Flush{}, // ignored during COPY
		&pgproto3.CopyData{Data: []byte("\nc\n")},
		&pgproto3.CopyDone{},
	)
	c.expect("CommandComplete(COPY 3)", "ReadyForQuery(I)")
	if b := fakeOnly(tgt); b != nil {
		if got := <-b.copied; got != "a,b,c" {
			t.Fatalf("copied %q", got)
		}
	}
}

func TestScriptCopyFail(t *testing.T) {
	c := scriptTarget(t).startup(t)
	c.send(&pgproto3.Query{String: "copy t from stdin"})
	c.expect("CopyInResponse(0,[0])")
	c.send(&pgproto3.CopyData{Data: []byte("a\n")}, &pgproto3.CopyFail{Message: "client gave up"})
	c.expect("Error(ERROR 57014 COPY from stdin failed: client gave up)", "ReadyForQuery(I)")
	c.send(&pgproto3.Query{String: "select 1"})
	c.expect("RowDescription(?column?:23:0)", `DataRow("1")`, "CommandComplete(SELECT 1)", "ReadyForQuery(I)")
}

func TestScriptCopyUnexpectedMessage(t *testing.T) {
	c := scriptTarget(t).startup(t)
	c.send(&pgproto3.Query{String: "copy t from stdin"})
	c.expect("CopyInResponse(0,[0])")
	// A query in the middle of COPY aborts it, and since the query was
	// consumed the connection cannot go on.
	c.send(&pgproto3.Query{String: "select 1"})
	c.expect(
		"Error(ERROR 08P01 unexpected message type 0x51 during COPY from stdin)",
		"Error(FATAL 08P01 terminating connection because protocol synchronization was lost)",
	)
	c.expectClosed()
}

func TestScriptCopyDataAfterFailedCopyIgnored(t *testing.T) {
	c := scriptTarget(t).startup(t)
	c.send(&pgproto3.Query{String: "copy n from stdin"})
	c.expect("CopyInResponse(0,[0])")
	// The engine fails at the first line; the client, which streams
	// without waiting, still sends the rest, and it is ignored.
	c.send(
		&pgproto3.CopyData{Data: []byte("bad\n")},
		&pgproto3.CopyData{Data: []byte("more\n")},
		&pgproto3.CopyDone{},
		&pgproto3.Query{String: "select 2"},
	)
	c.expect(`Error(ERROR 22P02 invalid input syntax for type integer: "bad")`, "ReadyForQuery(I)",
		"RowDescription(?column?:23:0)", `DataRow("2")`, "CommandComplete(SELECT 1)", "ReadyForQuery(I)")
}

func TestCopyRestOfStreamDrained(t *testing.T) {
	b := newFakeBackend()
	ts := startServer(t, b)
	c := ts.startup(t)
	c.send(&pgproto3.Query{String: "copy first"})
	c.expect("CopyInResponse(0,[0])")
	c.send(&pgproto3.CopyData{Data: []byte("one\ntwo\n")}, &pgproto3.CopyData{Data: []byte("three\n")}, &pgproto3.CopyDone{})
	c.expect("CommandComplete(COPY 1)", "ReadyForQuery(I)")
	if got := <-b.copied; got != "one" {
		t.Fatalf("copied %q", got)
	}
}

func TestScriptCopyInExtendedProtocol(t *testing.T) {
	tgt := scriptTarget(t)
	c := tgt.startup(t)
	// Sync sent ahead of the data is ignored while the COPY runs.
	c.send(&pgproto3.Parse{Query: "copy t from stdin"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{})
	c.expect("ParseComplete", "BindComplete", "CopyInResponse(0,[0])")
	c.send(&pgproto3.CopyData{Data: []byte("x\n")}, &pgproto3.CopyDone{}, &pgproto3.Sync{})
	c.expect("CommandComplete(COPY 1)", "ReadyForQuery(I)")
	if b := fakeOnly(tgt); b != nil {
		if got := <-b.copied; got != "x" {
			t.Fatalf("copied %q", got)
		}
	}
}

func TestCopyFromWithPgconn(t *testing.T) {
	b := newFakeBackend()
	ts := startServer(t, b)
	conn := ts.connect(t)
	var input strings.Builder
	for i := range 10000 {
		input.WriteString("line ")
		input.WriteByte(byte('a' + i%26))
		input.WriteByte('\n')
	}
	tag, err := conn.PgConn().CopyFrom(context.Background(), strings.NewReader(input.String()), "copy t from stdin")
	if err != nil || tag.String() != "COPY 10000" {
		t.Fatalf("CopyFrom: %v %v", tag, err)
	}
	if got := <-b.copied; !strings.HasPrefix(got, "line a,line b,") {
		t.Fatalf("copied %.40q", got)
	}

	// A reader error on the client side turns into CopyFail.
	_, err = conn.PgConn().CopyFrom(context.Background(), failingReader{}, "copy t from stdin")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57014" || !strings.HasPrefix(pe.Message, "COPY from stdin failed: ") {
		t.Fatalf("CopyFrom with failing reader: %v", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }
