package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// unnest(anyarray) is the set of an array's elements in storage order
// (every dimension flattened); a NULL or empty array is an empty set. The
// sets are the list column's own offsets into its elements, so nothing is
// copied until ProjectSet gathers the output rows. unnest with several
// arguments exists only in FROM, where the planner makes it ROWS FROM
// (unnest(a), unnest(b), ...).
func init() {
	registerSetFunc(&setFuncDef{
		resolve: func(ts []catalog.Type) ([]catalog.Type, []catalog.Type, error) {
			if len(ts) == 1 && ts[0].Kind == catalog.Unknown {
				e := pgerr.New(pgerr.AmbiguousFunction, "function unnest(unknown) is not unique")
				e.Hint = "Could not choose a best candidate function. You might need to add explicit type casts."
				return nil, nil, e
			}
			if len(ts) != 1 || ts[0].Kind != catalog.Array {
				return nil, nil, errNoFunction("unnest", ts)
			}
			return ts, []catalog.Type{ts[0].ElemType()}, nil
		},
		build: func(_ []Expr, result []catalog.Type) func(*Context, []arrow.Array, *Batch) (setRows, error) {
			return func(_ *Context, args []arrow.Array, b *Batch) (setRows, error) {
				v := listViewOf(args[0])
				s := &listSet{types: result, lo: make([]int32, b.Len), hi: make([]int32, b.Len)}
				for _, i := range rowsOf(b) {
					if v.valid(int(i)) {
						s.lo[i], s.hi[i] = v.offsets[i], v.offsets[i+1]
					}
				}
				v.values.Retain()
				s.cols = []arrow.Array{v.values}
				return s, nil
			}
		},
	}, "unnest")
}
