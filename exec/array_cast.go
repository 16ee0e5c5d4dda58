package exec

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// arrayCast casts an array element by element with the element types'
// cast (PostgreSQL's array_map over the element cast): the offsets and
// NULL rows stay, the child column is cast on the elements of the active
// rows only, so an element of a row the query does not select raises no
// error. loc is the session's zone, as castKernel takes it.
func arrayCast(from, to catalog.Type, loc *time.Location) (unaryKernel, error) {
	k, err := castKernel(from.ElemType(), to.ElemType(), loc)
	if err != nil {
		return nil, err
	}
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		v := listViewOf(xa)
		var sel []int32
		for _, i := range rowsOf(b) {
			if v.valid(int(i)) {
				lo, hi := v.bounds(int(i))
				for j := lo; j < hi; j++ {
					sel = append(sel, int32(j))
				}
			}
		}
		var child arrow.Array
		if k == nil {
			child = relabel(v.values, to.ElemType())
		} else {
			if child, err = k(mem, v.values, &Batch{Len: v.values.Len(), Sel: sel}); err != nil {
				return nil, err
			}
		}
		defer child.Release()
		return relist(xa, to, child), nil
	}, nil
}

// relabel returns a with the Arrow type of t (same physical layout).
func relabel(a arrow.Array, t catalog.Type) arrow.Array {
	d := a.Data()
	nd := array.NewData(t.ArrowType(), d.Len(), d.Buffers(), d.Children(), d.NullN(), d.Offset())
	defer nd.Release()
	return array.MakeFromData(nd)
}

// relist returns the List column a with its child replaced by child (of
// the same length) and its type by t.
func relist(a arrow.Array, t catalog.Type, child arrow.Array) arrow.Array {
	d := a.Data()
	nd := array.NewData(t.ArrowType(), d.Len(), d.Buffers(), []arrow.ArrayData{child.Data()}, d.NullN(), d.Offset())
	defer nd.Release()
	return array.MakeFromData(nd)
}
