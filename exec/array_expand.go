package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// information_schema._pg_expandarray(anyarray) is the set of an array's
// elements x each with its position n counted from 1: PostgreSQL's
// information_schema.sql defines it for its own views, and drivers call it
// on pg_index.indkey to number a key's columns (pgjdbc's getPrimaryKeys
// and getIndexInfo, often as (information_schema._pg_expandarray(indkey)).n
// in a select list). Its elements are unnest's; n is the element's number
// in its row's set.
func init() {
	registerSetFunc(&setFuncDef{
		resolve: func(ts []catalog.Type) ([]catalog.Type, []catalog.Type, error) {
			if len(ts) != 1 || ts[0].Kind != catalog.Array {
				return nil, nil, errNoFunction("_pg_expandarray", ts)
			}
			return ts, []catalog.Type{ts[0].ElemType(), catalog.TypeInt4}, nil
		},
		columns: []string{"x", "n"},
		build: func(args []Expr, result []catalog.Type) func(*Context, []arrow.Array, *Batch) (setRows, error) {
			elements := setFuncRegistry["unnest"].build(args, result[:1])
			return func(ctx *Context, args []arrow.Array, b *Batch) (setRows, error) {
				rows, err := elements(ctx, args, b)
				if err != nil {
					return nil, err
				}
				return numberedSet{rows}, nil
			}
		},
	}, "_pg_expandarray")
}

// numberedSet is a one-column set followed by each row's number in its
// set, counted from 1.
type numberedSet struct{ setRows }

func (s numberedSet) gather(mem memory.Allocator, rows []int32, elems []int64) ([]arrow.Array, error) {
	cols, err := s.setRows.gather(mem, rows, elems)
	if err != nil {
		return nil, err
	}
	n := newFixedBuilder[int32](mem, len(rows))
	for k, e := range elems {
		if e < 0 {
			n.setNull(k)
			continue
		}
		n.vals[k] = int32(e + 1)
	}
	return append(cols, n.finish(catalog.TypeInt4)), nil
}
