package exec

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// Set-returning functions (pg_proc.proretset) are registered by name like
// the scalar ones, one family per file: unnest (array_unnest.go),
// generate_series and generate_subscripts (series.go), the json and jsonb
// expansions (json_sets.go), regexp_matches and regexp_split_to_table
// (regexp_sets.go), string_to_table (string_split.go). ProjectSet
// (project_set.go) runs them over its input's batches, in the select list
// and in FROM alike.
//
// A call is expanded one input batch at a time: its arguments are
// evaluated over the batch, and the function returns a setRows that says
// how many rows each input row's set has and gathers any of them by
// (input row, element number). Functions whose sets are cheap to compute
// up front (unnest, the json ones) materialize the batch's sets in Arrow
// columns (listSet); generate_series computes the element it is asked
// for, so a series of any length streams in bounded memory.
//
// The functions are strict, a NULL argument giving an empty set, except
// string_to_table (a NULL delimiter or null string means none).

// setRows is the expansion of one input batch.
type setRows interface {
	// counts stores in dst[k] the number of rows the set of input row
	// rows[k] has.
	counts(rows []int32, dst []int64)
	// gather builds the function's columns for output rows: element
	// elems[k] of input row rows[k]'s set, NULL where elems[k] < 0 (the
	// set has ended while another function's goes on).
	gather(mem memory.Allocator, rows []int32, elems []int64) ([]arrow.Array, error)
	release()
}

// SetFunc is a call of a set-returning function, ready to expand batches.
type SetFunc struct {
	name   string
	args   []Expr
	types  []catalog.Type
	expand func(ctx *Context, args []arrow.Array, b *Batch) (setRows, error)
}

// Types are the columns each row of the set has.
func (f *SetFunc) Types() []catalog.Type { return f.types }

// expandBatch evaluates the arguments over b and expands it.
func (f *SetFunc) expandBatch(ctx *Context, b *Batch) (setRows, error) {
	args, err := evalAll(ctx, f.args, b)
	if err != nil {
		return nil, err
	}
	defer releaseAll(args)
	return f.expand(ctx, args, b)
}

type setFuncDef struct {
	// resolve picks the overload: the types the planner must cast the
	// arguments to, and the set's column types.
	resolve func(types []catalog.Type) (want, result []catalog.Type, err error)
	// columns names the set's columns when it has more than one (the OUT
	// parameters of jsonb_each); a one-column set is named after the
	// function.
	columns []string
	// build returns the expansion for arguments of the resolved types.
	build func(args []Expr, result []catalog.Type) func(ctx *Context, args []arrow.Array, b *Batch) (setRows, error)
}

var setFuncRegistry = map[string]*setFuncDef{}

func registerSetFunc(def *setFuncDef, names ...string) {
	for _, n := range names {
		if _, dup := setFuncRegistry[n]; dup {
			panic("exec: set-returning function " + n + " registered twice")
		}
		if _, dup := funcRegistry[n]; dup {
			panic("exec: " + n + " registered as a scalar and a set-returning function")
		}
		setFuncRegistry[n] = def
	}
}

// IsSetFunc reports whether name is a set-returning function.
func IsSetFunc(name string) bool {
	_, ok := setFuncRegistry[strings.ToLower(name)]
	return ok
}

// SetFuncResolve resolves a call of the set-returning function name: the
// argument types the planner must cast to, the set's column types and
// their names (nil when the set's one column is named after the
// function), or 42883 (42725 for an ambiguous call).
func SetFuncResolve(name string, argTypes []catalog.Type) (want, result []catalog.Type, columns []string, err error) {
	def, ok := setFuncRegistry[strings.ToLower(name)]
	if !ok {
		return nil, nil, nil, errNoFunction(name, argTypes)
	}
	if want, result, err = def.resolve(argTypes); err != nil {
		return nil, nil, nil, err
	}
	return want, result, def.columns, nil
}

// NewSetFunc builds a call of the set-returning function name over
// arguments of the types SetFuncResolve asked for.
func NewSetFunc(name string, args []Expr) (*SetFunc, error) {
	_, result, _, err := SetFuncResolve(name, typesOf(args))
	if err != nil {
		return nil, err
	}
	def := setFuncRegistry[strings.ToLower(name)]
	return &SetFunc{name: name, args: args, types: result, expand: def.build(args, result)}, nil
}

// ScalarSet makes a scalar expression a set of one row per input row, as
// PostgreSQL treats a function in FROM that returns no set (FROM
// lower('A'), ROWS FROM (now(), generate_series(1, 3))): a NULL value is
// a row holding NULL, not an empty set.
func ScalarSet(e Expr) *SetFunc {
	return &SetFunc{name: "scalar", args: []Expr{e}, types: []catalog.Type{e.Type()},
		expand: func(ctx *Context, args []arrow.Array, b *Batch) (setRows, error) {
			args[0].Retain()
			return &oneRowSet{t: e.Type(), values: args[0]}, nil
		}}
}

type oneRowSet struct {
	t      catalog.Type
	values arrow.Array
}

func (s *oneRowSet) counts(rows []int32, dst []int64) {
	for k := range rows {
		dst[k] = 1
	}
}

func (s *oneRowSet) gather(mem memory.Allocator, rows []int32, elems []int64) ([]arrow.Array, error) {
	idx := make([]int32, len(rows))
	for k, r := range rows {
		idx[k] = -1
		if elems[k] == 0 {
			idx[k] = r
		}
	}
	return []arrow.Array{takeNullable(mem, s.t, s.values, idx)}, nil
}

func (s *oneRowSet) release() { s.values.Release() }

// listSet is a batch's sets materialized: input row i's set is rows
// lo[i] to hi[i] of cols (physical rows of the input batch index lo and
// hi; rows not active have empty sets).
type listSet struct {
	types  []catalog.Type
	lo, hi []int32
	cols   []arrow.Array
}

func (s *listSet) counts(rows []int32, dst []int64) {
	for k, r := range rows {
		dst[k] = int64(s.hi[r] - s.lo[r])
	}
}

func (s *listSet) gather(mem memory.Allocator, rows []int32, elems []int64) ([]arrow.Array, error) {
	idx := make([]int32, len(rows))
	for k, r := range rows {
		idx[k] = -1
		if elems[k] >= 0 {
			idx[k] = s.lo[r] + int32(elems[k])
		}
	}
	out := make([]arrow.Array, len(s.cols))
	for c, col := range s.cols {
		out[c] = takeNullable(mem, s.types[c], col, idx)
	}
	return out, nil
}

func (s *listSet) release() { releaseAll(s.cols) }

// setBuilder materializes a batch's sets of varlen columns (text, json,
// jsonb) into a listSet: for each input row its set's rows are appended
// to the column builders, then row records where they are.
type setBuilder struct {
	set  *listSet
	cols []*varlenBuilder
	n    int32
}

func newSetBuilder(mem memory.Allocator, types []catalog.Type, batchLen int) *setBuilder {
	sb := &setBuilder{set: &listSet{types: types, lo: make([]int32, batchLen), hi: make([]int32, batchLen)}}
	for range types {
		sb.cols = append(sb.cols, newVarlenBuilder(mem, batchLen, 0))
	}
	return sb
}

// row records that input row i's set is the n rows appended since the
// previous call.
func (sb *setBuilder) row(i int32, n int32) {
	sb.set.lo[i], sb.set.hi[i] = sb.n, sb.n+n
	sb.n += n
}

func (sb *setBuilder) finish() *listSet {
	for c, b := range sb.cols {
		sb.set.cols = append(sb.set.cols, b.finish(sb.set.types[c]))
	}
	return sb.set
}

// discard frees the builders after an error.
func (sb *setBuilder) discard() { releaseAll(sb.finish().cols) }
