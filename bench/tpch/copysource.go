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

// rowStream hands out the rows of a lineitem file one at a time, decoding
// them from Parquet a chunk at a time.
type rowStream struct {
	reader *LineItemReader
	buf    []LineItem
	pos    int
	eof    bool
}

func newRowStream(r *LineItemReader) *rowStream {
	return &rowStream{reader: r, buf: make([]LineItem, 0, readChunkRows)}
}

// next returns the next row, or nil once the file is exhausted. The row is
// valid until the chunk is refilled.
func (s *rowStream) next() (*LineItem, error) {
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

// exhausted reports whether the file has no rows left.
func (s *rowStream) exhausted() bool { return s.eof && s.pos == len(s.buf) }

// centsNumeric is a reusable numeric(15,2) argument: pgx encodes a COPY row's
// values before it asks for the next row, so one value per column suffices.
type centsNumeric struct{ n big.Int }

func (c *centsNumeric) NumericValue() (pgtype.Numeric, error) {
	return pgtype.Numeric{Int: &c.n, Exp: -2, Valid: true}, nil
}

// copyBatch is the pgx.CopyFromSource of one COPY statement: at most limit
// rows taken from a shared rowStream, so consecutive statements continue where
// the previous one stopped.
type copyBatch struct {
	stream   *rowStream
	left     int64
	row      *LineItem
	err      error
	values   []any
	numerics [4]centsNumeric
	dates    [3]pgtype.Date
}

func newCopyBatch(stream *rowStream, limit int64) *copyBatch {
	return &copyBatch{stream: stream, left: limit, values: make([]any, len(LineItemColumns))}
}

func (b *copyBatch) Next() bool {
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

func (b *copyBatch) Values() ([]any, error) {
	r := b.row
	v := b.values
	v[0], v[1], v[2], v[3] = r.OrderKey, r.PartKey, r.SuppKey, r.LineNumber
	for i, cents := range [4]int64{r.Quantity, r.ExtendedPrice, r.Discount, r.Tax} {
		b.numerics[i].n.SetInt64(cents)
		v[4+i] = &b.numerics[i]
	}
	v[8], v[9] = r.ReturnFlag, r.LineStatus
	for i, days := range [3]int32{r.ShipDate, r.CommitDate, r.ReceiptDate} {
		b.dates[i] = pgtype.Date{Time: time.Unix(int64(days)*86400, 0).UTC(), Valid: true}
		v[10+i] = &b.dates[i]
	}
	v[13], v[14], v[15] = r.ShipInstruct, r.ShipMode, r.Comment
	return v, nil
}

func (b *copyBatch) Err() error { return b.err }
