package exec

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/jsonb"
)

// jsonb values are equal and ordered as jsonb's btree operator class says
// (jsonb.Compare), not as their stored text: '1.0' = '1', and '[]' sorts
// before every scalar. The comparison kernels parse both operands; hashing,
// grouping, DISTINCT, joins, set operations and sorting take the key
// jsonb.AppendKey makes of the parsed value (equal exactly for equal
// values, ordered by bytes.Compare as the values are), through varlenKey.
//
// json (not jsonb) has neither: its comparisons do not exist, and the
// planner refuses to group, sort or join by it, as PostgreSQL does.

// jsonbReader parses stored jsonb texts into values, reusing its parser
// and buffer. The stored text was checked when it was written, so parsing
// it cannot fail; should it (a file written by another engine), the value
// is read as the JSON string of the text, which keeps keys and comparisons
// total and deterministic.
type jsonbReader struct {
	parser jsonb.Parser
	buf    []byte
}

// value parses the stored text p; the value is valid until the next call.
func (r *jsonbReader) value(p []byte) jsonb.Value {
	v, err := r.parser.Append(r.buf[:0], p)
	if err != nil {
		v = jsonb.AppendString(r.buf[:0], p)
	}
	r.buf = v
	return jsonb.Value(v)
}

// appendKey appends the sort and hash key of the stored text p.
func (r *jsonbReader) appendKey(dst, p []byte) []byte {
	return jsonb.AppendKey(dst, r.value(p))
}

// jsonbRowReader reads the rows of one column in a kernel, parsing a
// text only when it differs from the previous row's: a constant operand
// (doc @> '{"k": 1}') is parsed once per batch. It keeps the previous
// row's bytes, so it must not outlive the batch.
type jsonbRowReader struct {
	r    jsonbReader
	last []byte
	v    jsonb.Value
	have bool
}

func (c *jsonbRowReader) value(p []byte) jsonb.Value {
	if !c.have || !bytes.Equal(p, c.last) {
		c.v, c.last, c.have = c.r.value(p), p, true
	}
	return c.v
}

// jsonbCompare is the comparison kernel of two jsonb columns.
func jsonbCompare(op BinaryOp) binaryKernel {
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := varlenViewOf(xa), varlenViewOf(ya)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa, ya)
		var rx, ry jsonbRowReader
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			p, q := x.bytes(int(i)), y.bytes(int(i))
			var c int
			if !bytes.Equal(p, q) { // equal texts are equal values
				c = jsonb.Compare(rx.value(p), ry.value(q))
			}
			out.set(int(i), opHolds(op, c))
		}
		return out.finish(), nil
	}
}

// compareJSONBTexts orders two stored jsonb texts as jsonb.Compare.
func compareJSONBTexts(a, b string) int {
	if a == b {
		return 0
	}
	var ra, rb jsonbReader
	return jsonb.Compare(ra.value([]byte(a)), rb.value([]byte(b)))
}

// isJSONKind reports whether k is json or jsonb.
func isJSONKind(k catalog.Kind) bool { return k == catalog.JSON || k == catalog.JSONB }
