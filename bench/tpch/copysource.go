package tpch

import (
	"errors"
	"io"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// readChunkRows is how many rows are decoded from Parquet at a time while
// loading; it bounds the loader's memory independently of the COPY batch size.
const readChunkRows = 4096

// copyRows is a table's Parquet file as a source of COPY statements: each
// batch continues where the previous one stopped.
type copyRows interface {
	// batch is the pgx.CopyFromSource of the next COPY statement: at most
	// limit rows.
	batch(limit int64) copyBatch
	exhausted() bool
	Close() error
}

// copyBatch is one COPY statement's rows.
type copyBatch interface {
	Next() bool
	Values() ([]any, error)
	Err() error
}

// rowStream hands out the rows of a Parquet file one at a time, decoding them
// a chunk at a time.
type rowStream[T any] struct {
	reader *ParquetReader[T]
	table  *tableDef[T]
	buf    []T
	pos    int
	eof    bool
}

func newRowStream[T any](r *ParquetReader[T], t *tableDef[T]) *rowStream[T] {
	return &rowStream[T]{reader: r, table: t, buf: make([]T, 0, readChunkRows)}
}

// next returns the next row, or nil once the file is exhausted. The row is
// valid until the chunk is refilled.
func (s *rowStream[T]) next() (*T, error) {
	for s.pos == len(s.buf) {
		if s.eof {
			return nil, nil
		}
		n, err := s.reader.Read(s.buf[:cap(s.buf)])
		s.buf, s.pos = s.buf[:n], 0
		if errors.Is(err, io.EOF) {
			s.eof = true
		} else if err != nil {
			return nil, err
		}
	}
	row := &s.buf[s.pos]
	s.pos++
	return row, nil
}

func (s *rowStream[T]) exhausted() bool { return s.eof && s.pos == len(s.buf) }

func (s *rowStream[T]) Close() error { return s.reader.Close() }

func (s *rowStream[T]) batch(limit int64) copyBatch {
	return &streamBatch[T]{stream: s, left: limit, values: make([]any, len(s.table.columns))}
}

// streamBatch takes at most left rows from a shared rowStream.
type streamBatch[T any] struct {
	stream  *rowStream[T]
	left    int64
	row     *T
	err     error
	values  []any
	scratch copyScratch
}

func (b *streamBatch[T]) Next() bool {
	if b.left == 0 || b.err != nil {
		return false
	}
	row, err := b.stream.next()
	if err != nil {
		b.err = err
		return false
	}
	if row == nil {
		return false
	}
	b.row = row
	b.left--
	return true
}

func (b *streamBatch[T]) Values() ([]any, error) {
	b.stream.table.values(b.row, &b.scratch, b.values)
	return b.values, nil
}

func (b *streamBatch[T]) Err() error { return b.err }

// copyScratch holds reusable numeric and date arguments: pgx encodes a COPY
// row's values before it asks for the next row, so one holder per column
// suffices and no row allocates.
type copyScratch struct {
	numerics [4]centsNumeric
	dates    [3]pgtype.Date
}

// cents is the i-th numeric(15,2) argument, set to v hundredths.
func (s *copyScratch) cents(i int, v int64) any {
	s.numerics[i].n.SetInt64(v)
	return &s.numerics[i]
}

// date is the i-th date argument, set to days since 1970-01-01.
func (s *copyScratch) date(i int, days int32) any {
	s.dates[i] = pgtype.Date{Time: time.Unix(int64(days)*86400, 0).UTC(), Valid: true}
	return &s.dates[i]
}

// centsNumeric is a numeric with scale 2 whose digits can be reset in place.
type centsNumeric struct{ n big.Int }

func (c *centsNumeric) NumericValue() (pgtype.Numeric, error) {
	return pgtype.Numeric{Int: &c.n, Exp: -2, Valid: true}, nil
}
