package storage

import (
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// txnConstraints caches a table's key constraints as a transaction sees
// them; they change only with a commit to the namespace or a catalog
// change of the transaction.
type txnConstraints struct {
	valid     bool
	committed *nsState
	ops       int
	list      []keyConstraint
}

// constraints returns the key constraints of tt's table in the
// transaction's view of the catalog.
func (t *Txn) constraints(tt *txnTable) ([]keyConstraint, error) {
	var committed *nsState
	if ns := t.s.namespace(tt.schema); ns != nil {
		committed = ns.state.Load()
	}
	ops := len(t.ddl[tt.schema])
	if tt.cons.valid && tt.cons.committed == committed && tt.cons.ops == ops {
		return tt.cons.list, nil
	}
	st := committed
	if ops > 0 || st == nil {
		st = t.overlay(tt.schema)
	}
	var list []keyConstraint
	if st != nil {
		var err error
		if list, err = constraintsOf(t.s, st, tt.table); err != nil {
			return nil, err
		}
	}
	tt.cons = txnConstraints{valid: true, committed: committed, ops: ops, list: list}
	return list, nil
}

// ownKeys returns the index of the keys of c among the transaction's
// live rows of tt. It replays the transaction's pending changes it has
// not seen yet, in seq order, so a transaction that inserts and commits
// never builds it for rows no later statement checks.
func (tt *txnTable) ownKeys(c *keyConstraint) (*keyIndex, error) {
	idx := tt.own[c.sig]
	if idx == nil {
		idx = newKeyIndex(c)
		idx.spills, idx.spillDir = true, tt.spillDir
		if tt.own == nil {
			tt.own = map[string]*keyIndex{}
		}
		tt.own[c.sig] = idx
	}
	if err := idx.replay(tt.pending.inserts, tt.pending.deletes, len(tt.table.Columns)); err != nil {
		tt.dropOwnKeys(c.sig) // rebuilt from the start next time
		return nil, err
	}
	return idx, nil
}

// dropOwnKeys forgets the own key index of column set sig.
func (tt *txnTable) dropOwnKeys(sig string) {
	if idx := tt.own[sig]; idx != nil {
		idx.close()
		delete(tt.own, sig)
	}
}

// checkKeys verifies that the rows of rec would not duplicate a key of a
// live row (committed or the transaction's own) or of each other, under
// any key constraint of the table; replacing (sorted) are the rows an
// update replaces. Committed rows are looked up in the writer's key index
// of the latest state, so a concurrent commit may still make this
// transaction's commit fail. A key taken by a commit still in flight is
// checked again once that commit settled (cross_commit_keys.go).
// Rows of an update that assigns only some columns (assigned; nil for
// any) keep their keys under constraints over the others, which need no
// check.
func (t *Txn) checkKeys(tt *txnTable, rec arrow.Record, replacing []int64, assigned []int) error {
	tt.changes.note(assigned)
	return t.s.settledKeyCheck(tt.schema, func() error { return t.checkKeysNow(tt, rec, replacing, assigned) })
}

func (t *Txn) checkKeysNow(tt *txnTable, rec arrow.Record, replacing []int64, assigned []int) error {
	cons, err := t.constraints(tt)
	if err != nil || len(cons) == 0 {
		return err
	}
	replaced := func(id int64) bool {
		_, ok := slices.BinarySearch(replacing, id)
		return ok
	}
	gone := func(id int64) bool {
		return tt.deleted.has(id) || replaced(id)
	}
	ns := t.s.namespace(tt.schema)
	var kb keyBatch
	for ci := range cons {
		c := &cons[ci]
		if assigned != nil && !c.assigns(assigned) {
			continue
		}
		own, err := tt.ownKeys(c)
		if err != nil {
			return err
		}
		keys, err := c.encodeKeys(&kb, rec)
		if err != nil {
			return err
		}
		n := int(rec.NumRows())
		var held []int64
		if ns != nil && !tt.created {
			if held, err = ns.committedHolders(tt.table.ID, c, &kb, keys, n, gone, nil); err != nil {
				keys.release()
				return err
			}
		}
		seen := make(map[string]struct{}, n)
		var ownErr error
		i := firstTakenKey(&kb, n, seen, func(i int, k []byte) bool {
			_, ok, err := own.lookup(k, replaced)
			if err != nil {
				ownErr = err
				return true
			}
			return ok || held != nil && held[i] >= 0
		})
		if err = ownErr; err == nil && i >= 0 {
			err = uniqueViolation(c, keys, i)
		}
		keys.release()
		if err != nil {
			return err
		}
	}
	return nil
}

// checkIndexColumns verifies that ix names existing columns of its
// table (the planner checked a computed index's expressions).
func (t *Txn) checkIndexColumns(ix *catalog.Index) error {
	if ix.Computed() {
		return nil
	}
	st := t.overlay(ix.Schema)
	ts := st.tables[ix.Table]
	_, err := indexColumns(ts.table, ix)
	return err
}

// indexConstraint is the key constraint of the unique index ix of the
// table ts of st.
func (t *Txn) indexConstraint(st *nsState, ts *tableState, ix *catalog.Index) (keyConstraint, error) {
	if ix.Computed() {
		keys, err := t.s.indexKeys(st, ts.table, ix)
		if err != nil {
			return keyConstraint{}, err
		}
		return computedConstraint(ts.table, ix, keys), nil
	}
	cols, err := indexColumns(ts.table, ix)
	if err != nil {
		return keyConstraint{}, err
	}
	return newKeyConstraint(ts.table, ix.Name, ix.ID, cols), nil
}

// checkNoDuplicates fails if two live rows, as this transaction sees
// them, share a key of the unique index ix.
func (t *Txn) checkNoDuplicates(ix *catalog.Index) error {
	st := t.overlay(ix.Schema)
	ts := st.tables[ix.Table]
	c, err := t.indexConstraint(st, ts, ix)
	if err != nil {
		return err
	}
	cols := c.cols
	var pending *pendingTable
	if tt := t.tables[ts.table.ID]; tt != nil {
		pending = &pendingTable{inserts: slices.Clip(tt.pending.inserts), deletes: slices.Clip(tt.pending.deletes)}
	}
	return noDuplicateKeys(func() (*scanReader, error) { return newScan(t.s, ts, pending, cols, nil) }, &c, nil, t.s.opts.TempDir)
}
