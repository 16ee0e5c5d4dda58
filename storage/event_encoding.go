package storage

import (
	"bytes"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Encoding insert events.
//
// An insert event's payload is an Arrow IPC stream of one record: the
// schema message, the record batch message, the end-of-stream marker.
// An OLTP commit logs one-row records, whose schema message costs as
// much to build as the rest, and a table's records share a schema (the
// committed table's, Txn.recordSchema). So
// the schema message is serialized once per schema and kept
// (eventSchemas), and each payload is that, the record's batch message
// and the marker: the bytes an ipc.Writer writes for the stream.

// endOfStream is the IPC stream's end marker: a continuation and a zero
// length.
var endOfStream = []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}

// maxEventSchemas bounds the schema messages kept; past it they are all
// dropped (a schema is kept per table and column change).
const maxEventSchemas = 256

// eventSchemas holds serialized schema messages by schema.
var eventSchemas struct {
	mu    sync.Mutex
	bytes map[*arrow.Schema][]byte
}

// schemaMessage returns the serialized IPC schema message of schema.
func schemaMessage(schema *arrow.Schema) ([]byte, error) {
	eventSchemas.mu.Lock()
	b, ok := eventSchemas.bytes[schema]
	eventSchemas.mu.Unlock()
	if ok {
		return b, nil
	}
	p := ipc.GetSchemaPayload(schema, memory.DefaultAllocator)
	defer p.Release()
	var buf bytes.Buffer
	if _, err := p.WritePayload(&buf); err != nil {
		return nil, err
	}
	b = buf.Bytes()
	eventSchemas.mu.Lock()
	if eventSchemas.bytes == nil || len(eventSchemas.bytes) >= maxEventSchemas {
		eventSchemas.bytes = map[*arrow.Schema][]byte{}
	}
	eventSchemas.bytes[schema] = b
	eventSchemas.mu.Unlock()
	return b, nil
}

// encodeRecord serializes rec as an Arrow IPC stream, its batch message
// written by batchStream where it can, by Arrow's writer otherwise.
func encodeRecord(rec arrow.Record) ([]byte, error) {
	head, err := schemaMessage(rec.Schema())
	if err != nil {
		return nil, err
	}
	if stream, ok := batchStream(head, rec); ok {
		return stream, nil
	}
	p, err := ipc.GetRecordBatchPayload(rec)
	if err != nil {
		return nil, err
	}
	defer p.Release()
	// The batch message is measured first, so that the payload is one
	// allocation of its exact size rather than a buffer grown by
	// doubling (four times the bytes for a one-row record).
	var size byteCounter
	if _, err := p.WritePayload(&size); err != nil {
		return nil, err
	}
	buf := bytes.NewBuffer(make([]byte, 0, len(head)+int(size)+len(endOfStream)))
	buf.Write(head)
	if _, err := p.WritePayload(buf); err != nil {
		return nil, err
	}
	buf.Write(endOfStream)
	return buf.Bytes(), nil
}

// byteCounter is a writer that only counts what it is given.
type byteCounter int

func (c *byteCounter) Write(b []byte) (int, error) {
	*c += byteCounter(len(b))
	return len(b), nil
}
