package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// RecordSetFields makes f, a set function whose one column holds records
// (unnest of an array of records), give the records' fields as its
// columns instead, as a function returning a composite type does in FROM.
// A NULL record gives NULL fields.
func RecordSetFields(f *SetFunc) *SetFunc {
	rt := f.types[0]
	fields := rt.Fields()
	types := make([]catalog.Type, len(fields))
	for i, fd := range fields {
		types[i] = fd.Type
	}
	return &SetFunc{name: f.name, args: f.args, types: types, expand: func(ctx *Context, args []arrow.Array, b *Batch) (setRows, error) {
		rows, err := f.expand(ctx, args, b)
		if err != nil {
			return nil, err
		}
		return &recordFieldRows{setRows: rows, types: types}, nil
	}}
}

// recordFieldRows are the rows of a set of records, split into fields.
type recordFieldRows struct {
	setRows
	types []catalog.Type
}

func (s *recordFieldRows) gather(mem memory.Allocator, rows []int32, elems []int64) ([]arrow.Array, error) {
	cols, err := s.setRows.gather(mem, rows, elems)
	if err != nil {
		return nil, err
	}
	defer releaseAll(cols)
	out := make([]arrow.Array, len(s.types))
	for i, t := range s.types {
		out[i] = fieldOfRecords(mem, t, cols[0], i)
	}
	return out, nil
}
