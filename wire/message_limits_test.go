package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/jackc/pgx/v5/pgproto3"
)

// messageHeader is a message's type byte and length word, without the
// body the length announces.
func messageHeader(msgType byte, length uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{msgType}, length)
}

// TestShortMessageTypesRefuseLongLengths: a header of a type PostgreSQL
// keeps short, announcing half a gigabyte (under the limit of a Query), is
// refused as soon as it arrives. Only the header is sent, so a server
// that allocated and waited for the body would never answer.
func TestShortMessageTypesRefuseLongLengths(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	for _, msgType := range []byte{'S', 'E', 'D', 'C', 'H', 'X', 'c', 'f'} {
		t.Run(string(msgType), func(t *testing.T) {
			c := ts.startup(t)
			c.write(messageHeader(msgType, 1<<29))
			c.expect("Error(FATAL 08P01 invalid message length 536870912)")
			c.expectClosed()
		})
	}
	selectOne(t, ts.startup(t))
}

// TestShortMessageLimitIsPostgreSQLs: the length word, which counts
// itself, may say 10000 and no more (PQ_SMALL_MESSAGE_LIMIT).
func TestShortMessageLimitIsPostgreSQLs(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	// Execute: the length word, the portal name and its NUL, the row
	// count.
	const fixed = 4 + 1 + 4
	c := ts.startup(t)
	c.send(&pgproto3.Execute{Portal: strings.Repeat("p", 10000-fixed)}, &pgproto3.Sync{})
	if got := c.untilReady(); len(got) != 2 || !strings.HasPrefix(got[0], "Error(ERROR 34000 portal") {
		t.Fatalf("an Execute of 10000 bytes gave %q", got)
	}
	c.send(&pgproto3.Execute{Portal: strings.Repeat("p", 10001-fixed)}, &pgproto3.Sync{})
	c.expect("Error(FATAL 08P01 invalid message length 10001)")
	c.expectClosed()
}

// TestMessagesBeforeRefusedHeaderAnswered: everything the client sent
// before a refused header, in the same write, is handled first.
func TestMessagesBeforeRefusedHeaderAnswered(t *testing.T) {
	c := startServer(t, newFakeBackend()).startup(t)
	batch := encodeFrontend(t,
		&pgproto3.Query{String: "select 1"},
		&pgproto3.Parse{Query: "select 2"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{},
	)
	c.write(append(batch, messageHeader('S', 1<<29)...))
	c.expect(
		"RowDescription(?column?:23:0)", `DataRow("1")`, "CommandComplete(SELECT 1)", "ReadyForQuery(I)",
		"ParseComplete", "BindComplete", `DataRow("2")`, "CommandComplete(SELECT 1)", "ReadyForQuery(I)",
		"Error(FATAL 08P01 invalid message length 536870912)",
	)
	c.expectClosed()
}

// TestMessageLengthBelowFour: a length word cannot be shorter than
// itself.
func TestMessageLengthBelowFour(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	for _, length := range []uint32{3, 0, 1 << 31} {
		c := ts.startup(t)
		c.write(messageHeader('Q', length))
		c.expect(fmt.Sprintf("Error(FATAL 08P01 invalid message length %d)", int32(length)))
		c.expectClosed()
	}
}

// TestMaxMessageSizeBoundsLargeMessages: Server.MaxMessageSize bounds the
// body of a Query, Parse, Bind or CopyData; the length word says four
// bytes more.
func TestMaxMessageSizeBoundsLargeMessages(t *testing.T) {
	ts := startServer(t, newFakeBackend(), func(s *Server) { s.MaxMessageSize = 1 << 10 })
	c := ts.startup(t)
	// The body is the text and its NUL.
	c.send(&pgproto3.Query{String: "select 1" + strings.Repeat(" ", 1<<10-len("select 1")-1)})
	c.expect("RowDescription(?column?:23:0)", `DataRow("1")`, "CommandComplete(SELECT 1)", "ReadyForQuery(I)")
	c.send(&pgproto3.Query{String: "select 1" + strings.Repeat(" ", 1<<10-len("select 1"))})
	c.expect("Error(FATAL 08P01 invalid message length 1029)")
	c.expectClosed()
}

func TestScriptLargeQueryParseAndBind(t *testing.T) {
	c := scriptTarget(t).startup(t)
	padding := strings.Repeat(" ", 100<<10)
	c.send(&pgproto3.Query{String: "select 1" + padding})
	c.expect("RowDescription(?column?:23:0)", `DataRow("1")`, "CommandComplete(SELECT 1)", "ReadyForQuery(I)")
	value := strings.Repeat("v", 100<<10)
	c.send(
		&pgproto3.Parse{Query: "select $1" + padding, ParameterOIDs: []uint32{25}},
		&pgproto3.Bind{Parameters: [][]byte{[]byte(value)}},
		&pgproto3.Execute{},
		&pgproto3.Sync{},
	)
	c.expect("ParseComplete", "BindComplete", fmt.Sprintf("DataRow(%q)", value), "CommandComplete(SELECT 1)", "ReadyForQuery(I)")
}

func TestScriptLargeCopyData(t *testing.T) {
	tgt := scriptTarget(t)
	c := tgt.startup(t)
	c.send(&pgproto3.Query{String: "copy t from stdin"})
	c.expect("CopyInResponse(0,[0])")
	line := strings.Repeat("x", 99)
	data := strings.Repeat(line+"\n", 1000) // 100 KB in one message
	c.send(&pgproto3.CopyData{Data: []byte(data)}, &pgproto3.CopyDone{})
	c.expect("CommandComplete(COPY 1000)", "ReadyForQuery(I)")
	if b := fakeOnly(tgt); b != nil {
		if got := <-b.copied; got != strings.TrimSuffix(strings.ReplaceAll(data, "\n", ","), ",") {
			t.Fatalf("copied %d bytes", len(got))
		}
	}
}

// TestRefusedHeaderDuringCopy: during COPY FROM STDIN the limits are the
// same (copyfromparse.c), and a refused header ends the connection with
// the same FATAL, whatever the statement reading the stream makes of it.
func TestRefusedHeaderDuringCopy(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	for name, flow := range map[string][]pgproto3.FrontendMessage{
		"simple":   {&pgproto3.Query{String: "copy t from stdin"}},
		"extended": {&pgproto3.Parse{Query: "copy t from stdin"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Flush{}},
	} {
		t.Run(name, func(t *testing.T) {
			c := ts.startup(t)
			c.send(flow...)
			if name == "extended" {
				c.expect("ParseComplete", "BindComplete")
			}
			c.expect("CopyInResponse(0,[0])")
			c.send(&pgproto3.CopyData{Data: []byte("a\n")})
			c.write(messageHeader('c', 1<<29))
			c.expect("Error(FATAL 08P01 invalid message length 536870912)")
			c.expectClosed()
		})
	}
	selectOne(t, ts.startup(t))
}

// limiterStream is some whole messages, then a header the limiter
// refuses, then what a client might send after it.
func limiterStream(tb testing.TB) (whole, refused []byte, stream []byte) {
	whole = encodeFrontend(tb,
		&pgproto3.Query{String: "select 1"},
		&pgproto3.Parse{Query: "select $1"}, &pgproto3.Bind{Parameters: [][]byte{[]byte("x")}},
		&pgproto3.Describe{ObjectType: 'P'}, &pgproto3.Execute{}, &pgproto3.Sync{},
		&pgproto3.CopyData{Data: bytes.Repeat([]byte("y"), 20000)}, &pgproto3.CopyDone{},
	)
	refused = messageHeader('S', 10001)
	stream = append(append(bytes.Clone(whole), refused...), encodeFrontend(tb, &pgproto3.Sync{})...)
	return whole, refused, stream
}

// TestMessageLimiterHandsOnWholeMessagesFirst: however the input is cut
// into reads, the limiter delivers every whole message before a refused
// header, at most the start of that header's length word, and then fails.
func TestMessageLimiterHandsOnWholeMessagesFirst(t *testing.T) {
	whole, refused, stream := limiterStream(t)
	for name, wrap := range map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"byte":     iotest.OneByteReader,
		"half":     iotest.HalfReader,
		"data+err": iotest.DataErrReader,
	} {
		t.Run(name, func(t *testing.T) {
			l := newMessageLimiter(wrap(bytes.NewReader(stream)), DefaultMaxMessageSize)
			got, err := io.ReadAll(&l)
			var re *refusedMessageError
			if !errors.As(err, &re) || re.msgType != 'S' || re.length != 10001 || re.limit != smallMessageLimit {
				t.Fatalf("err = %v", err)
			}
			if !bytes.HasPrefix(got, whole) || !bytes.HasPrefix(refused[:len(refused)-1], got[len(whole):]) {
				t.Fatalf("delivered %d bytes, want the %d of the whole messages and at most 4 more of the refused header", len(got), len(whole))
			}
			if n, err := l.Read(make([]byte, 10)); n != 0 || err != re {
				t.Fatalf("read after the refusal = %d, %v", n, err)
			}
		})
	}
}

func TestMessageLimiterRefusesUnknownTypeAtOnce(t *testing.T) {
	whole := encodeFrontend(t, &pgproto3.Sync{})
	// A password message has no place after start-up; nothing after its
	// type byte is needed to know it.
	l := newMessageLimiter(bytes.NewReader(append(bytes.Clone(whole), 'p')), DefaultMaxMessageSize)
	got, err := io.ReadAll(&l)
	var re *refusedMessageError
	if !errors.As(err, &re) || re.msgType != 'p' || re.limit != 0 || !bytes.Equal(got, whole) {
		t.Fatalf("got %q, %v", got, err)
	}
	if pe := re.pgError(); pe.Severity != "FATAL" || pe.Message != "invalid frontend message type 112" {
		t.Fatalf("reported as %+v", pe)
	}
}

func TestMessageLimiterHugeMaxMessageSize(t *testing.T) {
	whole, _, _ := limiterStream(t)
	l := newMessageLimiter(bytes.NewReader(whole), math.MaxInt)
	if got, err := io.ReadAll(&l); err != nil || !bytes.Equal(got, whole) {
		t.Fatalf("read %d of %d bytes: %v", len(got), len(whole), err)
	}
}

// TestMessageLimiterAllocatesNothing: the check adds no allocation to a
// read.
func TestMessageLimiterAllocatesNothing(t *testing.T) {
	whole, _, _ := limiterStream(t)
	src := bytes.NewReader(whole)
	buf := make([]byte, 4096)
	allocs := testing.AllocsPerRun(100, func() {
		src.Reset(whole)
		l := newMessageLimiter(src, DefaultMaxMessageSize)
		for {
			if _, err := l.Read(buf); err != nil {
				break
			}
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per stream", allocs)
	}
}

// BenchmarkMessageLimiter reads a stream of small CopyData messages, the
// densest in headers a client sends, through the limiter.
func BenchmarkMessageLimiter(b *testing.B) {
	var stream []byte
	for len(stream) < 1<<20 {
		stream = append(stream, encodeFrontend(b, &pgproto3.CopyData{Data: []byte("1\tsome text\t2024-01-01\n")})...)
	}
	src := bytes.NewReader(stream)
	buf := make([]byte, receiveBufferBytes)
	b.SetBytes(int64(len(stream)))
	for b.Loop() {
		src.Reset(stream)
		l := newMessageLimiter(src, DefaultMaxMessageSize)
		for {
			if _, err := l.Read(buf); err != nil {
				break
			}
		}
	}
}
