package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Stored expressions and view queries are SQL text; ALTER TABLE asks
// which columns they read (to drop the constraints over a dropped column,
// to find the views that depend on one) and renames columns in them.
// Column references are matched by their last name: a stored CHECK reads
// only its own table, and for views the answer errs towards "depends".

// columnRefNames visits the column references of the parse tree of sql:
// fn gets the reference and whether it is a star (t.* or *).
func columnRefNames(tree *pg_query.ParseResult, fn func(ref *pg_query.ColumnRef, name string, star bool)) {
	for _, st := range tree.Stmts {
		walkMessage(st.ProtoReflect(), func(m protoreflect.Message) {
			ref, ok := m.Interface().(*pg_query.ColumnRef)
			if !ok || len(ref.Fields) == 0 {
				return
			}
			last := ref.Fields[len(ref.Fields)-1]
			if last.GetAStar() != nil {
				fn(ref, "", true)
				return
			}
			fn(ref, last.GetString_().GetSval(), false)
		})
	}
}

// exprReadsColumn reports whether the stored expression expr names
// column col.
func exprReadsColumn(expr, col string) bool {
	tree, err := pg_query.Parse("SELECT " + expr)
	if err != nil {
		return false
	}
	found := false
	columnRefNames(tree, func(_ *pg_query.ColumnRef, name string, _ bool) {
		found = found || name == col
	})
	return found
}

// exprColumns lists the distinct columns the expression tree n names, in
// order of appearance.
func exprColumns(n *pg_query.Node) []string {
	var out []string
	walkMessage(n.ProtoReflect(), func(m protoreflect.Message) {
		ref, ok := m.Interface().(*pg_query.ColumnRef)
		if !ok || len(ref.Fields) == 0 {
			return
		}
		name := ref.Fields[len(ref.Fields)-1].GetString_().GetSval()
		for _, o := range out {
			if o == name {
				return
			}
		}
		if name != "" {
			out = append(out, name)
		}
	})
	return out
}

// renameExprColumn returns the stored expression expr with column old
// renamed to new.
func renameExprColumn(expr, old, new string) (string, error) {
	tree, err := pg_query.Parse("SELECT " + expr)
	if err != nil {
		return "", err
	}
	columnRefNames(tree, func(ref *pg_query.ColumnRef, name string, _ bool) {
		if name == old {
			ref.Fields[len(ref.Fields)-1] = pg_query.MakeStrNode(new)
		}
	})
	val := tree.Stmts[0].Stmt.GetSelectStmt().GetTargetList()[0].GetResTarget().GetVal()
	return deparseExpr(val)
}

// ViewReadsColumn reports whether a view's stored query may read column
// col of a table it names: it names col, or selects a star.
func ViewReadsColumn(sql, col string) bool {
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return true
	}
	found := false
	columnRefNames(tree, func(_ *pg_query.ColumnRef, name string, star bool) {
		found = found || star || name == col
	})
	return found
}

// RenameRelationInView returns the view query sql with the relation
// named old renamed to new wherever it names it: qualified with schema,
// or unqualified (the caller checked that the view reads that relation).
func RenameRelationInView(sql, schema, old, new string) (string, error) {
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return "", err
	}
	for _, st := range tree.Stmts {
		walkMessage(st.ProtoReflect(), func(m protoreflect.Message) {
			if rv, ok := m.Interface().(*pg_query.RangeVar); ok && rv.Relname == old && (rv.Schemaname == "" || rv.Schemaname == schema) {
				rv.Relname = new
			}
		})
	}
	return pg_query.Deparse(tree)
}

// RenameColumnInView returns the view query sql with column old renamed
// to new, when the query reads one relation only (so every column
// reference is to it); ok is false otherwise.
func RenameColumnInView(sql, old, new string) (_ string, ok bool, _ error) {
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return "", false, err
	}
	rels := 0
	for _, st := range tree.Stmts {
		walkMessage(st.ProtoReflect(), func(m protoreflect.Message) {
			if _, ok := m.Interface().(*pg_query.RangeVar); ok {
				rels++
			}
		})
	}
	if rels != 1 {
		return "", false, nil
	}
	columnRefNames(tree, func(ref *pg_query.ColumnRef, name string, _ bool) {
		if name == old {
			ref.Fields[len(ref.Fields)-1] = pg_query.MakeStrNode(new)
		}
	})
	out, err := pg_query.Deparse(tree)
	return out, err == nil, err
}
