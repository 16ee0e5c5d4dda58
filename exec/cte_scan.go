package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// CTE is a WITH query evaluated once per statement and read by all its
// references (PostgreSQL's CTE Scan over a shared tuplestore). Readers
// pull the query lazily: a reader that wants rows no one has read yet
// runs the query for one more batch, which is kept for the other readers,
// so a LIMIT over an endless recursive query still ends.
//
// A query named once, outside anything that re-opens it, is not kept at
// all: its single reader streams it. Otherwise the rows are kept in
// memory from the Go heap, not ctx.Mem, so that a completed query outlives
// its readers' Close for as long as the plan does (a reader in a
// correlated subquery re-opens for every outer row and reads it again
// without running it again) and needs no release at the end of the
// statement. When the last open reader closes before the query finished,
// the query is closed and its rows dropped; a later reader runs it anew.
type CTE struct {
	plan Operator
	// readers and reopened are set while the plan is built: how many
	// readers there are, and whether some reader may be re-opened.
	readers  int
	reopened bool

	ctx     *Context
	open    int  // readers open now
	running bool // plan is open
	done    bool // plan ran to its end; rows holds all its rows
	err     error
	rows    []*Batch
}

// NewCTE returns the shared evaluation of plan; NewCTEScan makes its
// readers.
func NewCTE(plan Operator) *CTE { return &CTE{plan: plan} }

// NewCTEScan returns a reader of c. reopened says that the reader may be
// opened more than once (it is in a correlated subquery or in the
// recursive term of a recursive union).
func NewCTEScan(c *CTE, reopened bool) Operator {
	c.readers++
	c.reopened = c.reopened || reopened
	return &cteScan{cte: c}
}

// streaming reports whether the one reader reads the plan directly.
func (c *CTE) streaming() bool { return c.readers == 1 && !c.reopened }

var cteMem = memory.NewGoAllocator()

// fetch runs the plan for one more batch, keeping it; it reports false at
// the end of the plan's rows.
func (c *CTE) fetch() (bool, error) {
	if c.done {
		return false, nil
	}
	if c.err != nil {
		return false, c.err
	}
	if err := c.ctx.Ctx.Err(); err != nil {
		return false, err
	}
	b, err := c.plan.Next()
	if err != nil {
		c.err = err
		return false, err
	}
	if b == nil {
		c.done, c.running = true, false
		c.plan.Close()
		return false, nil
	}
	types := c.plan.Types()
	kept := &Batch{Cols: make([]arrow.Array, len(types)), Len: b.NumRows()}
	rows := rowsOf(b)
	for i, t := range types {
		kept.Cols[i] = take(cteMem, t, b.Cols[i], rows)
	}
	c.rows = append(c.rows, kept)
	return true, nil
}

func (c *CTE) openReader(ctx *Context) error {
	c.open++
	if c.running || c.done {
		return nil
	}
	c.ctx, c.err, c.running = ctx, nil, true
	return c.plan.Open(ctx)
}

func (c *CTE) closeReader() {
	c.open--
	if c.open > 0 || !c.running {
		return
	}
	// The last reader stopped before the end: drop what was read.
	c.running = false
	c.plan.Close()
	for _, b := range c.rows {
		b.Release()
	}
	c.rows = nil
}

type cteScan struct {
	cte    *CTE
	stream bool
	pos    int
	out    Batch
}

func (s *cteScan) Types() []catalog.Type { return s.cte.plan.Types() }

func (s *cteScan) Open(ctx *Context) error {
	s.pos = 0
	s.stream = s.cte.streaming()
	if s.stream {
		return s.cte.plan.Open(ctx)
	}
	return s.cte.openReader(ctx)
}

func (s *cteScan) Next() (*Batch, error) {
	if s.stream {
		return s.cte.plan.Next()
	}
	c := s.cte
	for s.pos >= len(c.rows) {
		more, err := c.fetch()
		if err != nil || !more {
			return nil, err
		}
	}
	s.out = *c.rows[s.pos]
	s.pos++
	return &s.out, nil
}

func (s *cteScan) Close() {
	if s.stream {
		s.cte.plan.Close()
		return
	}
	s.cte.closeReader()
}
