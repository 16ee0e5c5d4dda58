package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// pg_partition_ancestors(regclass) lists a partition and the partitioned
// tables above it, and no rows for a relation that is no partition.
// pqdb has no partitioning, so every set is empty; psql's \d asks it
// about every table it describes.
func init() {
	result := []catalog.Type{catalog.TypeRegclass}
	registerSetFunc(&setFuncDef{
		resolve: func(ts []catalog.Type) ([]catalog.Type, []catalog.Type, error) {
			if len(ts) != 1 || !(catalog.IsOIDKind(ts[0].Kind) || ts[0].IsInteger() || ts[0].Kind == catalog.Unknown) {
				return nil, nil, errNoFunction("pg_partition_ancestors", ts)
			}
			return result, result, nil
		},
		build: func([]Expr, []catalog.Type) func(*Context, []arrow.Array, *Batch) (setRows, error) {
			return func(ctx *Context, _ []arrow.Array, b *Batch) (setRows, error) {
				// No rows; the empty column is what a set running
				// beside a longer one pads NULLs from.
				empty, err := datumsToArray(ctx.Mem, result[0], nil)
				if err != nil {
					return nil, err
				}
				return &listSet{types: result, lo: make([]int32, b.Len), hi: make([]int32, b.Len), cols: []arrow.Array{empty}}, nil
			}
		},
	}, "pg_partition_ancestors")
}
