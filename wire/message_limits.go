package wire

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/pqdb/pqdb/pgerr"
)

// PostgreSQL looks at a frontend message's type byte before it reads the
// length word, and bounds the length by the type (postgres.c,
// SocketBackend; copyfromparse.c, CopyGetData, for what is read during
// COPY FROM STDIN): Query, FunctionCall, Parse, Bind and CopyData may be
// as long as PQ_LARGE_MESSAGE_LIMIT; Close, Describe, Execute, Flush,
// Sync, Terminate, CopyDone and CopyFail no longer than
// PQ_SMALL_MESSAGE_LIMIT; any other type is garbage. The length word
// counts itself, and pq_getmessage refuses one below 4 or above the
// limit before it allocates anything: a client that lost sync, or means
// harm, gets an error rather than the server's memory.
//
// pgproto3 has one limit for every type and allocates, then waits for,
// whatever body a header announces under it: a Sync header claiming a
// gigabyte would have the server allocate a gigabyte and wait for it.
// pgproto3 reads through a chunk reader of its own that reads ahead, so
// nothing above it can look at a header first. messageLimiter therefore
// sits below it and follows the framing of the bytes as they pass: it
// checks each header against its type's limit and skips the body. A
// header it refuses is withheld, with everything after it; the bytes
// before it are handed on first, so every whole message the client sent
// earlier is still handled, and the next read fails with the refusal,
// which ends the connection with FATAL 08P01.
//
// PostgreSQL itself only logs the refusal (COMMERROR, "invalid message
// length") and closes the socket, which a client reports as the server
// closing the connection unexpectedly; during COPY it sends ERROR 08006
// and then FATAL 08P01 "protocol synchronization was lost". pqdb tells
// the client why, in one FATAL.

const (
	// smallMessageLimit is PostgreSQL's PQ_SMALL_MESSAGE_LIMIT, the
	// longest length word (which counts itself) of a message whose
	// contents are always short.
	smallMessageLimit = 10000
	// largeMessageLimit is PQ_LARGE_MESSAGE_LIMIT, MaxAllocSize - 1:
	// the longest length word of any message.
	largeMessageLimit = 1<<30 - 2
)

// messageSize is how long a frontend message type may be.
type messageSize uint8

const (
	unknownMessage messageSize = iota // not a frontend message after start-up
	smallMessage
	largeMessage
)

// frontendMessageSizes is SocketBackend's switch on the type byte.
// Password, SASL and GSS responses ('p') belong to start-up, which reads
// them itself (auth.go); in the message loop they are garbage, as in
// PostgreSQL.
var frontendMessageSizes = [256]messageSize{
	'Q': largeMessage, // Query
	'F': largeMessage, // FunctionCall
	'P': largeMessage, // Parse
	'B': largeMessage, // Bind
	'd': largeMessage, // CopyData
	'C': smallMessage, // Close
	'D': smallMessage, // Describe
	'E': smallMessage, // Execute
	'H': smallMessage, // Flush
	'S': smallMessage, // Sync
	'X': smallMessage, // Terminate
	'c': smallMessage, // CopyDone
	'f': smallMessage, // CopyFail
}

// messageLimiter is the reader under pgproto3 that refuses a message
// header before its body is read. It holds no buffer and allocates
// nothing: a read costs a few comparisons per message header in it.
type messageLimiter struct {
	r io.Reader
	// limits holds the longest length word allowed for each messageSize;
	// zero for unknownMessage refuses every length.
	limits [3]int64

	// header collects the type byte and length word of the next message
	// when they come split across reads; headerLen of its bytes have
	// passed.
	header    [5]byte
	headerLen int
	// body is how many bytes of the current message's body are still to
	// pass.
	body int64
	// refused, once set, fails every read.
	refused *refusedMessageError
}

// newMessageLimiter limits what r delivers to messages whose bodies are
// at most maxBody bytes (Server.MaxMessageSize) and to PostgreSQL's
// smaller limit for the types that are always short.
func newMessageLimiter(r io.Reader, maxBody int) messageLimiter {
	// A length word cannot say more than MaxInt32 however large the
	// setting.
	large := int64(min(maxBody, math.MaxInt32)) + 4
	l := messageLimiter{r: r}
	l.limits[smallMessage] = min(smallMessageLimit, large)
	l.limits[largeMessage] = large
	return l
}

func (l *messageLimiter) Read(p []byte) (int, error) {
	if l.refused != nil {
		return 0, l.refused
	}
	n, err := l.r.Read(p)
	i := 0
	for {
		if rest := int64(n - i); l.body >= rest {
			l.body -= rest
			return n, err
		}
		i += int(l.body)
		l.body = 0
		// A header starts at i, or started in an earlier read; where it
		// starts in this one is where a refusal cuts the read.
		start := i - l.headerLen
		var h []byte
		if l.headerLen == 0 && n-i >= len(l.header) {
			h = p[i : i+len(l.header)]
			i += len(h)
		} else {
			// A type byte can be refused before its length word comes,
			// as PostgreSQL does.
			if l.headerLen == 0 && frontendMessageSizes[p[i]] == unknownMessage {
				return l.refuse(start, &refusedMessageError{msgType: p[i]})
			}
			c := copy(l.header[l.headerLen:], p[i:n])
			l.headerLen += c
			i += c
			if l.headerLen < len(l.header) {
				return n, err
			}
			l.headerLen = 0
			h = l.header[:]
		}
		length := int64(int32(binary.BigEndian.Uint32(h[1:])))
		limit := l.limits[frontendMessageSizes[h[0]]]
		if length < 4 || length > limit {
			return l.refuse(start, &refusedMessageError{msgType: h[0], length: length, limit: limit})
		}
		l.body = length - 4
	}
}

// refuse hands on the bytes of this read before the refused header, if
// any, and fails the reads after.
func (l *messageLimiter) refuse(headerStart int, e *refusedMessageError) (int, error) {
	l.refused = e
	if headerStart > 0 {
		return headerStart, nil
	}
	return 0, e
}

// refusedMessageError is a message header the server will not read
// past: an unknown type, or a length word outside its type's limit.
type refusedMessageError struct {
	msgType byte
	length  int64 // as the header declares it, counting itself
	limit   int64 // zero for an unknown type
}

func (e *refusedMessageError) Error() string {
	if e.limit == 0 {
		return fmt.Sprintf("invalid frontend message type %d", e.msgType)
	}
	return fmt.Sprintf("invalid message length %d for message type %q (limit %d)", e.length, e.msgType, e.limit)
}

// pgError is what the client is told: FATAL 08P01, with PostgreSQL's
// wording.
func (e *refusedMessageError) pgError() *pgerr.Error {
	var pe *pgerr.Error
	if e.limit == 0 {
		pe = pgerr.New(pgerr.ProtocolViolation, "invalid frontend message type %d", e.msgType)
	} else {
		pe = pgerr.New(pgerr.ProtocolViolation, "invalid message length %d", e.length)
		if e.length >= 4 {
			pe.Detail = fmt.Sprintf("A message of type '%c' may be at most %d bytes long.", e.msgType, e.limit)
		}
	}
	pe.Severity = "FATAL"
	return pe
}
