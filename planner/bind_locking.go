package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/storage"
)

// SELECT ... FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE [OF name, ...]
// [NOWAIT | SKIP LOCKED].
//
// The locking clauses of a query block name the base tables of its FROM
// clause whose rows it locks: those listed after OF, or, without OF, every
// table (functions, VALUES and WITH queries are then passed over, as in
// PostgreSQL). Each such table is scanned with its row id, carried in a
// hidden column up to a LockRows node, which sits above the ORDER BY and
// below the LIMIT, as PostgreSQL's does: the LIMIT counts the rows locked,
// so that with SKIP LOCKED a queue's consumers each take the first rows
// nobody holds. A table named by several clauses gets the strongest mode
// and wait policy (NOWAIT over SKIP LOCKED over waiting). A query that
// locks rows cannot group, aggregate, use DISTINCT, window functions,
// set-returning functions in its select list, or set operations, and a
// locked table cannot be on the nullable side of an outer join: each is
// PostgreSQL's error (0A000). Locking the rows under a view or a FROM
// subquery is not supported yet (0A000).

// lockingState is the locking clauses of the query block being bound.
type lockingState struct {
	all     *lockSpec            // from clauses without OF; nil if none
	named   map[string]*lockSpec // by the name OF gives
	loc     map[string]int32     // where each OF name is written
	matched map[string]bool      // OF names found in FROM so far
	// targets are the tables whose rows the block locks, in FROM order;
	// hidden scope columns carry their row ids (scopeCol.lockTarget).
	targets []LockTarget
	first   string // the first clause's strength, for messages
}

// lockSpec is how one table's rows are locked.
type lockSpec struct {
	mode storage.RowLockMode
	wait storage.RowLockWait
}

// lockClauses are the locking clauses' keywords, by the mode each takes.
var lockClauses = [...]string{
	storage.LockForKeyShare:    "FOR KEY SHARE",
	storage.LockForShare:       "FOR SHARE",
	storage.LockForNoKeyUpdate: "FOR NO KEY UPDATE",
	storage.LockForUpdate:      "FOR UPDATE",
}

// strength is the clause of s's mode, for messages.
func (s *lockSpec) strength() string { return lockClauses[s.mode] }

// lockingOf reads a query block's locking clauses; nil when it has none.
func (b *binder) lockingOf(s *pg_query.SelectStmt) (*lockingState, error) {
	if len(s.LockingClause) == 0 {
		return nil, nil
	}
	l := &lockingState{named: map[string]*lockSpec{}, loc: map[string]int32{}, matched: map[string]bool{}}
	for i, n := range s.LockingClause {
		lc := n.GetLockingClause()
		spec := &lockSpec{}
		switch lc.Strength {
		case pg_query.LockClauseStrength_LCS_FORKEYSHARE:
			spec.mode = storage.LockForKeyShare
		case pg_query.LockClauseStrength_LCS_FORSHARE:
			spec.mode = storage.LockForShare
		case pg_query.LockClauseStrength_LCS_FORNOKEYUPDATE:
			spec.mode = storage.LockForNoKeyUpdate
		default:
			spec.mode = storage.LockForUpdate
		}
		switch lc.WaitPolicy {
		case pg_query.LockWaitPolicy_LockWaitError:
			spec.wait = storage.NoWait
		case pg_query.LockWaitPolicy_LockWaitSkip:
			spec.wait = storage.SkipLocked
		default:
			spec.wait = storage.WaitForLock
		}
		if i == 0 {
			l.first = spec.strength()
		}
		if len(lc.LockedRels) == 0 {
			l.all = spec.merge(l.all)
			continue
		}
		for _, r := range lc.LockedRels {
			rv := r.GetRangeVar()
			if rv.Schemaname != "" {
				return nil, b.errAt(pgerr.SyntaxError, rv.Location, "%s must specify unqualified relation names", spec.strength())
			}
			l.named[rv.Relname] = spec.merge(l.named[rv.Relname])
			if _, seen := l.loc[rv.Relname]; !seen {
				l.loc[rv.Relname] = rv.Location
			}
		}
	}
	return l, nil
}

// merge is the stronger of s and o (nil: none) in mode and in wait
// policy, as PostgreSQL combines clauses naming one table.
func (s *lockSpec) merge(o *lockSpec) *lockSpec {
	if o == nil {
		return s
	}
	return &lockSpec{mode: max(s.mode, o.mode), wait: max(s.wait, o.wait)}
}

// withLocking makes l the locking clauses of the query block being bound
// (nil for a block without), until the returned func restores the
// enclosing block's: subqueries lock nothing of their parent's FROM.
func (b *binder) withLocking(l *lockingState) func() {
	saved := b.locking
	b.locking = l
	return func() { b.locking = saved }
}

// lockFor is how the FROM item named name is locked by the block being
// bound; nil when it is not. kind names a FROM item that is not a base
// table ("a function", "VALUES", "a WITH query", "a join"); one named
// after OF is PostgreSQL's error, one only covered by a clause without
// OF is passed over, except the kinds pqdb cannot lock yet (view,
// subquery), which are 0A000 either way.
func (b *binder) lockFor(name, kind string) (*lockSpec, error) {
	l := b.locking
	if l == nil {
		return nil, nil
	}
	spec, named := l.named[name]
	if named {
		l.matched[name] = true
		spec = spec.merge(l.all)
	} else {
		spec = l.all
	}
	switch {
	case spec == nil || kind == "":
		return spec, nil
	case kind == "a view" || kind == "a subquery":
		return nil, pgerr.Unsupported("%s of %s in FROM is not supported", spec.strength(), kind)
	case named:
		return nil, b.errAt(pgerr.FeatureNotSupported, l.loc[name], "%s cannot be applied to %s", spec.strength(), kind)
	}
	return nil, nil
}

// lockTable notes that the block locks the rows of table t (FROM name
// alias) as spec says, and returns the hidden scope column that carries
// its row ids.
func (b *binder) lockTable(t *catalog.Table, alias string, spec *lockSpec) scopeCol {
	l := b.locking
	l.targets = append(l.targets, LockTarget{Table: t, Alias: alias, Mode: spec.mode, Wait: spec.wait})
	return scopeCol{table: alias, t: catalog.TypeInt8, hidden: true, lockTarget: len(l.targets)}
}

// checkLocking enforces, after the FROM clause and select list are bound,
// what PostgreSQL refuses in a block that locks rows.
func (b *binder) checkLocking(s *pg_query.SelectStmt, fromCols []scopeCol, exprs []Expr, aggregated bool) error {
	l := b.locking
	for name := range l.named {
		if !l.matched[name] {
			return b.errAt(pgerr.UndefinedTable, l.loc[name], "relation \"%s\" in %s clause not found in FROM clause", name, l.named[name].strength())
		}
	}
	hasWin, hasSRF := false, false
	for _, e := range exprs {
		hasWin = hasWin || hasWindow(e)
		hasSRF = hasSRF || containsSetCall(e)
	}
	var what string
	switch {
	case len(s.DistinctClause) > 0:
		what = "DISTINCT clause"
	case len(s.GroupClause) > 0:
		what = "GROUP BY clause"
	case s.HavingClause != nil:
		what = "HAVING clause"
	case aggregated:
		what = "aggregate functions"
	case hasWin:
		what = "window functions"
	case hasSRF:
		what = "set-returning functions in the target list"
	}
	if what != "" {
		return pgerr.Unsupported("%s is not allowed with %s", l.first, what)
	}
	for _, c := range fromCols {
		if c.lockTarget > 0 && c.nullable {
			return pgerr.Unsupported("%s cannot be applied to the nullable side of an outer join", l.targets[c.lockTarget-1].strength())
		}
	}
	return nil
}

// lockRows appends to exprs the row id columns of the locked tables
// (read from the FROM row) and returns the LockRows node to put over the
// block's sorted rows, which reads them there.
func (b *binder) lockRows(fromCols []scopeCol, exprs []Expr) ([]Expr, *LockRows) {
	l := b.locking
	n := &LockRows{Targets: l.targets}
	for i, c := range fromCols {
		if c.lockTarget > 0 {
			n.Targets[c.lockTarget-1].RowID = len(exprs)
			exprs = append(exprs, &ColRef{Index: i, T: catalog.TypeInt8})
		}
	}
	if b.lockStrength == "" {
		b.lockStrength = l.first
	}
	return exprs, n
}

// strength is the clause keyword of t's mode, for messages.
func (t LockTarget) strength() string { return lockClauses[t.Mode] }
