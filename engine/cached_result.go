package engine

import (
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
)

// statement is a parsed statement as the protocol layer holds it. Once a
// Describe has told the client its result columns, a client may decode
// every later run's rows by them (pgx's statement cache does), so every
// new binding of the statement (a run whose kept plan no longer holds,
// plan_cache.go) checks that it still returns those columns: after DROP
// TABLE t and a CREATE TABLE t of other columns, a cached SELECT * FROM
// t fails with 0A000 "cached plan must not change result type", as in
// PostgreSQL, while a change that keeps the columns is re-planned
// silently. Statements that
// are not planned queries (SHOW, FETCH, EXPLAIN, EXECUTE, ...) are
// exempt, as PostgreSQL never re-analyzes them.
type statement struct {
	*planner.Statement
	// described is the result Describe reported (nil for none), once
	// it did.
	described   []Column
	isDescribed bool
	// plan is the binding kept for the next run (plan_cache.go);
	// freshLiterals, set for a simple Query's statements, forbids keeping
	// one that read the clock (query_text_cache.go).
	plan          *cachedPlan
	freshLiterals bool
}

// checkCachedResult fails a run of a statement whose plan no longer
// returns the columns described earlier.
func checkCachedResult(st *statement, plan planner.Plan, s *Session) error {
	if st == nil || !st.isDescribed || !plannedQuery(plan) {
		return nil
	}
	if !sameColumns(st.described, resultColumns(plan, s)) {
		return pgerr.New(pgerr.FeatureNotSupported, "cached plan must not change result type")
	}
	return nil
}

// plannedQuery reports whether plan is of a statement PostgreSQL plans
// (and re-plans when the catalog changes): a query, or INSERT, UPDATE,
// DELETE and data-modifying WITH.
func plannedQuery(plan planner.Plan) bool {
	switch plan.(type) {
	case *planner.QueryPlan, *planner.InsertPlan, *planner.UpdatePlan, *planner.DeletePlan, *planner.ModifyingWithPlan:
		return true
	}
	return false
}

// sameColumns reports whether two results have the same columns: names,
// types and type modifiers, as PostgreSQL's equalTupleDescs compares
// them.
func sameColumns(a, b []Column) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].TypeOID != b[i].TypeOID || a[i].TypeMod != b[i].TypeMod {
			return false
		}
	}
	return true
}
