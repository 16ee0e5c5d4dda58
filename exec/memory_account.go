package exec

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/pgerr"
)

// Memory accounting: the operators that hold rows (sorts, hash tables,
// materialized join sides) charge what they hold to their statement's
// account (Context.reserve) and give it back when they let it go
// (Context.unreserve). Two limits apply:
//
//   - Context.WorkMem bounds what one operator holds (PostgreSQL's
//     work_mem): beyond it a sort, a hash aggregate or a hash join spills
//     to temporary files instead of growing (external_sort.go,
//     grace_aggregate.go, grace_join.go).
//   - Context.Budget, shared by every statement of the server
//     (--memory-limit), bounds what all of them hold together. A charge
//     that would exceed it fails with 53200 out_of_memory; an operator that
//     can spill spills first and charges again.
//
// What an account still holds when its statement ends (Context.Release)
// goes back to the budget, so a failed or cancelled statement never leaks
// budget.

// MemoryBudget is the memory every running statement together may hold.
// It is safe for concurrent use.
type MemoryBudget struct {
	limit int64
	used  atomic.Int64
}

// NewMemoryBudget returns a budget of limit bytes; limit <= 0 means no
// limit (the budget only counts).
func NewMemoryBudget(limit int64) *MemoryBudget { return &MemoryBudget{limit: limit} }

// Limit is the budget's size in bytes, 0 for none.
func (b *MemoryBudget) Limit() int64 { return max(b.limit, 0) }

// Used is what statements hold now.
func (b *MemoryBudget) Used() int64 { return b.used.Load() }

func (b *MemoryBudget) take(n int64) bool {
	if b.used.Add(n) > b.limit && b.limit > 0 {
		b.used.Add(-n)
		return false
	}
	return true
}

// statementResources are what one statement holds across its operators,
// shared with the Contexts of its parallel pipelines: its memory account
// and its temporary files.
type statementResources struct {
	used atomic.Int64 // bytes charged, not yet given back
	peak atomic.Int64

	mu    sync.Mutex
	files map[string]struct{} // temp files not yet removed
	// tempBytes is what the statement's temp files have written, which
	// temp_file_limit bounds; tempFiles how many it made.
	tempBytes atomic.Int64
	tempFiles atomic.Int64
}

// resources returns the statement's shared resources, made on first use.
// Callers that share them with other goroutines call it before starting
// them.
func (c *Context) resources() *statementResources {
	if c.res == nil {
		c.res = &statementResources{}
	}
	return c.res
}

// reserve charges n bytes to the statement and to the global budget, or
// fails with 53200 when the budget cannot hold them.
func (c *Context) reserve(n int64) error {
	if n <= 0 {
		return nil
	}
	if c.Budget != nil && !c.Budget.take(n) {
		return outOfMemory(n, c.Budget)
	}
	r := c.resources()
	u := r.used.Add(n)
	for {
		p := r.peak.Load()
		if u <= p || r.peak.CompareAndSwap(p, u) {
			break
		}
	}
	return nil
}

// unreserve gives back n bytes that reserve charged.
func (c *Context) unreserve(n int64) {
	if n <= 0 {
		return
	}
	// Give back at most what the statement holds: a charge freed after
	// Context.Release (which gave everything back) is not given twice.
	r := c.resources()
	for {
		u := r.used.Load()
		m := min(n, u)
		if r.used.CompareAndSwap(u, u-m) {
			if c.Budget != nil {
				c.Budget.used.Add(-m)
			}
			return
		}
	}
}

// releaseResources gives back what the statement still holds and removes
// its temporary files.
func (c *Context) releaseResources() {
	r := c.res
	if r == nil {
		return
	}
	if n := r.used.Swap(0); n > 0 && c.Budget != nil {
		c.Budget.used.Add(-n)
	}
	r.removeAll()
}

// outOfMemory is PostgreSQL's error for a request its memory cannot
// serve.
func outOfMemory(request int64, b *MemoryBudget) error {
	return &pgerr.Error{Code: pgerr.OutOfMemory, Message: "out of memory",
		Detail: fmt.Sprintf("Failed on request of size %d: the server's memory limit of %s (--memory-limit) is in use by running statements.", request, formatKB(b.limit))}
}

// formatKB prints a byte count as PostgreSQL prints memory settings: in
// the largest of kB, MB, GB and TB that divides it.
func formatKB(bytes int64) string {
	kb := (bytes + 1023) / 1024
	for _, unit := range []string{"kB", "MB", "GB"} {
		if kb%1024 != 0 || kb == 0 {
			return fmt.Sprintf("%d%s", kb, unit)
		}
		kb /= 1024
	}
	return fmt.Sprintf("%dTB", kb)
}

// arraysSize estimates the memory the rows of the arrays take: a
// column's own rows, not the whole buffers a slice shares with its parent
// (a sort's output batches are slices of one sorted column, and charging
// each slice the whole column would count it once per batch).
func arraysSize(cols []arrow.Array) int64 {
	n := int64(0)
	for _, c := range cols {
		if c != nil {
			n += arraySize(c)
		}
	}
	return n
}

func arraySize(a arrow.Array) int64 {
	rows := int64(a.Len())
	bitmap := (rows + 7) / 8
	switch dt := a.DataType().(type) {
	case *arrow.StringType, *arrow.BinaryType:
		v := varlenViewOf(a)
		data := int64(0)
		if len(v.offsets) > 0 {
			data = int64(v.offsets[len(v.offsets)-1] - v.offsets[0])
		}
		return bitmap + 4*(rows+1) + data
	case *arrow.BooleanType:
		return 2 * bitmap
	case arrow.FixedWidthDataType:
		return bitmap + rows*int64(dt.BitWidth())/8
	}
	if a.Data().Offset() == 0 {
		return int64(a.Data().SizeInBytes())
	}
	// A slice of a nested column: its share of the parent's buffers.
	total := int64(a.Data().SizeInBytes())
	parent := int64(a.Data().Offset()) + rows
	return total * rows / max(parent, 1)
}

// memoryCharge is what one operator has charged to its statement: it
// remembers the amount so that it gives back exactly that, and tracks the
// operator's peak for EXPLAIN ANALYZE.
type memoryCharge struct {
	held, peak int64
}

// add charges n more bytes.
func (m *memoryCharge) add(ctx *Context, n int64) error {
	if err := ctx.reserve(n); err != nil {
		return err
	}
	m.held += n
	m.peak = max(m.peak, m.held)
	return nil
}

// giveBack gives back n of the bytes charged (at most what is held).
func (m *memoryCharge) giveBack(ctx *Context, n int64) {
	n = min(n, m.held)
	ctx.unreserve(n)
	m.held -= n
}

// free gives back everything charged.
func (m *memoryCharge) free(ctx *Context) {
	if ctx != nil {
		ctx.unreserve(m.held)
	}
	m.held = 0
}

// overWorkMem reports whether an operator holding held bytes is past
// the statement's work_mem.
func (c *Context) overWorkMem(held int64) bool {
	return c.WorkMem > 0 && held > c.WorkMem
}

// overHashMem reports whether a hash table holding held bytes is past
// what hash tables may hold: work_mem times hash_mem_multiplier, as in
// PostgreSQL.
func (c *Context) overHashMem(held int64) bool {
	return c.overSharedHashMem(held, 1)
}

// overSharedHashMem is overHashMem for the hash tables that participants
// pipelines fill together (a shared join build, the partial tables of a
// parallel aggregate): each participant brings its own hash_mem, as each
// process of a PostgreSQL parallel hash join or parallel aggregate does.
func (c *Context) overSharedHashMem(held int64, participants int) bool {
	return c.WorkMem > 0 && float64(held) > float64(c.WorkMem)*max(c.HashMemMultiplier, 1)*float64(max(participants, 1))
}
