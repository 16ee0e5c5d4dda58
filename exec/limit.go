package exec

import "github.com/pqdb/pqdb/catalog"

// NewLimit skips offset rows and then passes at most limit rows (limit < 0
// means no limit). It trims batches by narrowing their selection and
// stops pulling from its input once the limit is reached.
func NewLimit(in Operator, limit, offset int64) Operator {
	return &limitOp{in: in, limit: limit, offset: offset}
}

type limitOp struct {
	in            Operator
	limit, offset int64
	skipped, sent int64
	ctx           *Context
	out           Batch
}

func (l *limitOp) Types() []catalog.Type { return l.in.Types() }

func (l *limitOp) Open(ctx *Context) error {
	l.ctx, l.skipped, l.sent = ctx, 0, 0
	return l.in.Open(ctx)
}

func (l *limitOp) Next() (*Batch, error) {
	for {
		if l.limit >= 0 && l.sent >= l.limit {
			return nil, nil
		}
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
		if l.limit >= 0 {
			rows = rows[:min(int64(len(rows)), l.limit-l.sent)]
		}
		if len(rows) == 0 {
			continue
		}
		l.sent += int64(len(rows))
		l.out = Batch{Cols: b.Cols, Len: b.Len, Sel: rows}
		return &l.out, nil
	}
}

func (l *limitOp) Close() { l.in.Close() }
