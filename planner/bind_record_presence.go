package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/pqdb/pqdb/catalog"
)

// Presence columns. A whole-row reference t is a record of t's columns,
// built where it is read (bind_record.go). In PostgreSQL it is a value of
// t's rows, so a row that an outer join NULL-extends is a NULL record,
// while a row of t whose columns are all NULL is a record of NULLs: the
// two differ in to_jsonb(t), row_to_json(t), t's text and count(t).
//
// To tell them apart, a FROM item on the nullable side of an outer join
// (the right of LEFT, the left of RIGHT, both of FULL, at any depth) gets
// one more, hidden column: a constant true, which the join NULL-extends
// with the item's columns. A whole-row reference reads it as its
// RowExpr.Present. Pruning drops the column wherever nothing reads it.
//
// The binder does not know, when it binds a FROM item, whether a whole-row
// reference to it will follow, so it adds the column to the items whose
// name the statement writes where a whole-row reference could stand: a
// column reference of one name (t) or a t.* (statementWholeRowNames).
// A whole-row reference to a NULL-extended item without one is refused
// (scope.wholeRow), never read as a record of NULLs.

// wholeRowCandidate reports whether the statement (or a view it reads)
// writes name where a whole-row reference could stand.
func (b *binder) wholeRowCandidate(name string) bool {
	if b.wholeRowNames == nil {
		b.wholeRowNames = map[string]bool{}
		if b.stmt != nil && b.stmt.Node != nil {
			addWholeRowNames(b.wholeRowNames, b.stmt.Node.ProtoReflect())
		}
	}
	return b.wholeRowNames[name]
}

// addWholeRowNames adds to names every name of the tree m that a column
// reference of one name, or t.* as a value, writes. A select or
// RETURNING list's own t.* is expanded into columns, not a whole row.
func addWholeRowNames(names map[string]bool, m protoreflect.Message) {
	expanded := map[*pg_query.ColumnRef]bool{}
	walkMessage(m, func(m protoreflect.Message) {
		if rt, ok := m.Interface().(*pg_query.ResTarget); ok {
			if ref := rt.GetVal().GetColumnRef(); ref != nil && len(ref.Fields) > 0 && isStar(ref) {
				expanded[ref] = true
			}
		}
	})
	walkMessage(m, func(m protoreflect.Message) {
		ref, ok := m.Interface().(*pg_query.ColumnRef)
		if !ok || expanded[ref] {
			return
		}
		switch f := ref.Fields; {
		case len(f) == 1 && f[0].GetString_() != nil:
			names[f[0].GetString_().Sval] = true
		case len(f) >= 2 && f[len(f)-1].GetAStar() != nil:
			names[f[len(f)-2].GetString_().GetSval()] = true
		}
	})
}

// noteViewWholeRowNames adds the names a view's query writes, which a
// whole-row reference inside it may read.
func (b *binder) noteViewWholeRowNames(n *pg_query.Node) {
	b.wholeRowCandidate("")
	addWholeRowNames(b.wholeRowNames, n.ProtoReflect())
}

// withPresence gives the FROM item just bound (node, with columns cols)
// its presence column when an outer join may NULL-extend it and the
// statement may read it as a whole row. A join is given none: its items
// had theirs given when they were bound, and the whole row of a join
// alias is, in PostgreSQL too, a row of its columns, never NULL.
func (b *binder) withPresence(item *pg_query.Node, node Node, cols []scopeCol) (Node, []scopeCol) {
	if b.nullableSide == 0 {
		return node, cols
	}
	name := fromItemName(item, cols)
	if name == "" || !b.wholeRowCandidate(name) || len(node.Types()) != len(cols) {
		return node, cols
	}
	exprs := make([]Expr, 0, len(cols)+1)
	for i, t := range node.Types() {
		exprs = append(exprs, &ColRef{Index: i, T: t, Name: cols[i].name})
	}
	exprs = append(exprs, &Const{Value: true, T: catalog.TypeBool})
	out := append(append([]scopeCol(nil), cols...), scopeCol{table: name, t: catalog.TypeBool, hidden: true, presence: true})
	return &Project{Input: node, Exprs: exprs}, out
}

// fromItemName is the name a FROM item other than a join is referenced
// by: its alias, a table's or function's name.
func fromItemName(item *pg_query.Node, cols []scopeCol) string {
	switch n := item.Node.(type) {
	case *pg_query.Node_JoinExpr:
		return ""
	case *pg_query.Node_RangeVar:
		if n.RangeVar.Alias != nil {
			return n.RangeVar.Alias.Aliasname
		}
		return n.RangeVar.Relname
	}
	for _, c := range cols {
		if c.table != "" {
			return c.table
		}
	}
	return ""
}

// markNullable marks the columns of the nullable side of an outer join.
func markNullable(cols []scopeCol) {
	for i := range cols {
		cols[i].nullable = true
	}
}
