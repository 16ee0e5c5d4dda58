package exec

// NewNestedLoopJoin joins every left row with every right row for which
// pred (over left ++ right columns) is true; pred nil is a cross join. The
// right input is materialized once per Open; pairs are evaluated in
// blocks of up to a batch, so pred runs vectorized.
func NewNestedLoopJoin(left, right Operator, kind JoinKind, pred Expr) Operator {
	n := &nestedLoopJoinOp{rightOp: right}
	n.joinCore = newJoinCore(kind, left, right, pred, n)
	return n
}

type nestedLoopJoinOp struct {
	joinCore
	rightOp Operator
	built   bool
	// charge is the materialized right side, charged to the statement.
	charge memoryCharge

	rows []int32 // active rows of the current left batch
	k    int     // position in rows
	r    int     // next right row
}

func (n *nestedLoopJoinOp) Open(ctx *Context) error {
	n.ctx, n.built, n.cur = ctx, false, nil
	n.rightMatched, n.tailAt = nil, 0
	if err := n.left.Open(ctx); err != nil {
		return err
	}
	return n.rightOp.Open(ctx)
}

func (n *nestedLoopJoinOp) Next() (*Batch, error) {
	if !n.built {
		n.built = true
		cols, rows, err := materialize(n.ctx, n.rightOp, &n.charge)
		if err != nil {
			return nil, err
		}
		n.right, n.rightLen = cols, rows
		n.emptyRight = rows == 0
	}
	return n.joinCore.Next()
}

func (n *nestedLoopJoinOp) start(_ *Context, b *Batch) error {
	n.rows = append(n.rows[:0], rowsOf(b)...)
	n.k, n.r = 0, 0
	return nil
}

func (n *nestedLoopJoinOp) next(li, ri []int32, max int) ([]int32, []int32) {
	if n.rightLen == 0 {
		return li, ri
	}
	for len(li) < max && n.k < len(n.rows) {
		l := n.rows[n.k]
		for n.r < n.rightLen && len(li) < max {
			li = append(li, l)
			ri = append(ri, int32(n.r))
			n.r++
		}
		if n.r >= n.rightLen {
			n.r = 0
			n.k++
		}
	}
	return li, ri
}

func (n *nestedLoopJoinOp) Close() {
	if n.ctx != nil {
		n.charge.free(n.ctx)
	}
	n.rightOp.Close()
	n.closeCore()
}
