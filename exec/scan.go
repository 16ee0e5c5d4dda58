package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// RecordSource yields Arrow records, nil at the end. storage's
// RecordReader satisfies it; exec does not depend on storage.
type RecordSource interface {
	Next() (arrow.Record, error)
	Close()
}

// NewScan turns the records of a source into batches without copying.
// open is called on every Open, so a re-opened scan (a correlated
// subquery) reads from the start again; it gets the Context so that it
// can ask its source for records of at most ctx.MaxBatchRows() rows.
// Records larger than that are passed on in zero-copy slices.
func NewScan(types []catalog.Type, open func(ctx *Context) (RecordSource, error)) Operator {
	return &scanOp{types: types, open: open}
}

type scanOp struct {
	types []catalog.Type
	open  func(ctx *Context) (RecordSource, error)
	ctx   *Context
	src   RecordSource
	rec   arrow.Record
	// decoded holds columns converted from dictionary encoding for the
	// current batch.
	decoded []arrow.Array
	cols    []arrow.Array // the current record's columns
	off     int           // next row of the current record to emit
	recLen  int
	window  []arrow.Array // slices emitted for the current batch
	out     Batch
}

func (s *scanOp) Types() []catalog.Type { return s.types }

func (s *scanOp) Open(ctx *Context) error {
	s.ctx = ctx
	src, err := s.open(ctx)
	if err != nil {
		return err
	}
	s.src = src
	return nil
}

func (s *scanOp) Next() (*Batch, error) {
	releaseAll(s.window)
	s.window = s.window[:0]
	for {
		if s.rec != nil && s.off < s.recLen {
			end := min(s.recLen, s.off+s.ctx.MaxBatchRows())
			if s.off == 0 && end == s.recLen {
				s.off = end
				s.out = Batch{Cols: s.cols, Len: s.recLen}
				return &s.out, nil
			}
			// Records larger than a batch go out in zero-copy windows.
			for _, c := range s.cols {
				s.window = append(s.window, array.NewSlice(c, int64(s.off), int64(end)))
			}
			s.out = Batch{Cols: s.window, Len: end - s.off}
			s.off = end
			return &s.out, nil
		}
		s.releaseRecord()
		if err := s.ctx.Ctx.Err(); err != nil {
			return nil, err
		}
		rec, err := s.src.Next()
		if err != nil || rec == nil {
			return nil, err
		}
		if rec.NumRows() == 0 {
			continue
		}
		if int(rec.NumCols()) != len(s.types) {
			return nil, internalf("scan record has %d columns, want %d", rec.NumCols(), len(s.types))
		}
		cols, err := s.columns(rec)
		if err != nil {
			return nil, err
		}
		// The source may reuse the record after its next call; keep our
		// own reference until its rows are passed on.
		rec.Retain()
		s.rec, s.cols, s.off, s.recLen = rec, cols, 0, int(rec.NumRows())
	}
}

// columns checks that every column has the physical layout of its SQL
// type. Dictionary-encoded columns (as Parquet readers may produce) are
// decoded; anything else that does not match is a storage bug, reported
// instead of misread.
func (s *scanOp) columns(rec arrow.Record) ([]arrow.Array, error) {
	cols := rec.Columns()
	var out []arrow.Array
	for i, c := range cols {
		want := s.types[i].ArrowType()
		if sameLayout(c.DataType(), want) {
			continue
		}
		if out == nil {
			out = append([]arrow.Array(nil), cols...)
		}
		dict, ok := c.(*array.Dictionary)
		if !ok || !sameLayout(dict.Dictionary().DataType(), want) {
			releaseAll(s.decoded)
			return nil, internalf("scan column %d is %s, want %s", i, c.DataType(), want)
		}
		idx := make([]int32, dict.Len())
		for r := range idx {
			if dict.IsNull(r) {
				idx[r] = -1
				continue
			}
			idx[r] = int32(dict.GetValueIndex(r))
		}
		decoded := takeNullable(s.ctx.Mem, s.types[i], dict.Dictionary(), idx)
		s.decoded = append(s.decoded, decoded)
		out[i] = decoded
	}
	if out == nil {
		return cols, nil
	}
	return out, nil
}

func (s *scanOp) releaseRecord() {
	if s.rec != nil {
		s.rec.Release()
		s.rec = nil
	}
	releaseAll(s.decoded)
	s.decoded = s.decoded[:0]
}

func (s *scanOp) Close() {
	releaseAll(s.window)
	s.window = s.window[:0]
	s.releaseRecord()
	if s.src != nil {
		s.src.Close()
		s.src = nil
	}
}

// sameLayout reports whether a column of type got can be read as want:
// the same physical type, where decimals may differ in precision and
// timestamps in their zone label, but not in scale or unit.
func sameLayout(got, want arrow.DataType) bool {
	if got.ID() != want.ID() {
		return false
	}
	switch w := want.(type) {
	case *arrow.Decimal128Type:
		return got.(*arrow.Decimal128Type).Scale == w.Scale
	case *arrow.TimestampType:
		return got.(*arrow.TimestampType).Unit == w.Unit
	case *arrow.Time64Type:
		return got.(*arrow.Time64Type).Unit == w.Unit
	case *arrow.FixedSizeBinaryType:
		return got.(*arrow.FixedSizeBinaryType).ByteWidth == w.ByteWidth
	}
	return true
}
