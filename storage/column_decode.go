package storage

import (
	"errors"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/pgerr"
)

// decodeColumns decodes n column chunks of one row group in parallel,
// decode(i) making the i-th: they decode independently. A panic in a
// decoder (a malformed file) fails the read instead of ending the
// process. On error every decoded column is released.
func decodeColumns(n int, decode func(i int) (arrow.Array, error)) ([]arrow.Array, error) {
	cols := make([]arrow.Array, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = pgerr.FromPanic(r)
				}
			}()
			cols[i], errs[i] = decode(i)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, a := range cols {
			if a != nil {
				a.Release()
			}
		}
		return nil, err
	}
	return cols, nil
}
