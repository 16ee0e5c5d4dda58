package exec

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

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

// NewLimitOf is NewLimit with the count and offset (nil: none) computed
// each time the operator is opened, from expressions over no input row:
// a LIMIT that reads a value of an enclosing query, or of the left side
// of a LATERAL join, which differs from one run to the next. As in
// PostgreSQL, a NULL count is no limit, a NULL offset none, and negative
// ones are errors.
func NewLimitOf(in Operator, count, offset Expr) Operator {
	return &limitOfOp{limitOp: limitOp{in: in}, countExpr: count, offsetExpr: offset}
}

type limitOfOp struct {
	limitOp
	countExpr, offsetExpr Expr
}

func (l *limitOfOp) Open(ctx *Context) error {
	if err := l.limitOp.Open(ctx); err != nil {
		return err
	}
	count, isNull, err := limitArg(ctx, l.countExpr)
	switch {
	case err != nil:
		return err
	case isNull:
		l.limit = -1
	case count < 0:
		return pgerr.New(pgerr.InvalidRowCountInLimitClause, "LIMIT must not be negative")
	default:
		l.limit = count
	}
	offset, isNull, err := limitArg(ctx, l.offsetExpr)
	switch {
	case err != nil:
		return err
	case isNull:
		l.offset = 0
	case offset < 0:
		return pgerr.New(pgerr.InvalidRowCountInResultOffsetClause, "OFFSET must not be negative")
	default:
		l.offset = offset
	}
	return nil
}

// limitArg evaluates a LIMIT or OFFSET expression (of type int8); nil
// counts as NULL.
func limitArg(ctx *Context, e Expr) (int64, bool, error) {
	if e == nil {
		return 0, true, nil
	}
	a, err := e.Eval(ctx, &Batch{Len: 1})
	if err != nil {
		return 0, false, err
	}
	defer a.Release()
	d := datumAt(a, e.Type(), 0)
	if d == nil {
		return 0, true, nil
	}
	return d.(int64), false, nil
}
