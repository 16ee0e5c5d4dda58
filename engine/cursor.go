package engine

import (
	"context"
	"sort"
	"strconv"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// cursor is an open DECLARE CURSOR: a running plan that FETCH pulls rows
// from. It reads the snapshot its DECLARE saw; a WITH HOLD cursor keeps
// reading it after the transaction ends.
type cursor struct {
	op     exec.Operator
	ec     *exec.Context
	cols   []Column
	types  []catalog.Type
	binary bool
	hold   bool
	// savepoints is how many savepoints were open at DECLARE: rolling
	// back to one of them or an earlier one closes the cursor.
	savepoints int

	batch *exec.Batch // current batch, nil before the first and after the last
	pos   int         // next active row of batch
	done  bool
	sel   []int32 // scratch selection for the rows one FETCH sends

	// row is the cursor position as Postgres counts it: 0 before the
	// first row, n on the n-th row.
	row int64
	// A SCROLL cursor keeps every row it has read (dense batches, in
	// order), so that it can go back.
	scroll bool
	kept   []*exec.Batch
	starts []int64 // row number (0-based) of each kept batch's first row
	total  int64
}

func (s *Session) declare(snap *storage.Snapshot, p *planner.DeclarePlan, params []catalog.Datum) (string, error) {
	if s.txn == nil && !p.Hold {
		return "", pgerr.New(pgerr.NoActiveSqlTransaction, "DECLARE CURSOR can only be used in transaction blocks")
	}
	if _, ok := s.cursors[p.Name]; ok {
		return "", pgerr.New(pgerr.DuplicateCursor, "cursor \"%s\" already exists", p.Name)
	}
	op, err := planner.Lower(p.Query.Root, snap, params, s.lowerOptions())
	if err != nil {
		return "", err
	}
	// The cursor outlives this statement, so its plan runs under its own
	// context rather than the statement's.
	ec := s.execContext(context.Background())
	if err := op.Open(ec); err != nil {
		op.Close()
		return "", err
	}
	c := &cursor{op: op, ec: ec, cols: resultColumns(p.Query, s), binary: p.Binary, hold: p.Hold, savepoints: len(s.savepoints), scroll: p.Scroll}
	for _, col := range p.Query.Columns {
		c.types = append(c.types, col.Type)
	}
	s.cursors[p.Name] = c
	return "DECLARE CURSOR", nil
}

// fetch runs FETCH and MOVE: it works out which rows the direction and
// count select, sends them (FETCH) or only moves over them (MOVE), and
// leaves the cursor on the last one, as Postgres does.
func (s *Session) fetch(p *planner.FetchPlan, resultFormats []int16, out ResultWriter) (string, error) {
	c, ok := s.cursors[p.Cursor]
	if !ok {
		return "", pgerr.New(pgerr.InvalidCursorName, "cursor \"%s\" does not exist", p.Cursor)
	}
	formats := resultFormats
	if c.binary {
		formats = []int16{1}
	}
	var enc *rowEncoder
	if !p.Move {
		if err := out.Columns(c.cols, formats); err != nil {
			return "", err
		}
		var err error
		if enc, err = newRowEncoder(c.types, formats, s.location()); err != nil {
			return "", err
		}
		if err := s.nameRegColumns(enc, c.types, formats); err != nil {
			return "", err
		}
	}
	var n int64
	var err error
	if c.scroll {
		n, err = c.scrollFetch(p, enc, out)
	} else {
		n, err = c.forwardFetch(p, enc, out)
	}
	if err != nil {
		return "", err
	}
	verb := "FETCH "
	if p.Move {
		verb = "MOVE "
	}
	return verb + strconv.FormatInt(n, 10), nil
}

var errForwardOnly = &pgerr.Error{Code: pgerr.ObjectNotInPrerequisiteState, Message: "cursor can only scan forward",
	Hint: "Declare it with SCROLL option to enable backward scan."}

// forwardFetch serves a cursor without SCROLL, which streams its plan:
// it can skip ahead but never go back.
func (c *cursor) forwardFetch(p *planner.FetchPlan, enc *rowEncoder, out ResultWriter) (int64, error) {
	skip, count := int64(0), p.Count
	switch p.Direction {
	case planner.FetchBackward:
		if p.Count != 0 {
			return 0, errForwardOnly
		}
	case planner.FetchAbsolute, planner.FetchRelative:
		target := p.Count
		if p.Direction == planner.FetchRelative {
			target = c.row + p.Count
		}
		if p.Count < 0 && p.Direction == planner.FetchAbsolute || target <= c.row {
			return 0, errForwardOnly
		}
		skip, count = target-c.row-1, 1
	}
	if _, err := c.stream(skip, nil, out); err != nil {
		return 0, err
	}
	return c.stream(count, enc, out)
}

// stream reads up to count rows, sending them when enc is set.
func (c *cursor) stream(count int64, enc *rowEncoder, out ResultWriter) (int64, error) {
	var n int64
	for n < count && !c.done {
		if c.batch == nil || c.pos >= c.batch.NumRows() {
			b, err := c.op.Next()
			if err != nil {
				return n, err
			}
			if b == nil {
				c.done, c.batch = true, nil
				c.row++ // after the last row
				break
			}
			c.batch, c.pos = b, 0
		}
		take := min(int64(c.batch.NumRows()-c.pos), count-n)
		if enc != nil {
			c.sel = c.sel[:0]
			for i := c.pos; i < c.pos+int(take); i++ {
				if c.batch.Sel != nil {
					c.sel = append(c.sel, c.batch.Sel[i])
				} else {
					c.sel = append(c.sel, int32(i))
				}
			}
			view := &exec.Batch{Cols: c.batch.Cols, Len: c.batch.Len, Sel: c.sel}
			if _, err := enc.write(view, out); err != nil {
				return n, err
			}
		}
		c.pos += int(take)
		c.row += take
		n += take
	}
	return n, nil
}

// scrollFetch serves a SCROLL cursor from the rows it keeps, reading the
// plan to its end first.
func (c *cursor) scrollFetch(p *planner.FetchPlan, enc *rowEncoder, out ResultWriter) (int64, error) {
	if err := c.materialize(); err != nil {
		return 0, err
	}
	last := c.total + 1 // the position after the last row
	emit := func(r int64) error {
		if enc == nil {
			return nil
		}
		k := sort.Search(len(c.starts), func(i int) bool { return c.starts[i] > r-1 }) - 1
		b := c.kept[k]
		c.sel = append(c.sel[:0], int32(r-1-c.starts[k]))
		_, err := enc.write(&exec.Batch{Cols: b.Cols, Len: b.Len, Sel: c.sel}, out)
		return err
	}
	switch p.Direction {
	case planner.FetchForward, planner.FetchBackward:
		step := int64(1)
		if p.Direction == planner.FetchBackward {
			step = -1
		}
		var n int64
		for n < p.Count {
			next := c.row + step
			if next < 1 || next > c.total {
				c.row = max(0, min(next, last))
				break
			}
			if err := emit(next); err != nil {
				return n, err
			}
			c.row = next
			n++
		}
		return n, nil
	}
	target := p.Count
	if p.Direction == planner.FetchRelative {
		target = c.row + p.Count
	} else if p.Count < 0 {
		target = last + p.Count
	}
	if target < 1 || target > c.total {
		c.row = max(0, min(target, last))
		return 0, nil
	}
	c.row = target
	return 1, emit(target)
}

// materialize reads the rest of the plan into kept, dense batches.
func (c *cursor) materialize() error {
	for !c.done {
		b, err := c.op.Next()
		if err != nil {
			return err
		}
		if b == nil {
			c.done = true
			break
		}
		// Compact copies selected rows and retains dense columns, so the
		// kept batch outlives the operator's next call.
		d := exec.Compact(c.ec.Mem, b)
		c.kept = append(c.kept, d)
		c.starts = append(c.starts, c.total)
		c.total += int64(d.Len)
	}
	return nil
}

func (s *Session) closeCursor(p *planner.ClosePlan) (string, error) {
	if p.Cursor == "" {
		s.closeCursors(true)
		return "CLOSE CURSOR ALL", nil
	}
	if _, ok := s.cursors[p.Cursor]; !ok {
		return "", pgerr.New(pgerr.InvalidCursorName, "cursor \"%s\" does not exist", p.Cursor)
	}
	s.dropCursor(p.Cursor)
	return "CLOSE CURSOR", nil
}

func (s *Session) dropCursor(name string) {
	if c, ok := s.cursors[name]; ok {
		for _, b := range c.kept {
			b.Release()
		}
		c.op.Close()
		c.ec.Release()
		delete(s.cursors, name)
	}
}

// closeCursors closes the cursors that end with the transaction, or all
// of them.
func (s *Session) closeCursors(all bool) {
	for name, c := range s.cursors {
		if all || !c.hold {
			s.dropCursor(name)
		}
	}
}

// DescribeCursor reports an open cursor's columns to the protocol layer,
// where a cursor is also a portal that clients may Describe.
func (s *Session) DescribeCursor(name string) ([]Column, bool, bool) {
	c, ok := s.cursors[name]
	if !ok {
		return nil, false, false
	}
	return c.cols, c.binary, true
}
