package pgcatalog

import (
	"slices"
	"sync"

	"github.com/pqdb/pqdb/catalog"
)

// sharedBKIRows are the decoded bootstrap rows of catalog name, decoded
// once and shared by every statement: the row makers that filter or
// extend the bki's rows (pg_proc's 3,000 of them) read them without
// decoding them again. Neither the slice nor its rows may be changed;
// the slice is clipped, so appending to it copies.
func sharedBKIRows(name string) ([][]catalog.Datum, error) {
	f, _ := sharedBKI.LoadOrStore(name, sync.OnceValues(func() ([][]catalog.Datum, error) {
		rows, err := bkiRows(name)
		return slices.Clip(rows), err
	}))
	return f.(func() ([][]catalog.Datum, error))()
}

var sharedBKI sync.Map
