package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// maxMemoRows bounds the rows a lateral join keeps memoized in one Open;
// past it, results for new outer values are used once and dropped.
const maxMemoRows = 1 << 20

// NewLateralJoin is a dependent join (LATERAL, PostgreSQL's nested loop
// with a parameterized inner side): for each left row, outerCols are
// evaluated over it and pushed on ctx.Outer, where right's plan reads
// them through OuterRef, as a correlated subquery's does; right is
// re-opened and drained, and the left row is joined with every row it
// returned for which pred (over left ++ right columns, nil for true)
// holds. kind is JoinInner or JoinLeft, which also emits each left row
// with no such right row, with NULLs on the right.
//
// With memoize (right calls nothing volatile, so equal outer values give
// equal rows within a statement), right runs once per distinct tuple of
// outer values, as PostgreSQL's Memoize does; the rows are kept for the
// rest of the Open, up to maxMemoEntries tuples and maxMemoRows rows.
//
// The right rows of one left batch are gathered into one column set (the
// joinCore's right side), spans telling each left row its rows, so that
// pairs are emitted and filtered in batches as in the other joins.
func NewLateralJoin(left, right Operator, kind JoinKind, outerCols []Expr, pred Expr, memoize bool) Operator {
	n := &lateralJoinOp{rightOp: right, outerCols: outerCols, outerTypes: typesOf(outerCols), memoize: memoize}
	n.joinCore = newJoinCore(kind, left, right, pred, n)
	return n
}

type lateralJoinOp struct {
	joinCore
	rightOp    Operator
	outerCols  []Expr
	outerTypes []catalog.Type
	memoize    bool

	memo     map[string]*lateralRows
	memoRows int

	rows  []int32    // active rows of the current left batch
	spans [][2]int32 // by position in rows: its right rows [from, to)
	k     int        // position in rows
	r     int32      // next right row of rows[k]
}

// lateralRows is what one run of the right side returned.
type lateralRows struct {
	cols []arrow.Array
	n    int
}

func (l *lateralRows) release() { releaseAll(l.cols) }

func (n *lateralJoinOp) Open(ctx *Context) error {
	n.ctx, n.cur = ctx, nil
	n.releaseMemo()
	return n.left.Open(ctx)
}

// run drains the right side for one tuple of outer values.
func (n *lateralJoinOp) run(row []catalog.Datum) (*lateralRows, error) {
	ctx := n.ctx
	ctx.Outer = append(ctx.Outer, row)
	defer func() { ctx.Outer = ctx.Outer[:len(ctx.Outer)-1] }()
	err := n.rightOp.Open(ctx)
	var res lateralRows
	if err == nil {
		res.cols, res.n, err = materialize(ctx, n.rightOp, nil)
	}
	n.rightOp.Close()
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// start runs the right side for the rows of left batch b (once per
// distinct tuple of outer values when memoized) and gathers the rows
// into the joinCore's right side.
func (n *lateralJoinOp) start(ctx *Context, b *Batch) error {
	releaseAll(n.right)
	n.right, n.rightLen = nil, 0
	outer, err := evalAll(ctx, n.outerCols, b)
	if err != nil {
		return err
	}
	defer releaseAll(outer)
	n.rows = append(n.rows[:0], rowsOf(b)...)
	n.spans = growTo(n.spans[:0], len(n.rows))
	n.k, n.r = 0, 0
	// The results this batch uses, in order, and each row's among them.
	var used []*lateralRows
	var owned []*lateralRows // not memoized: dropped once gathered
	defer func() {
		for _, r := range owned {
			r.release()
		}
	}()
	which := make([]int, len(n.rows))
	inBatch := map[string]int{}
	for k, i := range n.rows {
		row := make([]catalog.Datum, len(outer))
		for c, col := range outer {
			row[c] = datumAt(col, n.outerTypes[c], int(i))
		}
		var key string
		if n.memoize {
			key = memoKey(row)
			if u, ok := inBatch[key]; ok {
				which[k] = u
				continue
			}
		}
		res, ok := n.memo[key]
		if !n.memoize || !ok {
			if res, err = n.run(row); err != nil {
				return err
			}
			if n.memoize && len(n.memo) < maxMemoEntries && n.memoRows+res.n <= maxMemoRows {
				if n.memo == nil {
					n.memo = map[string]*lateralRows{}
				}
				n.memo[key] = res
				n.memoRows += res.n
			} else {
				owned = append(owned, res)
			}
		}
		if n.memoize {
			inBatch[key] = len(used)
		}
		which[k] = len(used)
		used = append(used, res)
	}
	starts := make([]int32, len(used))
	total := 0
	for u, res := range used {
		starts[u] = int32(total)
		total += res.n
	}
	for k := range n.rows {
		res := used[which[k]]
		n.spans[k] = [2]int32{starts[which[k]], starts[which[k]] + int32(res.n)}
	}
	cols, err := gatherLateralRows(ctx, n.rightTypes, used)
	if err != nil {
		return err
	}
	n.right, n.rightLen = cols, total
	return nil
}

// gatherLateralRows concatenates the columns of the results, in order.
func gatherLateralRows(ctx *Context, types []catalog.Type, used []*lateralRows) ([]arrow.Array, error) {
	var nonEmpty [][]arrow.Array
	for _, r := range used {
		if r.n > 0 {
			nonEmpty = append(nonEmpty, r.cols)
		}
	}
	return concatColumns(ctx, types, nonEmpty)
}

func (n *lateralJoinOp) next(li, ri []int32, max int) ([]int32, []int32) {
	for len(li) < max && n.k < len(n.rows) {
		span := n.spans[n.k]
		if n.r < span[0] {
			n.r = span[0]
		}
		l := n.rows[n.k]
		for n.r < span[1] && len(li) < max {
			li = append(li, l)
			ri = append(ri, n.r)
			n.r++
		}
		if n.r >= span[1] {
			n.k++
			n.r = 0
		}
	}
	return li, ri
}

func (n *lateralJoinOp) releaseMemo() {
	for _, r := range n.memo {
		r.release()
	}
	n.memo, n.memoRows = nil, 0
}

func (n *lateralJoinOp) Close() {
	n.releaseMemo()
	n.closeCore()
}
