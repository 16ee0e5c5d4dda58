package engine

import (
	"context"
	"strconv"
	"time"

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
}

func (s *Session) declare(snap *storage.Snapshot, p *planner.DeclarePlan, params []catalog.Datum) (string, error) {
	if s.txn == nil && !p.Hold {
		return "", pgerr.New(pgerr.NoActiveSqlTransaction, "DECLARE CURSOR can only be used in transaction blocks")
	}
	if _, ok := s.cursors[p.Name]; ok {
		return "", pgerr.New(pgerr.DuplicateCursor, "cursor \"%s\" already exists", p.Name)
	}
	op, err := planner.Lower(p.Query.Root, snap, params)
	if err != nil {
		return "", err
	}
	// The cursor outlives this statement, so its plan runs under its own
	// context rather than the statement's.
	ec := exec.NewContext(context.Background())
	ec.Now = time.Now()
	if err := op.Open(ec); err != nil {
		op.Close()
		return "", err
	}
	c := &cursor{op: op, ec: ec, cols: resultColumns(p.Query, s), binary: p.Binary, hold: p.Hold, savepoints: len(s.savepoints)}
	for _, col := range p.Query.Columns {
		c.types = append(c.types, col.Type)
	}
	s.cursors[p.Name] = c
	return "DECLARE CURSOR", nil
}

// fetch sends (or, for MOVE, skips) up to p.Count rows of the cursor.
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
	}
	var n int64
	for n < p.Count && !c.done {
		if c.batch == nil || c.pos >= c.batch.NumRows() {
			b, err := c.op.Next()
			if err != nil {
				s.dropCursor(p.Cursor)
				return "", err
			}
			if b == nil {
				c.done, c.batch = true, nil
				break
			}
			c.batch, c.pos = b, 0
		}
		take := min(int64(c.batch.NumRows()-c.pos), p.Count-n)
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
				return "", err
			}
		}
		c.pos += int(take)
		n += take
	}
	verb := "FETCH "
	if p.Move {
		verb = "MOVE "
	}
	return verb + strconv.FormatInt(n, 10), nil
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
		c.op.Close()
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
