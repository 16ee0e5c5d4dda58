package exec

import (
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/pqdb/pqdb/pgerr"
)

// Shared builds: one hash table, probed by every pipeline of a parallel
// plan.
//
// A parallel plan (parallel_hash_aggregate.go) runs the same pipeline on
// each partition of a scan. When the pipeline probes hash joins on its
// way up (TPC-H's lineitem joined to orders, part and supplier before
// the aggregate), every pipeline holds its own join operator, but they
// all probe one build: the first pipeline to need it reads the build
// side and hashes it, the others wait for it, and then each probes with
// scratch of its own (hashTable.prober). The build side runs once, on
// that pipeline's goroutine.
//
// The right kinds (right, right semi and right anti joins) emit build
// rows after their probe side ends: those no probe row matched, or those
// some did. Each pipeline marks the build rows its own probe rows
// matched; when its probe side ends, it ORs its marks into the build's
// (endProbe), and only the last pipeline to end emits that tail, from
// every pipeline's marks. The parallel operators above open every
// pipeline before running any (users only grows while they run), so the
// build and its marks live until the last pipeline is done.
//
// A shared build does not spill: when it outgrows the hash_mem of the
// pipelines that probe it (work_mem times hash_mem_multiplier, once per
// pipeline, as PostgreSQL's parallel hash join allows) or the server's
// memory limit, it fails with errPipelinesTooLarge, and the
// parallel operator above the pipelines runs its serial plan instead,
// whose joins spill (grace_join.go).

// SharedJoinBuild is the build side of one hash join probed by several
// pipelines (NewSharedHashJoin). Its runtime filters are filled once the
// build is made, before any pipeline opens its probe side.
type SharedJoinBuild struct {
	right     Operator
	rightKeys []Expr
	// leftKeys are the first pipeline's probe keys, whose types decide
	// how the build finds keys (buildTable).
	leftKeys []Expr
	filters  []*RuntimeFilter

	mu      sync.Mutex
	users   int        // pipelines' joins open now
	done    bool       // the build was attempted in this run
	build   *joinBuild // nil until made, or when it failed
	err     error
	builder *hashJoinOp // read the build side and holds its memory charge
	report  MemoryReport

	// The right kinds: how many pipelines probe the build, how many
	// of them have ended, and the build rows those matched.
	probers int
	ended   int
	marks   []bool
}

// NewSharedJoinBuild returns the build of a hash join on right, with the
// runtime filters filters (runtime_filter.go), probed by probers
// pipelines. Call NewSharedHashJoin for each pipeline's join.
func NewSharedJoinBuild(right Operator, filters []*RuntimeFilter, probers int) *SharedJoinBuild {
	return &SharedJoinBuild{right: right, filters: filters, probers: probers}
}

// NewSharedHashJoin is NewHashJoin of left and shared's right input, for
// one pipeline of a parallel plan; the build hashes the right keys of the
// first pipeline's join. kind is any but JoinFull: the right kinds emit
// their tail once, from the last pipeline to end.
func NewSharedHashJoin(left Operator, shared *SharedJoinBuild, leftKeys, rightKeys []Expr, kind JoinKind, residual Expr) Operator {
	leftKeys, rightKeys = alignNumericKeys(leftKeys, rightKeys)
	if shared.rightKeys == nil {
		shared.rightKeys, shared.leftKeys = rightKeys, leftKeys
	}
	h := &hashJoinOp{rightOp: shared.right, leftKeys: leftKeys, rightKeys: shared.rightKeys, shared: shared}
	h.joinCore = newJoinCore(kind, left, shared.right, residual, h)
	if kind.marksRight() {
		h.shareTail = shared.endProbe
	}
	return h
}

// endProbe ORs into the build's marks those of a pipeline whose probe
// side ended (nil when it matched no build row; n rows are built), and
// reports whether it was the last pipeline to end: that one gets every
// pipeline's marks back (nil if none matched) and emits the tail.
func (s *SharedJoinBuild) endProbe(marks []bool, n int) ([]bool, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case marks == nil:
	case s.marks == nil:
		s.marks = marks // the pipeline no longer reads or writes them
	default:
		for i, m := range marks[:n] {
			if m {
				s.marks[i] = true
			}
		}
	}
	s.ended++
	return s.marks, s.ended == s.probers
}

// acquire counts a pipeline's join opening for a run; the first one of a
// run forgets the previous run's build.
func (s *SharedJoinBuild) acquire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.users == 0 {
		s.reset()
	}
	s.users++
}

// get returns the build, making it on the caller's Context if no pipeline
// has yet. The others wait meanwhile.
func (s *SharedJoinBuild) get(ctx *Context) (*joinBuild, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.done {
		s.done = true
		s.build, s.err = s.make(ctx)
	}
	return s.build, s.err
}

// make reads the right side and hashes it. It fails with
// errPipelinesTooLarge instead of spilling.
func (s *SharedJoinBuild) make(ctx *Context) (*joinBuild, error) {
	b := &hashJoinOp{rightOp: s.right, leftKeys: s.leftKeys, rightKeys: s.rightKeys, filters: s.filters, level: maxSpillLevel, sharedBy: s.probers}
	b.ctx = ctx
	b.report = MemoryReport{Kind: ReportHash, Batches: 1}
	s.builder = b
	if err := s.right.Open(ctx); err != nil {
		s.right.Close()
		return nil, err
	}
	build, err := b.buildTable()
	s.right.Close() // the rows are copied into the build
	if err == nil {
		if err = b.publishFilters(build); err != nil {
			build.release()
		}
	}
	if pgerr.CodeOf(err) == pgerr.OutOfMemory {
		err = errPipelinesTooLarge // the serial plan spills instead
	}
	if err != nil {
		return nil, err
	}
	build.table.shareForProbes()
	for _, c := range build.cols {
		settleNullCounts(c)
	}
	return build, nil
}

// settleNullCounts counts the NULLs of a and its children now: Arrow
// counts them on first use and stores the count in the array's data, a
// write that pipelines reading the build at once would race on.
func settleNullCounts(a arrow.Array) {
	a.NullN()
	for _, cd := range a.Data().Children() {
		c := array.MakeFromData(cd)
		settleNullCounts(c)
		c.Release()
	}
	if d, ok := a.(*array.Dictionary); ok {
		settleNullCounts(d.Dictionary())
	}
}

// release counts a pipeline's join closing; the last one frees the build.
func (s *SharedJoinBuild) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.users--; s.users == 0 {
		s.reset()
	}
}

// reset frees the build, keeping its memory report for EXPLAIN ANALYZE.
func (s *SharedJoinBuild) reset() {
	if b := s.builder; b != nil {
		s.report = b.MemoryReport()
		b.charge.free(b.ctx)
		s.builder = nil
	}
	if s.build != nil {
		s.build.release()
		s.build = nil
	}
	s.done, s.err = false, nil
	s.ended, s.marks = 0, nil
}

// MemoryReport is the build's memory.
func (s *SharedJoinBuild) MemoryReport() MemoryReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.builder; b != nil {
		return b.MemoryReport()
	}
	return s.report
}
