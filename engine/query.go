package engine

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/planner"
)

// query runs a row-returning plan and streams its rows to out.
func (s *Session) query(ctx context.Context, cat planner.Catalog, p *planner.QueryPlan, params []catalog.Datum, formats []int16, out ResultWriter) (string, error) {
	kept := s.keptPlanOf(p)
	op, rebound, err := s.lowerQuery(kept, p, cat, params)
	if err != nil {
		return "", err
	}
	var cols []Column
	if kept != nil {
		cols = kept.columns
	} else {
		cols = resultColumns(p, s)
	}
	enc, err := s.startRowsKept(kept, p.Columns, cols, formats, out)
	if err != nil {
		return "", err
	}
	n, err := s.drainRows(ctx, op, enc, out)
	if err != nil {
		return "", err
	}
	if kept != nil && !enc.names && cap(enc.buf) <= maxKeptEncoderBuffer {
		// (reg* names are the catalog's now, not a later run's)
		kept.encoder = enc
	}
	if kept != nil && kept.reusable {
		kept.op = op
	}
	if rebound != nil {
		kept.rebound = rebound
	}
	return s.rowsTag(p.Tag, n), nil
}

// lowerQuery lowers p for one run, or lends the run the operators the
// last run of kept plan c (nil for none) ran: as they are when nothing
// of a run goes into them (planner.LoweringReusable; every operator is
// re-openable), or rebound to this run's catalog and parameters when
// they read them as they run (planner.LoweringRebindable, returned as
// rebound too). The run gives them back (c.op, c.rebound) when it ends
// well.
func (s *Session) lowerQuery(c *cachedPlan, p *planner.QueryPlan, cat planner.Catalog, params []catalog.Datum) (op exec.Operator, rebound *planner.Rebindable, err error) {
	if c != nil && c.op != nil {
		op := c.op
		c.op = nil
		return op, nil, nil
	}
	if c != nil && c.rebindable {
		if rebound, err = s.lendRebound(c, p.Root, cat, params); err != nil {
			return nil, nil, err
		}
		return rebound.Op, rebound, nil
	}
	op, err = planner.Lower(p.Root, cat, params, s.lowerOptions())
	return op, nil, err
}

// lendRebound lends a run of kept plan c, which is rebindable, the
// operators of root its last run gave back (c.rebound), rebound to this
// run's catalog and parameters, or lowers them. The run gives them back
// when it ends well.
func (s *Session) lendRebound(c *cachedPlan, root planner.Node, cat planner.Catalog, params []catalog.Datum) (*planner.Rebindable, error) {
	if rebound := c.rebound; rebound != nil {
		c.rebound = nil
		rebound.Rebind(cat, params, s.lowerOptions())
		return rebound, nil
	}
	return planner.LowerRebindable(root, cat, params, s.lowerOptions())
}

// maxKeptEncoderBuffer bounds the encoding buffer a kept plan's encoder
// keeps between runs.
const maxKeptEncoderBuffer = 64 << 10

// keptPlanOf is the running statement's kept plan when p is its plan.
func (s *Session) keptPlanOf(p planner.Plan) *cachedPlan {
	if c := s.runningPlan; c != nil && c.bound.Plan == p {
		return c
	}
	return nil
}

// resultColumnsOf is resultColumns of the running statement's plan p,
// computed once for a kept plan.
func (s *Session) resultColumnsOf(p planner.Plan) []Column {
	if c := s.keptPlanOf(p); c != nil {
		return c.columns
	}
	return resultColumns(p, s)
}

// rowsTag is a command tag with a row count ("SELECT 3"). The last one
// made is kept, since a session tends to send the same again.
func (s *Session) rowsTag(command string, n int64) string {
	if s.lastTag.command != command || s.lastTag.n != n || s.lastTag.tag == "" {
		s.lastTag.command, s.lastTag.n = command, n
		s.lastTag.tag = command + " " + strconv.FormatInt(n, 10)
	}
	return s.lastTag.tag
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

// drainRows runs op and sends its rows to out through enc, returning how
// many it sent.
func (s *Session) drainRows(ctx context.Context, op exec.Operator, enc *rowEncoder, out ResultWriter) (int64, error) {
	ec := s.execContext(ctx)
	defer ec.Release()
	d := rowDrain{enc: enc, out: out}
	err := exec.Drain(ec, op, d.write)
	return d.n, err
}

// rowDrain is exec.Drain's callback for drainRows.
type rowDrain struct {
	enc *rowEncoder
	out ResultWriter
	n   int64
}

func (d *rowDrain) write(b *exec.Batch) error {
	k, err := d.enc.write(b, d.out)
	d.n += k
	return err
}

// startRows describes the result columns to out and returns the encoder
// of their rows.
func (s *Session) startRows(rc []planner.ResultColumn, cols []Column, formats []int16, out ResultWriter) (*rowEncoder, error) {
	return s.startRowsKept(nil, rc, cols, formats, out)
}

// startRowsKept is startRows for a run of kept plan c (nil for none),
// which lends the run the encoder its last run used when that encodes
// the same formats in the same TimeZone. The run gives it back (c.encoder)
// when it ends well; a run inside it (none can be of the same statement)
// finds none to borrow.
func (s *Session) startRowsKept(c *cachedPlan, rc []planner.ResultColumn, cols []Column, formats []int16, out ResultWriter) (*rowEncoder, error) {
	if err := out.Columns(cols, formats); err != nil {
		return nil, err
	}
	loc := s.location()
	if c != nil {
		enc := c.encoder
		c.encoder = nil
		if enc != nil && enc.loc == loc && slices.Equal(enc.formats, formats) {
			return enc, nil
		}
	}
	types := make([]catalog.Type, len(rc))
	for i, c := range rc {
		types[i] = c.Type
	}
	enc, err := newRowEncoder(types, formats, loc)
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
	// formats and loc are what it encodes in; names is set when a
	// column prints reg* values as names read from the catalog.
	formats []int16
	loc     *time.Location
	names   bool
}

func newRowEncoder(types []catalog.Type, formats []int16, loc *time.Location) (*rowEncoder, error) {
	// buf starts non-nil: a value sliced from a nil buffer is nil, which
	// the protocol sends as NULL, so a row of empty strings would lose them.
	e := &rowEncoder{encs: make([]catalog.ColumnEncoder, len(types)), ends: make([]int, len(types)),
		values: make([][]byte, len(types)), buf: make([]byte, 0, 256), formats: slices.Clone(formats), loc: loc}
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
