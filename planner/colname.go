package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// columnName is the name Postgres gives an unaliased select-list item
// (FigureColname in parse_target.c). It reads the parse tree, except for
// a scalar subquery, which is named after the first output column of the
// subquery as bound (noteSubqueryName): (SELECT * FROM c) is named after
// c's column, (VALUES (1)) column1.
func (b *binder) columnName(n *pg_query.Node) string {
	if name, strength := b.figureColname(n); strength > 0 {
		return name
	}
	return "?column?"
}

// noteSubqueryName records the name of the first output column of the
// scalar subquery s, once bound, for columnName.
func (b *binder) noteSubqueryName(s *pg_query.SubLink, name string) {
	if b.subqueryNames == nil {
		b.subqueryNames = map[*pg_query.SubLink]string{}
	}
	b.subqueryNames[s] = name
}

// Name strengths, as FigureColnameInternal ranks them: a name from a
// column, function or keyword (2) beats a type name or "case" (1), which
// an enclosing cast or CASE may replace; 0 is no name.
const (
	weakName   = 1
	strongName = 2
)

func (b *binder) figureColname(n *pg_query.Node) (string, int) {
	switch x := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		// The last field name, ignoring a trailing *.
		fields := x.ColumnRef.Fields
		for i := len(fields) - 1; i >= 0; i-- {
			if s := fields[i].GetString_(); s != nil {
				return s.Sval, strongName
			}
		}
	case *pg_query.Node_AIndirection:
		// A field selection is named after its last field; subscripts
		// keep the name of what they subscript.
		ind := x.AIndirection.Indirection
		for i := len(ind) - 1; i >= 0; i-- {
			if s := ind[i].GetString_(); s != nil {
				return s.Sval, strongName
			}
		}
		return b.figureColname(x.AIndirection.Arg)
	case *pg_query.Node_FuncCall:
		return x.FuncCall.Funcname[len(x.FuncCall.Funcname)-1].GetString_().Sval, strongName
	case *pg_query.Node_AExpr:
		if x.AExpr.Kind == pg_query.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif", strongName
		}
	case *pg_query.Node_TypeCast:
		name, strength := b.figureColname(x.TypeCast.Arg)
		if strength <= weakName {
			if names := x.TypeCast.TypeName.GetNames(); len(names) > 0 {
				return names[len(names)-1].GetString_().Sval, weakName
			}
		}
		return name, strength
	case *pg_query.Node_CollateClause:
		return b.figureColname(x.CollateClause.Arg)
	case *pg_query.Node_GroupingFunc:
		return "grouping", strongName
	case *pg_query.Node_SubLink:
		switch x.SubLink.SubLinkType {
		case pg_query.SubLinkType_EXISTS_SUBLINK:
			return "exists", strongName
		case pg_query.SubLinkType_ARRAY_SUBLINK:
			return "array", strongName
		case pg_query.SubLinkType_EXPR_SUBLINK:
			if name, ok := b.subqueryNames[x.SubLink]; ok {
				return name, strongName
			}
		}
	case *pg_query.Node_CaseExpr:
		var name string
		strength := 0
		if x.CaseExpr.Defresult != nil {
			name, strength = b.figureColname(x.CaseExpr.Defresult)
		}
		if strength <= weakName {
			return "case", weakName
		}
		return name, strength
	case *pg_query.Node_AArrayExpr:
		return "array", strongName
	case *pg_query.Node_RowExpr:
		return "row", strongName
	case *pg_query.Node_CoalesceExpr:
		return "coalesce", strongName
	case *pg_query.Node_MinMaxExpr:
		return minMaxName(x.MinMaxExpr.Op), strongName
	case *pg_query.Node_SqlvalueFunction:
		// CURRENT_TIMESTAMP(2) is named current_timestamp.
		op := strings.TrimSuffix(strings.TrimPrefix(x.SqlvalueFunction.Op.String(), "SVFOP_"), "_N")
		return strings.ToLower(op), strongName
	}
	return "", 0
}
