package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// newConcat is text || text (the planner casts other operands to text);
// NULL on either side gives NULL, unlike concat().
func newConcat(l, r Expr) (Expr, error) {
	if !l.Type().IsString() || !r.Type().IsString() {
		if l.Type().Kind == catalog.Bytea && r.Type().Kind == catalog.Bytea {
			return &binaryExpr{l: l, r: r, t: catalog.TypeBytea, kernel: concatKernel(catalog.TypeBytea, false, false)}, nil
		}
		return nil, errOperatorDoesNotExist("||", l.Type(), r.Type())
	}
	return &binaryExpr{l: l, r: r, t: catalog.TypeText,
		kernel: concatKernel(catalog.TypeText, l.Type().Kind == catalog.Bpchar, r.Type().Kind == catalog.Bpchar)}, nil
}

func concatKernel(t catalog.Type, lPad, rPad bool) binaryKernel {
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := varlenViewOf(xa), varlenViewOf(ya)
		nulls := combineNulls(mem, b.Len, xa, ya)
		defer nulls.release()
		out := newVarlenBuilder(mem, b.Len, 0)
		rows := selectionCursor{sel: b.Sel}
		for i := 0; i < b.Len; i++ {
			if !rows.selected(i) || nulls.isNull(i) {
				out.appendNull()
				continue
			}
			p, q := x.bytes(i), y.bytes(i)
			if lPad {
				p = trimTrailingSpaces(p)
			}
			if rPad {
				q = trimTrailingSpaces(q)
			}
			out.grow(len(p) + len(q))
			out.data = append(out.data, p...)
			out.appendBytes(q)
		}
		return out.finish(t), nil
	}
}
