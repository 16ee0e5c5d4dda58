package planner

import (
	"slices"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// bindOnConflict binds INSERT ... ON CONFLICT: it infers the arbiter
// constraints from the conflict target and, for DO UPDATE, binds the SET
// list and WHERE over the conflicting row (named by alias) and the
// proposed row (named excluded).
func (b *binder) bindOnConflict(t *catalog.Table, alias string, oc *pg_query.OnConflictClause) (*OnConflict, error) {
	update := oc.Action == pg_query.OnConflictAction_ONCONFLICT_UPDATE
	var arbiters []string
	if oc.Infer == nil {
		if update {
			e := b.errAt(pgerr.SyntaxError, oc.Location, "ON CONFLICT DO UPDATE requires inference specification or constraint name")
			e.Hint = "For example, ON CONFLICT (column_name)."
			return nil, e
		}
	} else {
		var err error
		if arbiters, err = b.arbiters(t, oc.Infer); err != nil {
			return nil, err
		}
	}
	out := &OnConflict{Arbiters: arbiters}
	if !update {
		return out, nil
	}
	// The row: the table's columns, its row id, the proposed row's
	// columns (excluded.*) and the id of the row it conflicts with.
	scan, sc := tableScope(t, alias)
	n := len(t.Columns)
	for i, c := range t.Columns {
		sc.cols = append(sc.cols, scopeCol{table: "excluded", name: c.Name, t: c.Type, tableOID: uint32(t.ID), attnum: int16(i + 1)})
	}
	sc.cols = append(sc.cols, scopeCol{name: "holder", t: catalog.TypeInt8, hidden: true})
	join := &Join{Kind: JoinInner, Left: scan, Right: &Written{Table: t, Extra: []catalog.Type{catalog.TypeInt8}},
		Cond: &BinExpr{Op: exec.OpEq, L: &ColRef{Index: n, T: catalog.TypeInt8}, R: &ColRef{Index: 2*n + 1, T: catalog.TypeInt8}, T: catalog.TypeBool}}
	newVals, err := b.bindSetList(t, oc.TargetList, sc, 0)
	if err != nil {
		return nil, err
	}
	var holds Expr = &Const{Value: true, T: catalog.TypeBool}
	if oc.WhereClause != nil {
		pred, err := b.bindExpr(oc.WhereClause, sc, ctxWhere)
		if err != nil {
			return nil, err
		}
		if holds, err = b.coerceBool(pred, "WHERE"); err != nil {
			return nil, err
		}
	}
	exprs := append([]Expr{&ColRef{Index: n, T: catalog.TypeInt8}, holds}, newVals...)
	out.Update = &Project{Input: join, Exprs: exprs}
	return out, nil
}

// arbiters resolves a conflict target to the key constraints it names:
// ON CONSTRAINT name, or the primary key and unique indexes whose key
// columns and expressions are exactly the listed ones (in any order),
// and whose predicate, for a partial index, the inference WHERE clause
// implies (predicate_implication.go).
func (b *binder) arbiters(t *catalog.Table, in *pg_query.InferClause) ([]string, error) {
	var keys []string
	var names [][]string
	var preds [][]conjunct // a partial index's predicate conjuncts
	if len(t.PrimaryKey) > 0 {
		cols := make([]string, len(t.PrimaryKey))
		for i, c := range t.PrimaryKey {
			cols[i] = t.Columns[c].Name
		}
		keys, names = append(keys, t.PrimaryKeyConstraint()), append(names, cols)
	}
	preds = append(preds, make([][]conjunct, len(keys))...) // the primary key's
	for _, ix := range b.cat.Indexes(t.Schema) {
		if ix.Unique && ix.Table == t.Name {
			elems, pred, err := b.indexInferenceElems(t, ix)
			if err != nil {
				return nil, err
			}
			keys, names, preds = append(keys, ix.Name), append(names, elems), append(preds, pred)
		}
	}
	if in.Conname != "" {
		if !slices.Contains(keys, in.Conname) {
			return nil, pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" for table \"%s\" does not exist", in.Conname, t.Name)
		}
		return []string{in.Conname}, nil
	}
	var want []string
	for _, e := range in.IndexElems {
		ie := e.GetIndexElem()
		name := ie.Name
		if ie.Expr != nil {
			var err error
			if name, err = b.inferenceExpr(t, ie.Expr); err != nil {
				return nil, err
			}
		} else if t.ColumnIndex(ie.Name) < 0 {
			return nil, b.errAt(pgerr.UndefinedColumn, in.Location, "column \"%s\" does not exist", ie.Name)
		}
		if !slices.Contains(want, name) {
			want = append(want, name)
		}
	}
	var given []conjunct // the inference WHERE clause's conjuncts
	if in.WhereClause != nil {
		var err error
		if given, err = b.inferencePredicate(t, in.WhereClause); err != nil {
			return nil, err
		}
	}
	var out []string
	for i, cols := range names {
		if sameColumnSet(cols, want) && impliedBy(preds[i], given) {
			out = append(out, keys[i])
		}
	}
	if len(out) == 0 {
		return nil, pgerr.New(pgerr.InvalidColumnReference, "there is no unique or exclusion constraint matching the ON CONFLICT specification")
	}
	return out, nil
}

// sameColumnSet reports whether a and b name the same columns; b has no
// duplicates.
func sameColumnSet(a, b []string) bool {
	seen := map[string]bool{}
	for _, c := range a {
		if !slices.Contains(b, c) {
			return false
		}
		seen[c] = true
	}
	return len(seen) == len(b)
}
