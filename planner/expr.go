package planner

import (
	"fmt"
	"strings"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// Expr is a bound, typed scalar expression of the logical plan.
type Expr interface {
	Type() catalog.Type
	String() string
}

// ColRef is the Index-th column of the input.
type ColRef struct {
	Index int
	T     catalog.Type
	Name  string // for EXPLAIN only
}

// Const is a literal value (a Datum of type T). Loc is where an untyped
// literal stands in the query, for errors about reading it.
type Const struct {
	Value catalog.Datum
	T     catalog.Type
	Loc   int32
}

// Param is the statement parameter $Index+1.
type Param struct {
	Index int
	T     catalog.Type
}

// OuterRef reads the Index-th value of the enclosing query's current row,
// as captured by the SubqueryExpr that contains it (its OuterCols).
type OuterRef struct {
	Index int
	T     catalog.Type
}

// BinExpr is an arithmetic, comparison, concatenation or LIKE operator.
type BinExpr struct {
	Op   exec.BinaryOp
	L, R Expr
	T    catalog.Type
}

// BoolExpr is AND (And=true) or OR over two or more arguments.
type BoolExpr struct {
	And  bool
	Args []Expr
}

// NotExpr is NOT Arg.
type NotExpr struct{ Arg Expr }

// NegExpr is unary minus.
type NegExpr struct {
	Arg Expr
}

// NullTest is Arg IS [NOT] NULL. For a record, IS NULL holds when every
// field is NULL and IS NOT NULL when none is, unless Datum: then the
// record value itself is tested (ROW(ROW(NULL)) IS NULL tests its one
// field so, and is false).
type NullTest struct {
	Arg   Expr
	Not   bool
	Datum bool
}

// DistinctFrom is L IS [NOT] DISTINCT FROM R.
type DistinctFrom struct {
	L, R Expr
	Not  bool
}

// FuncExpr is a call of a scalar function.
type FuncExpr struct {
	Name string
	Args []Expr
	T    catalog.Type
}

// HostCall calls a function the engine provides (pg_cancel_backend,
// set_config): its effects are the session's, so it is never folded and
// runs once per row.
type HostCall struct {
	Name string
	Args []Expr
	T    catalog.Type
	Fn   exec.HostFunc
}

// CastExpr converts Arg to T. An assignment cast (storing into a column)
// rejects strings too long for the column instead of truncating them.
type CastExpr struct {
	Arg    Expr
	T      catalog.Type
	Assign bool
}

// CaseExpr is a searched CASE (simple CASE is bound into this form).
type CaseExpr struct {
	Whens []CaseWhen
	Else  Expr // nil means NULL
	T     catalog.Type
}

// CaseWhen is one WHEN Cond THEN Then arm.
type CaseWhen struct{ Cond, Then Expr }

// CoalesceExpr is COALESCE(Args...).
type CoalesceExpr struct {
	Args []Expr
	T    catalog.Type
}

// NullIfExpr is NULLIF(L, R). L and R are coerced to the type they are
// compared in; T is the result type, the type Postgres' = operator takes
// the first argument as (nullIfType), to which L's value is cast back.
type NullIfExpr struct {
	L, R Expr
	T    catalog.Type
}

// InList is Arg [NOT] IN (List...).
type InList struct {
	Arg  Expr
	List []Expr
	Not  bool
}

// SubqueryExpr is a subquery used as a value: scalar, EXISTS, IN or
// op ANY/ALL. OuterCols are expressions over the enclosing query's input
// whose values the subquery reads through OuterRef; a subquery with none
// is uncorrelated and runs once.
type SubqueryExpr struct {
	Mode      exec.SubqueryMode
	Plan      Node
	Probe     Expr // IN / ANY / ALL: the left operand
	Op        exec.BinaryOp
	OuterCols []Expr
	T         catalog.Type
}

// AggRef stands for an aggregate call while the binder splits a SELECT
// into its aggregate and the projection above it; it never survives
// binding. Args are the aggregated arguments (none for count(*); for an
// ordered-set aggregate the WITHIN GROUP sort expression), Direct an
// ordered-set aggregate's direct argument, Order the ORDER BY inside the
// call (for an ordered-set aggregate the WITHIN GROUP direction of
// Args[0]) and Filter its FILTER (WHERE ...) condition.
type AggRef struct {
	Agg    exec.AggFunc
	Args   []Expr
	Direct Expr
	Order  []SortKey
	Filter Expr
	Dis    bool
	T      catalog.Type
}

// exprs lists every expression of the call: the arguments, the direct
// argument, the ORDER BY keys, the FILTER condition.
func (e *AggRef) exprs() []Expr {
	out := append([]Expr(nil), e.Args...)
	if e.Direct != nil {
		out = append(out, e.Direct)
	}
	for _, k := range e.Order {
		out = append(out, k.Expr)
	}
	if e.Filter != nil {
		out = append(out, e.Filter)
	}
	return out
}

// withExprs is a copy of e with the expressions exprs lists replaced.
func (e *AggRef) withExprs(es []Expr) *AggRef {
	c := *e
	c.Args, es = append([]Expr(nil), es[:len(e.Args)]...), es[len(e.Args):]
	if e.Direct != nil {
		c.Direct, es = es[0], es[1:]
	}
	c.Order = make([]SortKey, len(e.Order))
	for i, k := range e.Order {
		c.Order[i] = SortKey{Expr: es[i], Desc: k.Desc, NullsFirst: k.NullsFirst}
	}
	es = es[len(e.Order):]
	if e.Filter != nil {
		c.Filter = es[0]
	}
	return &c
}

func (e *ColRef) Type() catalog.Type       { return e.T }
func (e *Const) Type() catalog.Type        { return e.T }
func (e *Param) Type() catalog.Type        { return e.T }
func (e *OuterRef) Type() catalog.Type     { return e.T }
func (e *BinExpr) Type() catalog.Type      { return e.T }
func (e *BoolExpr) Type() catalog.Type     { return catalog.TypeBool }
func (e *NotExpr) Type() catalog.Type      { return catalog.TypeBool }
func (e *NegExpr) Type() catalog.Type      { return e.Arg.Type() }
func (e *NullTest) Type() catalog.Type     { return catalog.TypeBool }
func (e *DistinctFrom) Type() catalog.Type { return catalog.TypeBool }
func (e *FuncExpr) Type() catalog.Type     { return e.T }
func (e *CastExpr) Type() catalog.Type     { return e.T }
func (e *HostCall) Type() catalog.Type     { return e.T }
func (e *CaseExpr) Type() catalog.Type     { return e.T }
func (e *CoalesceExpr) Type() catalog.Type { return e.T }
func (e *NullIfExpr) Type() catalog.Type   { return e.T }
func (e *InList) Type() catalog.Type       { return catalog.TypeBool }
func (e *SubqueryExpr) Type() catalog.Type { return e.T }
func (e *AggRef) Type() catalog.Type       { return e.T }

func (e *ColRef) String() string {
	if e.Name != "" {
		return e.Name
	}
	return fmt.Sprintf("#%d", e.Index)
}
func (e *Const) String() string {
	if e.Value == nil {
		return "NULL"
	}
	return string(catalog.AppendDatumText(nil, e.T, e.Value))
}
func (e *Param) String() string    { return fmt.Sprintf("$%d", e.Index+1) }
func (e *OuterRef) String() string { return fmt.Sprintf("outer#%d", e.Index) }
func (e *BinExpr) String() string {
	return "(" + e.L.String() + " " + binaryOpText[e.Op] + " " + e.R.String() + ")"
}
func (e *BoolExpr) String() string {
	op := " OR "
	if e.And {
		op = " AND "
	}
	return "(" + joinExprs(e.Args, op) + ")"
}
func (e *NotExpr) String() string { return "(NOT " + e.Arg.String() + ")" }
func (e *NegExpr) String() string { return "(- " + e.Arg.String() + ")" }
func (e *NullTest) String() string {
	if e.Not {
		return "(" + e.Arg.String() + " IS NOT NULL)"
	}
	return "(" + e.Arg.String() + " IS NULL)"
}
func (e *DistinctFrom) String() string {
	op := " IS DISTINCT FROM "
	if e.Not {
		op = " IS NOT DISTINCT FROM "
	}
	return "(" + e.L.String() + op + e.R.String() + ")"
}
func (e *FuncExpr) String() string {
	if s, ok := arraySyntaxString(e); ok {
		return s
	}
	return e.Name + "(" + joinExprs(e.Args, ", ") + ")"
}
func (e *CastExpr) String() string { return "(" + e.Arg.String() + ")::" + e.T.String() }
func (e *HostCall) String() string { return e.Name + "(" + joinExprs(e.Args, ", ") + ")" }
func (e *CaseExpr) String() string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, w := range e.Whens {
		b.WriteString(" WHEN " + w.Cond.String() + " THEN " + w.Then.String())
	}
	if e.Else != nil {
		b.WriteString(" ELSE " + e.Else.String())
	}
	b.WriteString(" END")
	return b.String()
}
func (e *CoalesceExpr) String() string { return "COALESCE(" + joinExprs(e.Args, ", ") + ")" }
func (e *NullIfExpr) String() string   { return "NULLIF(" + e.L.String() + ", " + e.R.String() + ")" }
func (e *InList) String() string {
	op := " IN ("
	if e.Not {
		op = " NOT IN ("
	}
	return "(" + e.Arg.String() + op + joinExprs(e.List, ", ") + "))"
}
func (e *SubqueryExpr) String() string {
	switch e.Mode {
	case exec.SubqueryExists:
		return "EXISTS(SubPlan)"
	case exec.SubqueryIn:
		return "(" + e.Probe.String() + " IN (SubPlan))"
	case exec.SubqueryAny:
		return "(" + e.Probe.String() + " " + binaryOpText[e.Op] + " ANY (SubPlan))"
	case exec.SubqueryAll:
		return "(" + e.Probe.String() + " " + binaryOpText[e.Op] + " ALL (SubPlan))"
	}
	return "(SubPlan)"
}
func (e *AggRef) String() string {
	var s string
	switch {
	case e.Agg == exec.AggCountStar:
		s = "count(*)"
	case e.Agg.IsOrderedSet():
		direct := ""
		if e.Direct != nil {
			direct = e.Direct.String()
		}
		s = e.Agg.String() + "(" + direct + ") WITHIN GROUP (ORDER BY " + sortKeysText(e.Order) + ")"
	default:
		args := joinExprs(e.Args, ", ")
		if e.Dis {
			args = "DISTINCT " + args
		}
		if len(e.Order) > 0 {
			args += " ORDER BY " + sortKeysText(e.Order)
		}
		s = e.Agg.String() + "(" + args + ")"
	}
	if e.Filter != nil {
		s += " FILTER (WHERE " + e.Filter.String() + ")"
	}
	return s
}

func joinExprs(es []Expr, sep string) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, sep)
}

var binaryOpText = map[exec.BinaryOp]string{
	exec.OpAdd: "+", exec.OpSub: "-", exec.OpMul: "*", exec.OpDiv: "/", exec.OpMod: "%",
	exec.OpEq: "=", exec.OpNe: "<>", exec.OpLt: "<", exec.OpLe: "<=", exec.OpGt: ">", exec.OpGe: ">=",
	exec.OpConcat: "||", exec.OpLike: "~~", exec.OpNotLike: "!~~", exec.OpILike: "~~*", exec.OpNotILike: "!~~*",
}

// children returns e's direct subexpressions (not those inside a subquery
// plan, but including a subquery's probe and outer columns, which are
// evaluated over the enclosing input).
func children(e Expr) []Expr {
	switch e := e.(type) {
	case *BinExpr:
		return []Expr{e.L, e.R}
	case *BoolExpr:
		return e.Args
	case *NotExpr:
		return []Expr{e.Arg}
	case *NegExpr:
		return []Expr{e.Arg}
	case *NullTest:
		return []Expr{e.Arg}
	case *DistinctFrom:
		return []Expr{e.L, e.R}
	case *FuncExpr:
		return e.Args
	case *HostCall:
		return e.Args
	case *CastExpr:
		return []Expr{e.Arg}
	case *DomainCheck:
		// Its checks read the value, not the enclosing input.
		return []Expr{e.Arg}
	case *CaseExpr:
		var out []Expr
		for _, w := range e.Whens {
			out = append(out, w.Cond, w.Then)
		}
		if e.Else != nil {
			out = append(out, e.Else)
		}
		return out
	case *CoalesceExpr:
		return e.Args
	case *NullIfExpr:
		return []Expr{e.L, e.R}
	case *InList:
		return append([]Expr{e.Arg}, e.List...)
	case *SubqueryExpr:
		out := append([]Expr(nil), e.OuterCols...)
		if e.Probe != nil {
			out = append(out, e.Probe)
		}
		return out
	case *AggRef:
		return e.exprs()
	case *WinRef:
		return e.exprs()
	case *RowExpr:
		return e.children()
	case *FieldSelect:
		return []Expr{e.Arg}
	}
	return nil
}

// mapExpr rebuilds e bottom-up, replacing each node n by fn(n) after its
// children were mapped. fn returns its argument to keep it.
func mapExpr(e Expr, fn func(Expr) Expr) Expr {
	return fn(mapChildren(e, func(c Expr) Expr { return mapExpr(c, fn) }))
}

func mapExprs(es []Expr, fn func(Expr) Expr) []Expr {
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = mapExpr(e, fn)
	}
	return out
}

// walkExpr calls fn for e and every subexpression (pre-order).
func walkExpr(e Expr, fn func(Expr)) {
	fn(e)
	for _, c := range children(e) {
		walkExpr(c, fn)
	}
}

// colsUsed adds the input columns e reads to set.
func colsUsed(e Expr, set map[int]bool) {
	walkExpr(e, func(n Expr) {
		if c, ok := n.(*ColRef); ok {
			set[c.Index] = true
		}
	})
}

// remapCols returns e with every ColRef index i replaced by m[i].
func remapCols(e Expr, m map[int]int) Expr {
	return mapExpr(e, func(n Expr) Expr {
		if c, ok := n.(*ColRef); ok {
			return &ColRef{Index: m[c.Index], T: c.T, Name: c.Name}
		}
		return n
	})
}

// shiftCols returns e with every ColRef index moved by delta.
func shiftCols(e Expr, delta int) Expr {
	if delta == 0 {
		return e
	}
	return mapExpr(e, func(n Expr) Expr {
		if c, ok := n.(*ColRef); ok {
			return &ColRef{Index: c.Index + delta, T: c.T, Name: c.Name}
		}
		return n
	})
}

// isConstant reports whether e reads no column, parameter, outer value or
// subquery, so it can be folded at plan time.
func isConstant(e Expr) bool {
	ok := true
	walkExpr(e, func(n Expr) {
		switch n.(type) {
		case *ColRef, *Param, *OuterRef, *SubqueryExpr, *AggRef, *WinRef, *HostCall:
			ok = false
		case *FuncExpr:
			// Stable and volatile functions are not folded at plan time:
			// their value belongs to the execution, not the plan.
			if exec.FuncVolatility(n.(*FuncExpr).Name) != exec.Immutable {
				ok = false
			}
		}
	})
	return ok
}

// splitAnd flattens a conjunction into its conjuncts.
func splitAnd(e Expr) []Expr {
	if b, ok := e.(*BoolExpr); ok && b.And {
		var out []Expr
		for _, a := range b.Args {
			out = append(out, splitAnd(a)...)
		}
		return out
	}
	return []Expr{e}
}

// makeAnd joins conjuncts back; nil for none.
func makeAnd(es []Expr) Expr {
	switch len(es) {
	case 0:
		return nil
	case 1:
		return es[0]
	}
	return &BoolExpr{And: true, Args: es}
}

// mapChildren rebuilds e with each direct child c replaced by fn(c).
func mapChildren(e Expr, fn func(Expr) Expr) Expr {
	switch x := e.(type) {
	case *BinExpr:
		c := *x
		c.L, c.R = fn(x.L), fn(x.R)
		return &c
	case *BoolExpr:
		return &BoolExpr{And: x.And, Args: applyAll(x.Args, fn)}
	case *NotExpr:
		return &NotExpr{Arg: fn(x.Arg)}
	case *NegExpr:
		return &NegExpr{Arg: fn(x.Arg)}
	case *NullTest:
		return &NullTest{Arg: fn(x.Arg), Not: x.Not, Datum: x.Datum}
	case *DistinctFrom:
		return &DistinctFrom{L: fn(x.L), R: fn(x.R), Not: x.Not}
	case *FuncExpr:
		return &FuncExpr{Name: x.Name, Args: applyAll(x.Args, fn), T: x.T}
	case *HostCall:
		return &HostCall{Name: x.Name, Args: applyAll(x.Args, fn), T: x.T, Fn: x.Fn}
	case *CastExpr:
		return &CastExpr{Arg: fn(x.Arg), T: x.T, Assign: x.Assign}
	case *DomainCheck:
		return &DomainCheck{Arg: fn(x.Arg), Domain: x.Domain, Checks: x.Checks}
	case *CaseExpr:
		c := &CaseExpr{T: x.T, Whens: make([]CaseWhen, len(x.Whens))}
		for i, w := range x.Whens {
			c.Whens[i] = CaseWhen{Cond: fn(w.Cond), Then: fn(w.Then)}
		}
		if x.Else != nil {
			c.Else = fn(x.Else)
		}
		return c
	case *CoalesceExpr:
		return &CoalesceExpr{Args: applyAll(x.Args, fn), T: x.T}
	case *NullIfExpr:
		return &NullIfExpr{L: fn(x.L), R: fn(x.R), T: x.T}
	case *InList:
		return &InList{Arg: fn(x.Arg), List: applyAll(x.List, fn), Not: x.Not}
	case *SubqueryExpr:
		c := *x
		c.OuterCols = applyAll(x.OuterCols, fn)
		if x.Probe != nil {
			c.Probe = fn(x.Probe)
		}
		return &c
	case *AggRef:
		return x.withExprs(applyAll(x.exprs(), fn))
	case *WinRef:
		return x.withExprs(applyAll(x.exprs(), fn))
	case *RowExpr:
		return x.withChildren(applyAll(x.children(), fn))
	case *FieldSelect:
		return &FieldSelect{Arg: fn(x.Arg), Index: x.Index, T: x.T}
	}
	return e
}

func applyAll(es []Expr, fn func(Expr) Expr) []Expr {
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = fn(e)
	}
	return out
}

// contains reports whether e, or an expression below it, is a T.
func contains[T Expr](e Expr) bool {
	found := false
	walkExpr(e, func(n Expr) {
		if _, ok := n.(T); ok {
			found = true
		}
	})
	return found
}
