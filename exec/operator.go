package exec

import (
	"context"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// Batch is a slice of rows in columnar form: equal-length Arrow arrays
// plus an optional selection vector. A filter narrows Sel instead of
// copying columns; operators that need dense input compact it.
type Batch struct {
	Cols []arrow.Array
	// Len is the physical length of every column.
	Len int
	// Sel, when non-nil, lists the active row indexes in ascending order.
	// Rows not listed are not part of the batch.
	Sel []int32
}

// NumRows is the number of active rows.
func (b *Batch) NumRows() int {
	if b.Sel != nil {
		return len(b.Sel)
	}
	return b.Len
}

// Operator is a node of a physical plan. Plans are pull-based: the
// consumer calls Next until it returns a nil batch.
//
// Invariants: Open is called once before Next; a batch returned by Next
// stays valid only until the following call to Next or Close; Close is
// called exactly once, even after an error, and releases everything.
type Operator interface {
	// Types are the types of the output columns, in order.
	Types() []catalog.Type
	Open(ctx *Context) error
	// Next returns the next non-empty batch, or nil at the end.
	Next() (*Batch, error)
	Close()
}

// Context is the per-statement execution state shared by every operator
// and expression of one plan.
type Context struct {
	Ctx context.Context
	Mem memory.Allocator
	// Outer holds the current outer row for correlated subqueries: one
	// entry per nesting level, innermost last. OuterRef reads it.
	Outer [][]any
	// Now is the transaction's start time: now(), current_date,
	// current_timestamp, localtime and localtimestamp return it for every
	// row of every statement of the transaction, as in PostgreSQL.
	Now time.Time
	// StatementNow is the statement's start time, statement_timestamp();
	// zero means Now.
	StatementNow time.Time
	// Location is the session's TimeZone (nil means UTC): timestamptz
	// values are read, printed and broken into fields in it (zoned.go).
	Location *time.Location
	// BatchRows is the most rows of any batch that an operator of the plan
	// emits (and that scans ask storage for); 0 means DefaultBatchRows.
	// Sessions lower it (pqdb.batch_rows) so that tests drive every
	// operator across batch boundaries with small inputs.
	BatchRows int
	// Random is the session's random() generator, which setseed seeds;
	// nil means a process-wide one (random.go).
	Random *PRNG
	// WorkMem is how many bytes one sort or hash table may hold before it
	// spills to temporary files (work_mem); 0 means no limit.
	WorkMem int64
	// HashMemMultiplier scales WorkMem for hash tables
	// (hash_mem_multiplier); below 1 means 1.
	HashMemMultiplier float64
	// Budget is the server's memory limit, shared by all statements; nil
	// means none (memory_account.go).
	Budget *MemoryBudget
	// TempDir is where spill files go, "" for os.TempDir(); TempFileLimit
	// bounds the bytes a statement writes there (temp_file_limit), 0 for
	// no bound (spill_files.go).
	TempDir       string
	TempFileLimit int64
	// res is the statement's memory account and temporary files, shared
	// with its parallel pipelines; Release gives them back.
	res *statementResources

	// subqueryResults caches uncorrelated subqueries, which run once per
	// statement.
	subqueryResults map[*subqueryExpr]*subqueryResult
	// subqueryMemo keeps, for a correlated subquery that may be
	// memoized, its result by outer values (memo.go).
	subqueryMemo map[*subqueryExpr]map[string]*subqueryResult
	// builds keeps, for a hash join inside a correlated subquery whose
	// build side reads no outer value, the hashed build side across the
	// join's re-opens (hash_join_build.go). Release frees them.
	builds map[*hashJoinOp]*joinBuild
}

// pipeline returns the Context of one pipeline of a parallel plan run
// under c: the statement's values and memory account, cancellation by
// done, and no shared mutable caches.
func (c *Context) pipeline(done context.Context) *Context {
	return &Context{Ctx: done, Mem: c.Mem, Outer: c.Outer, Now: c.Now, StatementNow: c.StatementNow, Location: c.Location, BatchRows: c.BatchRows,
		WorkMem: c.WorkMem, HashMemMultiplier: c.HashMemMultiplier, Budget: c.Budget, TempDir: c.TempDir, TempFileLimit: c.TempFileLimit, res: c.resources()}
}

// Release frees what the statement kept across operator re-opens. The
// Context may not run anything afterwards. It is safe to call twice.
func (c *Context) Release() {
	for _, b := range c.builds {
		b.release()
	}
	c.builds = nil
	c.releaseResources()
}

// DefaultBatchRows is the batch size of a Context that sets none.
const DefaultBatchRows = 1 << 16

// MaxBatchRows is the most rows a batch of this statement holds.
func (c *Context) MaxBatchRows() int {
	if c.BatchRows > 0 {
		return c.BatchRows
	}
	return DefaultBatchRows
}

// NewContext returns a Context with the executor's pooling allocator,
// whose transaction and statement start now.
func NewContext(ctx context.Context) *Context { return NewContextAt(ctx, time.Now()) }

// NewContextAt is NewContext for a transaction and statement that
// started at now.
func NewContextAt(ctx context.Context, now time.Time) *Context {
	return &Context{Ctx: ctx, Mem: defaultPool, Now: now, StatementNow: now}
}

// Expr is a scalar expression evaluated a batch at a time.
type Expr interface {
	Type() catalog.Type
	// Eval returns a column of length b.Len. Only the rows in b.Sel (or all
	// rows when Sel is nil) are meaningful; others may hold anything.
	// The caller releases the result.
	Eval(ctx *Context, b *Batch) (arrow.Array, error)
}
