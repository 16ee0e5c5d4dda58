package exec

import (
	"fmt"
	"strings"

	"github.com/pqdb/pqdb/catalog"
)

// maxMemoEntries bounds how many outer-value tuples a memoized subquery
// keeps results for in one statement; past it, new tuples just run.
const maxMemoEntries = 1 << 14

// runFor runs the correlated subquery for one outer row, or returns the
// result an equal outer row already got when the subquery is memoized.
func (s *subqueryExpr) runFor(ctx *Context, row []catalog.Datum) (*subqueryResult, error) {
	var key string
	if s.memoize {
		key = memoKey(row)
		if res, ok := ctx.subqueryMemo[s][key]; ok {
			return res, nil
		}
	}
	ctx.Outer = append(ctx.Outer, row)
	res, err := s.run(ctx, false)
	ctx.Outer = ctx.Outer[:len(ctx.Outer)-1]
	if err != nil || !s.memoize {
		return res, err
	}
	if ctx.subqueryMemo == nil {
		ctx.subqueryMemo = map[*subqueryExpr]map[string]*subqueryResult{}
	}
	m := ctx.subqueryMemo[s]
	if m == nil {
		m = map[string]*subqueryResult{}
		ctx.subqueryMemo[s] = m
	}
	if len(m) < maxMemoEntries {
		m[key] = res
	}
	return res, nil
}

// memoKey encodes outer values so that equal tuples, and only they, give
// equal keys: each value with its Go type and quoted text.
func memoKey(row []catalog.Datum) string {
	var b strings.Builder
	for _, d := range row {
		if d == nil {
			b.WriteString("N;")
			continue
		}
		if a, ok := d.(catalog.ArrayValue); ok {
			// Elements one by one: fmt would print {"a b"} and {a,b} alike.
			fmt.Fprintf(&b, "A%d:%q;", len(a), memoKey(a))
			continue
		}
		fmt.Fprintf(&b, "%T:%q;", d, fmt.Sprint(d))
	}
	return b.String()
}
