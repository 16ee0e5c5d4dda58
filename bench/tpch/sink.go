package tpch

import (
	"errors"

	"github.com/pingcap/go-tpc/tpch/dbgen"
)

// errEnoughOrders stops dbgen once a caller's order limit is reached.
var errEnoughOrders = errors.New("tpch: order limit reached")

// batchSink is the dbgen.Loader of one table, as Generate drives it.
type batchSink interface {
	dbgen.Loader
	wanted() bool
	tableName() string
	// finish emits the final partial batch and returns the first error the
	// sink met, other than reaching its limit.
	finish() error
	rowCount() int64
	reachedLimit() bool
}

// sink turns the items dbgen generates into batches of rows of type T. A sink
// without an emitter accepts and drops everything, which lets dbgen generate a
// table for the sake of its partner.
type sink[T any] struct {
	name      string
	emit      func([]T) error
	convert   func(item any, out []T) ([]T, error)
	batch     []T
	batchRows int
	// limit is the number of dbgen items (orders) after which the sink stops
	// dbgen; 0 means no limit.
	limit int64
	items int64
	rows  int64
	err   error
}

func newSink[T any](name string, emit func([]T) error, convert func(any, []T) ([]T, error), batchRows int, limit int64) *sink[T] {
	s := &sink[T]{name: name, emit: emit, convert: convert, batchRows: batchRows, limit: limit}
	if emit != nil {
		// Room for the largest item (an order's seven lines) past a full batch.
		s.batch = make([]T, 0, batchRows+8)
	}
	return s
}

func (s *sink[T]) Load(item any) error {
	if s.err != nil {
		return s.err
	}
	if s.limit > 0 && s.items >= s.limit {
		s.err = errEnoughOrders
		return s.err
	}
	s.items++
	if s.emit == nil {
		return nil
	}
	if s.batch, s.err = s.convert(item, s.batch); s.err != nil {
		return s.err
	}
	if len(s.batch) >= s.batchRows {
		s.err = s.flush()
	}
	return s.err
}

// Flush is called by dbgen after the table; the final partial batch is emitted
// by finish instead, where its error can be returned.
func (s *sink[T]) Flush() error { return nil }

func (s *sink[T]) flush() error {
	if len(s.batch) == 0 {
		return nil
	}
	if err := s.emit(s.batch); err != nil {
		return err
	}
	s.rows += int64(len(s.batch))
	s.batch = s.batch[:0]
	return nil
}

func (s *sink[T]) finish() error {
	if s.err != nil && !errors.Is(s.err, errEnoughOrders) {
		return s.err
	}
	if s.emit == nil {
		return nil
	}
	return s.flush()
}

func (s *sink[T]) wanted() bool       { return s.emit != nil }
func (s *sink[T]) tableName() string  { return s.name }
func (s *sink[T]) rowCount() int64    { return s.rows }
func (s *sink[T]) reachedLimit() bool { return errors.Is(s.err, errEnoughOrders) }
