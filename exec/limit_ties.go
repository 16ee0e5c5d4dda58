package exec

import (
	"bytes"
	"slices"

	"github.com/pqdb/pqdb/catalog"
)

// NewLimitWithTies is OFFSET offset FETCH FIRST limit ROWS WITH TIES over
// an input sorted by keys: it skips offset rows, passes limit rows and
// then every following row that is a peer of the last one passed (equal
// in every key), as PostgreSQL's Limit node in WITH TIES mode. A limit
// of 0 passes nothing.
func NewLimitWithTies(in Operator, keys []SortKey, limit, offset int64) Operator {
	return &limitTiesOp{in: in, keys: keys, limit: limit, offset: offset}
}

type limitTiesOp struct {
	in            Operator
	keys          []SortKey
	limit, offset int64
	skipped, sent int64
	lastKey       []byte // the key of the limit-th row, once passed
	done          bool
	ctx           *Context
	out           Batch
}

func (l *limitTiesOp) Types() []catalog.Type { return l.in.Types() }

func (l *limitTiesOp) Open(ctx *Context) error {
	l.ctx, l.skipped, l.sent, l.lastKey, l.done = ctx, 0, 0, nil, l.limit == 0
	return l.in.Open(ctx)
}

func (l *limitTiesOp) Next() (*Batch, error) {
	for !l.done {
		b, err := l.in.Next()
		if err != nil || b == nil {
			return nil, err
		}
		rows := rowsOf(b)
		if skip := l.offset - l.skipped; skip > 0 {
			n := min(skip, int64(len(rows)))
			l.skipped += n
			rows = rows[n:]
		}
		if len(rows) == 0 {
			continue
		}
		// The rows before the limit pass as they are; the keys are
		// needed only from the limit-th row on.
		take := min(int64(len(rows)), l.limit-l.sent)
		out := rows[:take]
		l.sent += take
		if l.sent == l.limit {
			keys, err := l.encodeKeys(b)
			if err != nil {
				return nil, err
			}
			if l.lastKey == nil {
				l.lastKey = slices.Clone(keys.key(int(rows[take-1])))
			}
			n := take
			for n < int64(len(rows)) && bytes.Equal(keys.key(int(rows[n])), l.lastKey) {
				n++
			}
			out = rows[:n]
			l.done = n < int64(len(rows))
		}
		if len(out) == 0 {
			continue
		}
		l.out = Batch{Cols: b.Cols, Len: b.Len, Sel: out}
		return &l.out, nil
	}
	return nil, nil
}

// encodeKeys encodes the sort keys of every row of b.
func (l *limitTiesOp) encodeKeys(b *Batch) (*sortKeys, error) {
	exprs := make([]Expr, len(l.keys))
	for i, k := range l.keys {
		exprs[i] = k.Expr
	}
	cols, err := evalAll(l.ctx, exprs, b)
	if err != nil {
		return nil, err
	}
	defer releaseAll(cols)
	return encodeSortKeys(l.keys, cols, b.Len), nil
}

func (l *limitTiesOp) Close() { l.in.Close() }
