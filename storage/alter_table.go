package storage

import (
	"slices"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Altering tables.
//
// A table's definition changes in one of two ways (see "Altering tables"
// in doc.go):
//
//   - AlterTable replaces the definition and keeps the table's id, its
//     segments and its tail: for changes that leave every stored column
//     where and what it was (renaming the table, defaults, NOT NULL,
//     constraints, comments).
//   - RewriteTable replaces the table by a new, empty one with a new id
//     and the same or another name; the caller then inserts the old rows,
//     transformed, into it. Segments and tail records of the old id are
//     never read under the new definition, so adding, dropping,
//     renaming and retyping columns cannot misattribute stored values.
//
// Both keep the table's indexes and owned sequences, following a rename
// of the table and the renames of columns listed in the operation.

// AlterTable replaces the definition of the table oldName in schema by
// tbl, which must have the same id. renamed maps old column names to new
// ones, for the indexes and sequences that name them. The table must not
// be modified afterwards.
func (t *Txn) AlterTable(schema, oldName string, tbl *catalog.Table, renamed map[string]string) error {
	if err := t.record(schema, &ddlOp{kind: ddlAlterTable, table: tbl, name: oldName, id: tbl.ID, renamed: renamed}); err != nil {
		return err
	}
	if tt := t.tables[tbl.ID]; tt != nil {
		tt.table, tt.records = tbl, nil // (a NOT NULL changes the records' schema)
	}
	return nil
}

// RewriteTable replaces the table oldName in schema by tbl, a table with
// no rows, and assigns tbl.ID. The old table's rows are gone from the
// transaction's view (a Snapshot taken before still reads them); renamed
// is as for AlterTable.
func (t *Txn) RewriteTable(schema, oldName string, tbl *catalog.Table, renamed map[string]string) error {
	st := t.overlay(schema)
	if st == nil {
		return pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", schema)
	}
	ts := st.tables[oldName]
	if ts == nil {
		return pgerr.New(pgerr.UndefinedTable, "table %q does not exist", oldName)
	}
	oldID := ts.table.ID
	tbl.ID = t.s.allocObjectID()
	if err := t.record(schema, &ddlOp{kind: ddlRewriteTable, table: tbl, name: oldName, id: oldID, renamed: renamed}); err != nil {
		return err
	}
	// The old change set is not released: the caller's earlier snapshot
	// reads it while copying the rows, and savepoints may restore it.
	delete(t.tables, oldID)
	t.tableMap()[tbl.ID] = &txnTable{schema: tbl.Schema, table: tbl, created: true}
	return nil
}

// ValidateUnique fails with 23505 (as CREATE UNIQUE INDEX does) if two
// live rows, as this transaction sees them, share a key of ix, an index
// or primary key that need not be in the catalog.
func (t *Txn) ValidateUnique(ix *catalog.Index) error {
	if t.done {
		return errTxnDone
	}
	st := t.overlay(ix.Schema)
	if st == nil || st.tables[ix.Table] == nil {
		return pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", ix.Table)
	}
	return t.checkNoDuplicates(ix)
}

// applyAlterTable performs a ddlAlterTable or ddlRewriteTable on st.
func (st *nsState) applyAlterTable(op *ddlOp) error {
	ts := st.tables[op.name]
	if ts == nil || ts.table.ID != op.id {
		return pgerr.New(pgerr.UndefinedTable, "table %q does not exist", op.name)
	}
	tbl := op.table
	if tbl.Name != op.name && st.relationExists(tbl.Name) {
		return pgerr.New(pgerr.DuplicateTable, "relation %q already exists", tbl.Name)
	}
	if tbl.Name != op.name {
		if err := st.relationTypeTaken(tbl.Name); err != nil {
			return err
		}
	}
	delete(st.tables, op.name)
	var nts *tableState
	if op.kind == ddlAlterTable {
		c := *ts
		c.table, c.schema = tbl, tailSchema(tbl)
		nts = &c
	} else {
		delete(st.byID, op.id)
		nts = newTableState(st.prefix, tbl)
	}
	st.tables[tbl.Name] = nts
	st.byID[tbl.ID] = nts
	for name, ix := range st.indexes {
		if ix.Table != op.name {
			continue
		}
		c := *ix
		c.Table = tbl.Name
		c.Columns, c.Include = slices.Clone(ix.Columns), slices.Clone(ix.Include)
		for _, cols := range [][]string{c.Columns, c.Include} {
			for i, col := range cols {
				if to, ok := op.renamed[col]; ok {
					cols[i] = to
				}
			}
		}
		st.indexes[name] = &c
	}
	for name, seq := range st.sequences {
		if seq.OwnedTable != op.name {
			continue
		}
		c := *seq
		c.OwnedTable = tbl.Name
		if to, ok := op.renamed[seq.OwnedColumn]; ok {
			c.OwnedColumn = to
		}
		st.sequences[name] = &c
	}
	return nil
}
