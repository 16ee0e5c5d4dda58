package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// The json and jsonb operators bind, as in pg_operator, to the functions
// that implement them (exec/jsonb_ops.go), chosen by the operand types as
// PostgreSQL's operator resolution chooses:
//
//	json(b) -> text|int, ->> text|int      *_object_field[_text], *_array_element[_text]
//	json(b) #> text[], #>> text[]          *_extract_path[_text]
//	jsonb @> jsonb, <@ jsonb               jsonb_contains, jsonb_contained
//	jsonb ? text, ?| text[], ?& text[]     jsonb_exists, jsonb_exists_any, jsonb_exists_all
//	jsonb || jsonb                         jsonb_concat
//	jsonb - text|int|text[], #- text[]     jsonb_delete, jsonb_delete_path
//
// An unknown literal on the right is text for -> ->> ? and -, text[] for
// #> #>> ?| ?& and #-, jsonb for @> <@ and ||; int2 widens to int4 and
// varchar to text. On the left an unknown literal is jsonb where only
// jsonb has the operator (? ?| ?& #- @> <@ ||) and ambiguous (42725)
// where json has it too (-> ->> #> #>>). Other operand types are 42883.
// jsonb || text and json || text are the string concatenation, bound by
// concat.
//
// jsonb's comparisons (= <> < <= > >=) are exec's comparison kernels in
// jsonb order. json has none, and cannot be grouped, made distinct or
// sorted: checkJSONKeys refuses those plans with PostgreSQL's errors.

var jsonNavigationFuncs = map[string][2]string{ // [by key, by index]
	"->": {"object_field", "array_element"}, "->>": {"object_field_text", "array_element_text"},
	"#>": {"extract_path", "extract_path"}, "#>>": {"extract_path_text", "extract_path_text"},
}

var jsonbOnlyFuncs = map[string]string{
	"?": "jsonb_exists", "?|": "jsonb_exists_any", "?&": "jsonb_exists_all", "#-": "jsonb_delete_path",
	"@>": "jsonb_contains", "<@": "jsonb_contained", "||": "jsonb_concat", "-": "jsonb_delete",
}

func isJSONType(k catalog.Kind) bool { return k == catalog.JSON || k == catalog.JSONB }

// jsonbOperator binds l op r when op is a json or jsonb operator with
// these operands; ok is false for operators and operands it leaves to
// the other rules.
func (b *binder) jsonbOperator(op string, l, r Expr, loc int32) (Expr, bool, error) {
	lk, rk := l.Type().Kind, r.Type().Kind
	if names, nav := jsonNavigationFuncs[op]; nav {
		switch {
		case lk == catalog.Unknown && !isJSONType(rk):
			err := b.errAt(pgerr.AmbiguousFunction, loc, "operator is not unique: %s %s %s", l.Type(), op, r.Type())
			err.Hint = "Could not choose a best candidate operator. You might need to add explicit type casts."
			return nil, true, err
		case !isJSONType(lk):
			return nil, true, b.noOperator(op, l.Type(), r.Type(), loc)
		}
		name := names[0]
		if rk == catalog.Int2 || rk == catalog.Int4 {
			name = names[1]
		}
		prefix := "jsonb_"
		if lk == catalog.JSON {
			prefix = "json_"
		}
		if op == "#>" || op == "#>>" {
			// The path operators take one text[]; the functions of the
			// same name also take the path as text arguments.
			if rk != catalog.Unknown && rk != catalog.Array {
				return nil, true, b.noOperator(op, l.Type(), r.Type(), loc)
			}
			if rk == catalog.Unknown {
				var err error
				if r, err = b.coerce(r, catalog.ArrayOf(catalog.TypeText), loc); err != nil {
					return nil, true, err
				}
			}
		}
		return b.jsonbOperatorCall(op, prefix+name, l, r, loc)
	}
	name, ok := jsonbOnlyFuncs[op]
	if !ok {
		return nil, false, nil
	}
	switch op {
	case "@>", "<@":
		if lk == catalog.JSON || rk == catalog.JSON {
			return nil, true, b.noOperator(op, l.Type(), r.Type(), loc)
		}
		if lk != catalog.JSONB && rk != catalog.JSONB {
			return nil, false, nil // the array operators
		}
	case "||":
		if !(lk == catalog.JSONB && (rk == catalog.JSONB || rk == catalog.Unknown) || rk == catalog.JSONB && lk == catalog.Unknown) {
			return nil, false, nil // string concatenation, or no operator
		}
	case "-":
		if lk == catalog.JSON {
			return nil, true, b.noOperator(op, l.Type(), r.Type(), loc)
		}
		if lk != catalog.JSONB {
			return nil, false, nil // arithmetic
		}
		if rk == catalog.Unknown {
			// jsonb - text, the preferred type of the candidates' category.
			var err error
			if r, err = b.coerce(r, catalog.TypeText, loc); err != nil {
				return nil, true, err
			}
		}
	}
	return b.jsonbOperatorCall(op, name, l, r, loc)
}

// jsonbOperatorCall binds the function of an operator; arguments its
// signature does not take are the operator's 42883.
func (b *binder) jsonbOperatorCall(op, fn string, l, r Expr, loc int32) (Expr, bool, error) {
	e, err := b.scalarFunc(fn, []Expr{l, r}, loc)
	if err != nil && pgerr.CodeOf(err) == pgerr.UndefinedFunction {
		return nil, true, b.noOperator(op, l.Type(), r.Type(), loc)
	}
	return e, true, err
}

// jsonAggArgs resolves json_agg and jsonb_agg (anyelement: any type but an
// unknown literal) and json_object_agg and jsonb_object_agg ("any", "any":
// an unknown literal is text).
func (b *binder) jsonAggArgs(name string, agg exec.AggFunc, args []Expr, loc int32) ([]Expr, catalog.Type, error) {
	t := catalog.TypeJSON
	if agg == exec.AggJSONBAgg || agg == exec.AggJSONBObjectAgg {
		t = catalog.TypeJSONB
	}
	if agg == exec.AggJSONAgg || agg == exec.AggJSONBAgg {
		if len(args) != 1 {
			return nil, catalog.Type{}, b.noSuchFunc(name, args, loc)
		}
		if args[0].Type().Kind == catalog.Unknown {
			// PostgreSQL reports this one without a position.
			return nil, catalog.Type{}, pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown")
		}
		return args, t, nil
	}
	if len(args) != 2 {
		return nil, catalog.Type{}, b.noSuchFunc(name, args, loc)
	}
	return []Expr{b.resolveUnknown(args[0]), b.resolveUnknown(args[1])}, t, nil
}

// checkJSONKeys refuses a plan that groups, makes distinct, sorts or
// partitions by json, which has neither an equality nor an ordering
// operator: 42883, as PostgreSQL reports it when it looks for one. (jsonb
// has both.) Subqueries in the expressions of projections, filters,
// joins and groupings are checked too.
func checkJSONKeys(p Plan) error {
	var roots []Node
	switch p := p.(type) {
	case *QueryPlan:
		roots = []Node{p.Root}
	case *ExplainPlan:
		return checkJSONKeys(p.Inner)
	case *ModifyingWithPlan:
		for _, c := range p.CTEs {
			if err := checkJSONKeys(c.Plan); err != nil {
				return err
			}
		}
		return checkJSONKeys(p.Main)
	case *CreateTableAsPlan:
		roots = []Node{p.Source}
	case *InsertPlan:
		roots = []Node{p.Source}
		if p.Returning != nil {
			roots = append(roots, p.Returning.Root)
		}
	case *UpdatePlan:
		roots = []Node{p.Source}
		if p.Returning != nil {
			roots = append(roots, p.Returning.Root)
		}
	case *DeletePlan:
		roots = []Node{p.Source}
		if p.Returning != nil {
			roots = append(roots, p.Returning.Root)
		}
	case *CopyToPlan:
		roots = []Node{p.Root}
	case *DeclarePlan:
		if p.Query != nil {
			return checkJSONKeys(p.Query)
		}
	}
	for _, n := range roots {
		if err := checkJSONNode(n); err != nil {
			return err
		}
	}
	return nil
}

func errNoJSONEquality() error {
	return pgerr.New(pgerr.UndefinedFunction, "could not identify an equality operator for type json")
}

// unordered reports whether values of type t cannot be sorted: json,
// and xid and cid, whose ids wrap around.
func unordered(t catalog.Type) bool {
	return t.Kind == catalog.JSON || t.Kind == catalog.Xid || t.Kind == catalog.Cid
}

func errNoOrdering(t catalog.Type) error {
	err := pgerr.New(pgerr.UndefinedFunction, "could not identify an ordering operator for type %s", t)
	err.Hint = "Use an explicit ordering operator or modify the query."
	return err
}

func isJSON(e Expr) bool { return e.Type().Kind == catalog.JSON }

func checkJSONNode(n Node) error {
	if n == nil {
		return nil
	}
	if err := checkRecordKeys(n); err != nil {
		return err
	}
	var exprs []Expr
	switch x := n.(type) {
	case *Aggregate:
		for _, g := range x.Groups {
			if isJSON(g) {
				return errNoJSONEquality()
			}
		}
		for _, a := range x.Aggs {
			for _, arg := range a.Args {
				if a.Dis && isJSON(arg) {
					return errNoJSONEquality()
				}
			}
		}
		exprs = x.Groups
	case *Distinct:
		for _, t := range x.Input.Types() {
			if t.Kind == catalog.JSON {
				return errNoJSONEquality()
			}
		}
	case *SetOp:
		if x.Kind != SetUnion || !x.All {
			for _, t := range x.Left.Types() {
				if t.Kind == catalog.JSON {
					return errNoJSONEquality()
				}
			}
		}
	case *Sort:
		for _, k := range x.Keys {
			if t := k.Expr.Type(); unordered(t) {
				return errNoOrdering(t)
			}
		}
	case *Window:
		for _, e := range x.PartitionBy {
			if isJSON(e) {
				return errNoJSONEquality()
			}
		}
		for _, k := range x.OrderBy {
			if t := k.Expr.Type(); unordered(t) {
				return errNoOrdering(t)
			}
		}
	case *Project:
		exprs = x.Exprs
	case *Filter:
		exprs = []Expr{x.Pred}
	case *Join:
		if x.Cond != nil {
			exprs = []Expr{x.Cond}
		}
	}
	for _, e := range exprs {
		var err error
		walkExpr(e, func(c Expr) {
			if s, ok := c.(*SubqueryExpr); ok && err == nil {
				err = checkJSONNode(s.Plan)
			}
		})
		if err != nil {
			return err
		}
	}
	for _, c := range inputs(n) {
		if err := checkJSONNode(c); err != nil {
			return err
		}
	}
	return nil
}
