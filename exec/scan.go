package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

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
// subquery) reads from the start again. Records larger than the batch
// limit are passed on whole: their columns are already in memory.
func NewScan(types []catalog.Type, open func() (RecordSource, error)) Operator {
	return &scanOp{types: types, open: open}
}

type scanOp struct {
	types []catalog.Type
	open  func() (RecordSource, error)
	ctx   *Context
	src   RecordSource
	rec   arrow.Record
	out   Batch
}

func (s *scanOp) Types() []catalog.Type { return s.types }

func (s *scanOp) Open(ctx *Context) error {
	s.ctx = ctx
	src, err := s.open()
	if err != nil {
		return err
	}
	s.src = src
	return nil
}

func (s *scanOp) Next() (*Batch, error) {
	s.releaseRecord()
	for {
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
		// The source may reuse the record after its next call; keep our
		// own reference until this batch is done.
		rec.Retain()
		s.rec = rec
		s.out = Batch{Cols: rec.Columns(), Len: int(rec.NumRows())}
		return &s.out, nil
	}
}

func (s *scanOp) releaseRecord() {
	if s.rec != nil {
		s.rec.Release()
		s.rec = nil
	}
}

func (s *scanOp) Close() {
	s.releaseRecord()
	if s.src != nil {
		s.src.Close()
		s.src = nil
	}
}
