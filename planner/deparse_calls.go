package planner

import (
	"strings"

	"github.com/pqdb/pqdb/exec"
)

// The calls ruleutils.c prints in a syntax of their own: aggregates and
// window functions, the functions written in SQL's syntax (SUBSTRING(x
// FROM 1), TRIM(BOTH FROM x)), and the internal functions pqdb binds
// array syntax to (ARRAY[...], a[i], x = ANY (a)).

// aggregate is get_agg_expr.
func (d *deparser) aggregate(x *AggRef) {
	if x.Agg == exec.AggCountStar {
		d.str("count(*)")
	} else if x.Agg.IsOrderedSet() {
		d.str(exec.QuoteIdent(x.Agg.String()) + "(")
		if x.Direct != nil {
			d.expr(x.Direct, true)
		}
		d.str(") WITHIN GROUP (ORDER BY ")
		d.sortKeys(x.Order)
		d.byte(')')
	} else {
		d.str(exec.QuoteIdent(x.Agg.String()) + "(")
		if x.Dis {
			d.str("DISTINCT ")
		}
		d.list(x.Args)
		if len(x.Order) > 0 {
			d.str(" ORDER BY ")
			d.sortKeys(x.Order)
		}
		d.byte(')')
	}
	if x.Filter != nil {
		d.str(" FILTER (WHERE ")
		d.expr(x.Filter, false)
		d.byte(')')
	}
}

// sqlSyntaxCall prints a call written in SQL's syntax as ruleutils.c's
// get_func_sql_syntax does; false for a function it has no syntax for.
func (d *deparser) sqlSyntaxCall(x *FuncExpr) bool {
	args := x.Args
	switch {
	case x.Name == "position" && len(args) == 2:
		d.str("POSITION((")
		d.expr(args[1], true)
		d.str(") IN (")
		d.expr(args[0], true)
		d.str("))")
	case x.Name == "substring" && (len(args) == 2 || len(args) == 3):
		d.str("SUBSTRING(")
		d.expr(args[0], true)
		d.str(" FROM ")
		d.expr(args[1], true)
		if len(args) == 3 {
			d.str(" FOR ")
			d.expr(args[2], true)
		}
		d.byte(')')
	case x.Name == "overlay" && (len(args) == 3 || len(args) == 4):
		d.str("OVERLAY(")
		d.expr(args[0], true)
		d.str(" PLACING ")
		d.expr(args[1], true)
		d.str(" FROM ")
		d.expr(args[2], true)
		if len(args) == 4 {
			d.str(" FOR ")
			d.expr(args[3], true)
		}
		d.byte(')')
	case (x.Name == "btrim" || x.Name == "ltrim" || x.Name == "rtrim") && (len(args) == 1 || len(args) == 2):
		d.str("TRIM(" + map[string]string{"btrim": "BOTH", "ltrim": "LEADING", "rtrim": "TRAILING"}[x.Name])
		if len(args) == 2 {
			d.byte(' ')
			d.expr(args[1], true)
		}
		d.str(" FROM ")
		d.expr(args[0], true)
		d.byte(')')
	case (x.Name == "extract" || x.Name == "date_part") && len(args) == 2:
		field, ok := args[0].(*Const)
		if !ok {
			return false
		}
		text, _ := field.Value.(string)
		d.str("EXTRACT(" + text + " FROM ")
		d.expr(args[1], true)
		d.byte(')')
	case x.Name == "timezone" && len(args) == 2:
		d.str("(")
		d.exprParen(args[1], true, x, true)
		d.str(" AT TIME ZONE ")
		d.exprParen(args[0], true, x, false)
		d.byte(')')
	default:
		return false
	}
	return true
}

// window is get_windowfunc_expr with an inline window definition.
func (d *deparser) window(x *WinRef) {
	c := x.Call
	if c.Func == exec.WinAggregate && c.Agg == exec.AggCountStar {
		d.str("count(*)")
	} else {
		d.str(exec.QuoteIdent(c.Name) + "(")
		d.list(c.callArgs())
		d.byte(')')
	}
	if f := c.filter(); f != nil {
		d.str(" FILTER (WHERE ")
		d.expr(f, false)
		d.byte(')')
	}
	d.str(" OVER ")
	if over := d.notes.windows[x]; over != nil && over.Name != "" {
		d.str(exec.QuoteIdent(over.Name)) // OVER w
		return
	} else if over != nil && over.Refname != "" {
		// OVER (w ORDER BY ...): what it adds to the window it names.
		var order []SortKey
		if len(over.OrderClause) > 0 {
			order = x.OrderBy
		}
		d.windowSpec(over.Refname, nil, order, c.frameClauseText())
		return
	}
	d.windowSpec("", x.PartitionBy, x.OrderBy, c.frameClauseText())
}

// windowSpec is get_rule_windowspec: ([ref] PARTITION BY ... ORDER BY
// ... frame).
func (d *deparser) windowSpec(ref string, partitionBy []Expr, orderBy []SortKey, frame string) {
	d.byte('(')
	sep := ""
	if ref != "" {
		d.str(exec.QuoteIdent(ref))
		sep = " "
	}
	if len(partitionBy) > 0 {
		d.str("PARTITION BY ")
		d.list(partitionBy)
		sep = " "
	}
	if len(orderBy) > 0 {
		d.str(sep + "ORDER BY ")
		d.sortKeys(orderBy)
		sep = " "
	}
	if frame != "" {
		d.str(sep + frame)
	}
	d.byte(')')
}

// quantifiedForm is the ScalarArrayOpExpr an internal x op ANY/ALL
// (array) call stands for.
func quantifiedForm(x *FuncExpr) (*arrayOp, bool) {
	if len(x.Args) != 2 || !strings.HasPrefix(x.Name, "pqdb_any_") && !strings.HasPrefix(x.Name, "pqdb_all_") {
		return nil, false
	}
	quant, sym := strings.ToUpper(x.Name[5:8]), x.Name[9:]
	for op, s := range quantifiedNames {
		if s == sym && op != "!=" {
			return &arrayOp{Arg: x.Args[0], Op: op, Quant: quant, Array: x.Args[1]}, true
		}
	}
	return nil, false
}

// arraySyntax prints the internal functions array syntax binds to
// (bind_array.go) as that syntax, as ruleutils.c prints ArrayExpr,
// SubscriptingRef and ScalarArrayOpExpr.
func (d *deparser) arraySyntax(x *FuncExpr) bool {
	switch {
	case x.Name == "pqdb_array":
		d.str("ARRAY[")
		d.list(x.Args)
		d.byte(']')
	case x.Name == "pqdb_array_subscript" && len(x.Args) == 2, x.Name == "pqdb_array_slice" && len(x.Args) == 3:
		d.exprParen(x.Args[0], true, x, true)
		d.byte('[')
		d.expr(x.Args[1], true)
		if len(x.Args) == 3 {
			d.byte(':')
			d.expr(x.Args[2], true)
		}
		d.byte(']')
	default:
		q, ok := quantifiedForm(x)
		if !ok {
			return false
		}
		d.expr(q, true)
	}
	return true
}

// operatorCall prints a function pqdb binds an operator to (textregexeq
// for ~, jsonb_object_field for ->) as the operator written, as
// get_oper_expr does.
func (d *deparser) operatorCall(op string, x *FuncExpr) {
	d.open()
	if len(x.Args) == 2 {
		d.exprParen(x.Args[0], true, x, true)
		d.str(" " + op + " ")
		d.exprParen(x.Args[1], true, x, false)
	} else {
		d.str(op + " ")
		d.exprParen(x.Args[0], true, x, true)
	}
	d.close()
}
