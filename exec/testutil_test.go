package exec

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// rowsSource is an in-memory source emitting rows in batches of size per.
type rowsSource struct {
	types  []catalog.Type
	rows   [][]catalog.Datum
	per    int
	sel    bool // emit every batch with a selection skipping a junk row
	ctx    *Context
	pos    int
	out    *Batch
	opened int
	closed int
}

func source(types []catalog.Type, rows [][]catalog.Datum) *rowsSource {
	return &rowsSource{types: types, rows: rows, per: 3}
}

func (s *rowsSource) Types() []catalog.Type { return s.types }
func (s *rowsSource) Open(ctx *Context) error {
	s.ctx, s.pos = ctx, 0
	s.opened++
	return nil
}
func (s *rowsSource) Next() (*Batch, error) {
	if s.out != nil {
		s.out.Release()
		s.out = nil
	}
	if s.pos >= len(s.rows) {
		return nil, nil
	}
	end := min(len(s.rows), s.pos+s.per)
	chunk := s.rows[s.pos:end]
	s.pos = end
	var sel []int32
	if s.sel {
		// Put a junk row (zero values / NULL) first and select around it.
		junk := make([]catalog.Datum, len(s.types))
		chunk = append([][]catalog.Datum{junk}, chunk...)
		for i := 1; i < len(chunk); i++ {
			sel = append(sel, int32(i))
		}
	}
	cols := make([]arrow.Array, len(s.types))
	for c, t := range s.types {
		vals := make([]catalog.Datum, len(chunk))
		for r, row := range chunk {
			vals[r] = row[c]
		}
		a, err := datumsToArray(s.ctx.Mem, t, vals)
		if err != nil {
			return nil, err
		}
		cols[c] = a
	}
	s.out = &Batch{Cols: cols, Len: len(chunk), Sel: sel}
	return s.out, nil
}
func (s *rowsSource) Close() {
	s.closed++
	if s.out != nil {
		s.out.Release()
		s.out = nil
	}
}

// checkedCtx returns a context whose allocator fails the test on leaks.
func checkedCtx(t *testing.T) *Context {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	ctx := NewContext(context.Background())
	ctx.Mem = mem
	t.Cleanup(func() {
		ctx.Release()
		mem.AssertSize(t, 0)
	})
	return ctx
}

func collect(t *testing.T, op Operator) [][]catalog.Datum {
	t.Helper()
	rows, err := Collect(checkedCtx(t), op)
	if err != nil {
		t.Fatalf("collect: %v", err)
	}
	return rows
}

func assertRows(t *testing.T, got, want [][]catalog.Datum) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows differ\n got: %v\nwant: %v", fmtRows(got), fmtRows(want))
	}
}

func fmtRows(rows [][]catalog.Datum) string {
	s := ""
	for _, r := range rows {
		s += "["
		for i, d := range r {
			if i > 0 {
				s += " "
			}
			switch v := d.(type) {
			case decimal128.Num:
				s += "dec:" + v.ToString(0)
			case nil:
				s += "NULL"
			default:
				s += fmt.Sprintf("%v", v)
			}
		}
		s += "]"
	}
	return s
}

// evalRows evaluates e over the given single-column rows of type t and
// returns the results (or the error).
func evalExpr(t *testing.T, e Expr, types []catalog.Type, rows [][]catalog.Datum) ([]catalog.Datum, error) {
	t.Helper()
	return evalExprPer(t, e, types, rows, source(types, nil).per)
}

// evalExprPer is evalExpr over batches of per rows (and a junk row each).
func evalExprPer(t *testing.T, e Expr, types []catalog.Type, rows [][]catalog.Datum, per int) ([]catalog.Datum, error) {
	t.Helper()
	src := source(types, rows)
	src.sel, src.per = true, per
	out, err := Collect(checkedCtx(t), NewProject(src, []Expr{e}))
	if err != nil {
		return nil, err
	}
	vals := make([]catalog.Datum, len(out))
	for i, r := range out {
		vals[i] = r[0]
	}
	return vals, nil
}

func dec(s string, scale int32) decimal128.Num {
	v, err := decimal128.FromString(s, 38, scale)
	if err != nil {
		panic(err)
	}
	return v
}

func must(e Expr, err error) Expr {
	if err != nil {
		panic(err)
	}
	return e
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %s, got none", code)
	}
	if got := pgerr.CodeOf(err); got != code {
		t.Fatalf("want SQLSTATE %s, got %s (%v)", code, got, err)
	}
}

func row(vals ...catalog.Datum) []catalog.Datum { return vals }

func nanF() float64         { return math.NaN() }
func infF(sign int) float64 { return math.Inf(sign) }

// formatText prints a non-NULL Datum as a cast to text does.
func formatText(t catalog.Type, d catalog.Datum) string {
	if b, ok := d.(bool); ok {
		return string(appendBoolCastText(nil, b))
	}
	return string(catalog.AppendDatumText(nil, t, d))
}
