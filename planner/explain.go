package planner

import (
	"fmt"
	"strings"
)

// Explain renders a plan as EXPLAIN prints it: one line per node, children
// indented under "->", details on their own lines.
func Explain(p Plan) []string {
	var lines []string
	switch x := p.(type) {
	case *QueryPlan:
		explainNode(x.Root, 0, &lines)
	case *InsertPlan:
		lines = append(lines, "Insert on "+x.Table.Name)
		if c := x.Conflict; c != nil {
			action := "NOTHING"
			if c.Update != nil {
				action = "UPDATE"
			}
			lines = append(lines, "  Conflict Resolution: "+action)
			if c.Arbiters != nil {
				lines = append(lines, "  Conflict Arbiter Indexes: "+strings.Join(c.Arbiters, ", "))
			}
		}
		explainNode(x.Source, 1, &lines)
	case *UpdatePlan:
		lines = append(lines, "Update on "+x.Table.Name)
		explainNode(x.Source, 1, &lines)
	case *DeletePlan:
		lines = append(lines, "Delete on "+x.Table.Name)
		explainNode(x.Source, 1, &lines)
	default:
		lines = append(lines, "Utility Statement ("+p.planKind()+")")
	}
	return lines
}

func explainNode(n Node, depth int, lines *[]string) {
	indent := ""
	if depth > 0 {
		indent = strings.Repeat("      ", depth-1) + "->  "
	}
	detail := strings.Repeat("      ", depth) + "  "
	add := func(s string) { *lines = append(*lines, s) }
	switch x := n.(type) {
	case *Scan:
		name := x.Table.Name
		if x.Alias != "" && x.Alias != name {
			name += " " + x.Alias
		}
		add(indent + "Seq Scan on " + name)
		var cols []string
		for _, c := range x.Cols {
			cols = append(cols, x.Table.Columns[c].Name)
		}
		add(detail + "Columns: " + strings.Join(cols, ", "))
		if len(x.Filters) > 0 {
			add(detail + "Filter: " + makeAnd(x.Filters).String())
		}
	case *Values:
		add(indent + fmt.Sprintf("Values Scan (%d rows)", len(x.Rows)))
	case *Series:
		add(indent + "Function Scan on generate_series(" + joinExprs([]Expr{x.Start, x.Stop, x.Step}, ", ") + ")")
	case *Filter:
		add(indent + "Filter")
		add(detail + "Filter: " + x.Pred.String())
	case *Project:
		add(indent + "Project")
		add(detail + "Output: " + joinExprs(x.Exprs, ", "))
	case *Aggregate:
		if len(x.Groups) == 0 {
			add(indent + "Aggregate")
		} else {
			add(indent + "HashAggregate")
			add(detail + "Group Key: " + joinExprs(x.Groups, ", "))
		}
		aggs := make([]Expr, len(x.Aggs))
		for i, a := range x.Aggs {
			aggs[i] = a
		}
		if len(aggs) > 0 {
			add(detail + "Aggregates: " + joinExprs(aggs, ", "))
		}
	case *Join:
		// Name the operator lowering picks: a hash join when the
		// condition has equalities between the two sides, else a nested
		// loop.
		var keys [][2]Expr
		var residual []Expr
		if x.Cond != nil {
			keys, residual = splitJoinCond(x.Cond, len(x.Left.Types()))
		}
		name := "Nested Loop"
		if len(keys) > 0 {
			name = "Hash"
		}
		switch x.Kind {
		case JoinInner, JoinCross:
			if len(keys) > 0 {
				name += " Join"
			}
		case JoinLeft:
			name += " Left Join"
		case JoinFull:
			name += " Full Join"
		case JoinSemi:
			name += " Semi Join"
		case JoinAnti:
			name += " Anti Join"
		}
		add(indent + name)
		if len(keys) > 0 {
			add(detail + "Hash Cond: " + makeAnd(hashCondExprs(x.Cond, len(x.Left.Types()))).String())
		}
		if len(residual) > 0 {
			add(detail + "Join Filter: " + makeAnd(residual).String())
		}
	case *Sort:
		add(indent + "Sort")
		keys := make([]string, len(x.Keys))
		for i, k := range x.Keys {
			keys[i] = k.Expr.String()
			if k.Desc {
				keys[i] += " DESC"
			}
		}
		add(detail + "Sort Key: " + strings.Join(keys, ", "))
	case *Limit:
		add(indent + "Limit")
	case *Distinct:
		add(indent + "HashAggregate (distinct)")
	case *Window:
		add(indent + "WindowAgg")
		if len(x.PartitionBy) > 0 {
			add(detail + "Partition Key: " + joinExprs(x.PartitionBy, ", "))
		}
		if len(x.OrderBy) > 0 {
			add(detail + "Order Key: " + sortKeysText(x.OrderBy))
		}
		calls := make([]string, len(x.Funcs))
		for i, f := range x.Funcs {
			calls[i] = f.String()
		}
		add(detail + "Functions: " + strings.Join(calls, ", "))
	case *SetOp:
		name := map[SetOpKind]string{SetUnion: "Union", SetIntersect: "Intersect", SetExcept: "Except"}[x.Kind]
		if x.All {
			name += " All"
		}
		add(indent + name)
	case *RecursiveUnion:
		add(indent + "Recursive Union")
	case *WorkTableScan:
		add(indent + "WorkTable Scan on " + aliased(x.Name, x.Alias))
	case *CTEScan:
		add(indent + "CTE Scan on " + aliased(x.Name, x.Alias))
		// As in PostgreSQL the query's own plan is shown once, under the
		// first of its references.
		header := "CTE " + x.Name
		for _, l := range *lines {
			if strings.TrimSpace(l) == header {
				return
			}
		}
		add(detail + header)
		explainNode(x.Plan, depth+2, lines)
		return
	}
	for _, in := range inputs(n) {
		explainNode(in, depth+1, lines)
	}
}

// hashCondExprs are the conjuncts of cond that splitJoinCond takes as hash
// keys, as written in the condition.
func hashCondExprs(cond Expr, nl int) []Expr {
	var out []Expr
	for _, c := range splitAnd(cond) {
		if k, _ := splitJoinCond(c, nl); len(k) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// aliased is a relation's name followed by its alias when that differs.
func aliased(name, alias string) string {
	if alias != "" && alias != name {
		return name + " " + alias
	}
	return name
}
