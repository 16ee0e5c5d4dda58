package storage

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// Foreign keys are enforced by the engine through two lookups, both in a
// transaction's view (its own uncommitted rows and deletions included):
//
//   - MissingKeys looks a batch of referencing rows' keys up among the
//     referenced columns' keys (a primary key or unique index): the
//     unflushed tail's in the writer's key index, the others in the
//     segments, pruned to the keys' values (key_probe.go); never a whole
//     scan of the referenced table.
//   - ReferencingRows finds the rows that hold given keys (the keys of
//     deleted or updated referenced rows) with one scan of the
//     referencing table.
//
// Key columns on both sides have the same Arrow type (the binder insists),
// so their encodings compare byte for byte. Committed keys are read from
// the latest committed state, so a referenced row deleted by a
// transaction that commits concurrently is not seen; PostgreSQL's row
// locks (FOR KEY SHARE) have no counterpart yet.

// MissingKeys returns the rows of rec whose key, the columns cols of rec
// matched with the columns refCols of parent, has no NULL (MATCH SIMPLE)
// and belongs to no live row of parent. It stops after limit rows when
// limit is positive.
func (t *Txn) MissingKeys(parent *catalog.Table, refCols []int, rec arrow.Record, cols []int, limit int) ([]int, error) {
	if t.done {
		return nil, errTxnDone
	}
	if rec.NumRows() == 0 {
		return nil, nil
	}
	tt := t.tables[parent.ID]
	if tt == nil {
		tt = &txnTable{schema: parent.Schema, table: parent}
	}
	c := newKeyConstraint(parent, "", parent.ID, refCols)
	own, err := tt.ownKeys(&c)
	if err != nil {
		return nil, err
	}
	never := func(int64) bool { return false }
	gone := tt.deleted.has
	var kb keyBatch
	kb.encode(rec, cols, c.types)
	n := int(rec.NumRows())
	var held []int64
	if ns := t.s.namespace(parent.Schema); ns != nil && !tt.created && !t.dropsSchema(parent.Schema) {
		if held, err = ns.committedHolders(parent.ID, &c, &kb, keyed{rec: rec, cols: cols}, n, gone, nil); err != nil {
			return nil, err
		}
	}
	var missing []int
	for i := range n {
		if kb.null[i] {
			continue
		}
		if held != nil && held[i] >= 0 {
			continue
		}
		if _, ok, err := own.lookup(kb.key(i), never); err != nil {
			return nil, err
		} else if ok {
			continue
		}
		missing = append(missing, i)
		if limit > 0 && len(missing) >= limit {
			break
		}
	}
	return missing, nil
}

// ReferencingRows returns the live rows of child whose columns cols hold
// a key of keys (the columns keyCols of keys; keys with a NULL match
// nothing), as records of child's columns followed by _row_id; matched
// holds, per record and row, the row of keys it holds.
func (t *Txn) ReferencingRows(child *catalog.Table, cols []int, keys arrow.Record, keyCols []int) (recs []arrow.Record, matched [][]int, err error) {
	if t.done {
		return nil, nil, errTxnDone
	}
	types := columnTypes(child, cols)
	var kb keyBatch
	kb.encode(keys, keyCols, types)
	set := make(map[string]int, keys.NumRows())
	for i := 0; i < int(keys.NumRows()); i++ {
		if !kb.null[i] {
			set[string(kb.key(i))] = i
		}
	}
	if len(set) == 0 {
		return nil, nil, nil
	}
	all := make([]int, len(child.Columns))
	for i := range all {
		all[i] = i
	}
	r, err := t.Snapshot().Scan(child, all, nil)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	for {
		rec, err := r.Next()
		if err != nil {
			for _, r := range recs {
				r.Release()
			}
			return nil, nil, err
		}
		if rec == nil {
			return recs, matched, nil
		}
		kb.encode(rec, cols, types)
		var keep []int32
		var rows []int
		for i := 0; i < int(rec.NumRows()); i++ {
			if kb.null[i] {
				continue
			}
			if k, ok := set[string(kb.key(i))]; ok {
				keep = append(keep, int32(i))
				rows = append(rows, k)
			}
		}
		if len(keep) > 0 {
			recs = append(recs, takeRecord(rec, keep))
			matched = append(matched, rows)
		}
	}
}

// KeyText renders row i's values of the columns cols of rec under the
// column names of tbl at those positions, as PostgreSQL's key details
// do: (a, b)=(1, x).
func KeyText(tbl *catalog.Table, rec arrow.Record, cols []int, i int) string {
	c := newKeyConstraint(tbl, "", 0, cols)
	return keyText(&c, rec, cols, i)
}

// RowIDs returns the row ids of a record of ReferencingRows.
func RowIDs(rec arrow.Record) []int64 {
	return rec.Column(int(rec.NumCols()) - 1).(*array.Int64).Int64Values()
}
