package storage

import (
	"errors"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
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
			cols[i], errs[i] = decodeColumn(i, decode)
		}()
	}
	wg.Wait()
	return decodedColumns(cols, errs)
}

// inlineDecodeRows is the most rows a row group read decodes with
// decodeColumnsInline: a lookup's few rows come from a page or two per
// column, often cached (page_cache.go), and starting a goroutine per
// column (and growing its stack) would cost more than decoding them.
const inlineDecodeRows = 1024

// decodeColumnsInline is decodeColumns on the caller's goroutine, one
// column after another, into cols (len(cols) columns).
func decodeColumnsInline(cols []arrow.Array, decode func(i int) (arrow.Array, error)) ([]arrow.Array, error) {
	for i := range cols {
		var err error
		if cols[i], err = decodeColumn(i, decode); err != nil {
			return decodedColumns(cols, []error{err})
		}
	}
	return cols, nil
}

// decodeColumn is decode(i), a panic in it made an error.
func decodeColumn(i int, decode func(i int) (arrow.Array, error)) (arr arrow.Array, err error) {
	err = catchPanic(func() (err error) {
		arr, err = decode(i)
		return err
	})
	return arr, err
}

// decodedColumns returns cols, or on an error in errs releases them.
func decodedColumns(cols []arrow.Array, errs []error) ([]arrow.Array, error) {
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
