package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// columnName is the name Postgres gives an unaliased select-list item
// (FigureColname in parse_target.c).
func (b *binder) columnName(n *pg_query.Node) string {
	if name, ok := figureColname(n); ok {
		return name
	}
	return "?column?"
}

func figureColname(n *pg_query.Node) (string, bool) {
	switch x := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		last := x.ColumnRef.Fields[len(x.ColumnRef.Fields)-1]
		if s := last.GetString_(); s != nil {
			return s.Sval, true
		}
	case *pg_query.Node_FuncCall:
		return x.FuncCall.Funcname[len(x.FuncCall.Funcname)-1].GetString_().Sval, true
	case *pg_query.Node_GroupingFunc:
		return "grouping", true
	case *pg_query.Node_TypeCast:
		if name, ok := figureColname(x.TypeCast.Arg); ok {
			return name, true
		}
		names := x.TypeCast.TypeName.Names
		if len(names) > 0 {
			name := names[len(names)-1].GetString_().Sval
			return name, true
		}
	case *pg_query.Node_CaseExpr:
		if x.CaseExpr.Defresult != nil {
			if name, ok := figureColname(x.CaseExpr.Defresult); ok {
				return name, true
			}
		}
		return "case", true
	case *pg_query.Node_CoalesceExpr:
		return "coalesce", true
	case *pg_query.Node_AArrayExpr:
		return "array", true
	case *pg_query.Node_AIndirection:
		// Subscripts keep the name of what they subscript.
		return figureColname(x.AIndirection.Arg)
	case *pg_query.Node_MinMaxExpr:
		return minMaxName(x.MinMaxExpr.Op), true
	case *pg_query.Node_AExpr:
		if x.AExpr.Kind == pg_query.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif", true
		}
	case *pg_query.Node_SubLink:
		switch x.SubLink.SubLinkType {
		case pg_query.SubLinkType_EXISTS_SUBLINK:
			return "exists", true
		case pg_query.SubLinkType_ARRAY_SUBLINK:
			return "array", true
		case pg_query.SubLinkType_EXPR_SUBLINK:
			if sel := x.SubLink.Subselect.GetSelectStmt(); sel != nil && len(sel.TargetList) > 0 {
				rt := sel.TargetList[0].GetResTarget()
				if rt.Name != "" {
					return rt.Name, true
				}
				return figureColname(rt.Val)
			}
		}
	case *pg_query.Node_SqlvalueFunction:
		return strings.ToLower(strings.TrimPrefix(x.SqlvalueFunction.Op.String(), "SVFOP_")), true
	}
	return "", false
}
