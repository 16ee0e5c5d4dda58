package engine

import (
	"context"
	"strconv"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/planner"
)

// query runs a row-returning plan and streams its rows to out.
func (s *Session) query(ctx context.Context, cat planner.Catalog, p *planner.QueryPlan, params []catalog.Datum, formats []int16, out ResultWriter) (string, error) {
	op, err := planner.Lower(p.Root, cat, params, s.lowerOptions())
	if err != nil {
		return "", err
	}
	var n int64
	err = s.sendRows(ctx, op, p.Columns, s.resultColumnsOf(p), formats, out, func(k int64) { n += k })
	if err != nil {
		return "", err
	}
	return p.Tag + " " + strconv.FormatInt(n, 10), nil
}

// resultColumnsOf is resultColumns of the running statement's plan p,
// computed once for a kept plan.
func (s *Session) resultColumnsOf(p planner.Plan) []Column {
	if c := s.runningPlan; c != nil && c.bound.Plan == p {
		return c.columns
	}
	return resultColumns(p, s)
}

// sendRows describes the columns to out and streams op's rows to it,
// telling count (when given) how many rows each batch sent.
func (s *Session) sendRows(ctx context.Context, op exec.Operator, rc []planner.ResultColumn, cols []Column, formats []int16, out ResultWriter, count ...func(int64)) error {
	enc, err := s.startRows(rc, cols, formats, out)
	if err != nil {
		return err
	}
	ec := s.execContext(ctx)
	defer ec.Release()
	return exec.Drain(ec, op, func(b *exec.Batch) error {
		k, err := enc.write(b, out)
		for _, c := range count {
			c(k)
		}
		return err
	})
}

// startRows describes the result columns to out and returns the encoder
// of their rows.
func (s *Session) startRows(rc []planner.ResultColumn, cols []Column, formats []int16, out ResultWriter) (*rowEncoder, error) {
	types := make([]catalog.Type, len(rc))
	for i, c := range rc {
		types[i] = c.Type
	}
	if err := out.Columns(cols, formats); err != nil {
		return nil, err
	}
	enc, err := newRowEncoder(types, formats, s.location())
	if err != nil {
		return nil, err
	}
	if err := s.nameRegColumns(enc, types, formats); err != nil {
		return nil, err
	}
	return enc, nil
}

// rowEncoder turns batches into DataRow values, one column encoder per
// result column chosen once for the statement.
type rowEncoder struct {
	encs   []catalog.ColumnEncoder
	buf    []byte
	ends   []int
	values [][]byte
}

func newRowEncoder(types []catalog.Type, formats []int16, loc *time.Location) (*rowEncoder, error) {
	// buf starts non-nil: a value sliced from a nil buffer is nil, which
	// the protocol sends as NULL, so a row of empty strings would lose them.
	e := &rowEncoder{encs: make([]catalog.ColumnEncoder, len(types)), ends: make([]int, len(types)),
		values: make([][]byte, len(types)), buf: make([]byte, 0, 256)}
	for i, t := range types {
		enc, err := catalog.NewColumnEncoder(t, formatFor(formats, i), loc)
		if err != nil {
			return nil, err
		}
		e.encs[i] = enc
	}
	return e, nil
}

// write sends the batch's active rows and returns how many it sent.
func (e *rowEncoder) write(b *exec.Batch, out ResultWriter) (int64, error) {
	for i, enc := range e.encs {
		enc.Bind(b.Cols[i])
	}
	row := func(r int) error {
		e.buf = e.buf[:0]
		// Encode every value into one buffer, then slice it: the slices
		// stay valid because the buffer is not grown after slicing.
		ends := e.ends
		for i, enc := range e.encs {
			if b.Cols[i].IsNull(r) {
				ends[i] = -1
				continue
			}
			e.buf = enc.Append(e.buf, r)
			ends[i] = len(e.buf)
		}
		start := 0
		for i := range e.encs {
			if ends[i] < 0 {
				e.values[i] = nil
				continue
			}
			e.values[i] = e.buf[start:ends[i]]
			start = ends[i]
		}
		return out.Row(e.values)
	}
	if b.Sel != nil {
		for _, r := range b.Sel {
			if err := row(int(r)); err != nil {
				return 0, err
			}
		}
		return int64(len(b.Sel)), nil
	}
	for r := 0; r < b.Len; r++ {
		if err := row(r); err != nil {
			return 0, err
		}
	}
	return int64(b.Len), nil
}
