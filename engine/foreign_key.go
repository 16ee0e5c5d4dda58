package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// Foreign keys (catalog.ForeignKey) are enforced after each write of a
// statement, in the transaction, so the checks see the statement's own
// rows (a table that references itself) and every earlier write of the
// transaction:
//
//   - rows written to a referencing table must find their key among the
//     referenced table's live rows (checkReferences: one key-index probe
//     per row of a batch, see storage.Txn.MissingKeys);
//   - rows deleted from, or whose key an update changed in, a referenced
//     table must leave no referencing row behind (enforceReferenced): NO
//     ACTION and RESTRICT fail, CASCADE deletes or updates the
//     referencing rows, SET NULL and SET DEFAULT update them, and those
//     writes are enforced in turn.
//
// Constraints are checked at the end of each write rather than at the
// end of the statement, which only differs from PostgreSQL's NO ACTION
// for statements that break and then repair a reference.

// fkRef is a foreign key of child that references parent, with the key
// columns as positions.
type fkRef struct {
	child, parent *catalog.Table
	fk            *catalog.ForeignKey
	cols, refCols []int
}

func resolveFK(child, parent *catalog.Table, fk *catalog.ForeignKey) fkRef {
	r := fkRef{child: child, parent: parent, fk: fk}
	for i, c := range fk.Columns {
		r.cols = append(r.cols, child.ColumnIndex(c))
		r.refCols = append(r.refCols, parent.ColumnIndex(fk.RefColumns[i]))
	}
	return r
}

// referencingKeys lists the foreign keys of every table in snap that
// reference t.
func referencingKeys(snap *storage.Snapshot, t *catalog.Table) []fkRef {
	var out []fkRef
	for _, schema := range snap.Schemas() {
		for _, child := range snap.Tables(schema) {
			for i := range child.ForeignKeys {
				fk := &child.ForeignKeys[i]
				if fk.References(t.Schema, t.Name) {
					c := child
					if child.ID == t.ID {
						c = t
					}
					out = append(out, resolveFK(c, t, fk))
				}
			}
		}
	}
	return out
}

// checkReferences fails with 23503 when a row of rec (written to t) has
// a key of one of t's foreign keys that no row of the referenced table
// holds.
func (s *Session) checkReferences(txn *storage.Txn, t *catalog.Table, rec arrow.Record) error {
	if len(t.ForeignKeys) == 0 || rec.NumRows() == 0 {
		return nil
	}
	snap := txn.View()
	for i := range t.ForeignKeys {
		fk := &t.ForeignKeys[i]
		parent := snap.Table(fk.RefSchema, fk.RefTable)
		if parent == nil {
			return pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", fk.RefTable)
		}
		if err := checkFKRows(txn, resolveFK(t, parent, fk), rec); err != nil {
			return err
		}
	}
	return nil
}

func checkFKRows(txn *storage.Txn, r fkRef, rec arrow.Record) error {
	missing, err := txn.MissingKeys(r.parent, r.refCols, rec, r.cols, 1)
	if err != nil || len(missing) == 0 {
		return err
	}
	e := pgerr.New(pgerr.ForeignKeyViolation, "insert or update on table \"%s\" violates foreign key constraint \"%s\"", r.child.Name, r.fk.Name)
	e.Detail = fmt.Sprintf("Key %s is not present in table \"%s\".", storage.KeyText(r.child, rec, r.cols, missing[0]), r.parent.Name)
	return e
}

// validateForeignKey checks the existing rows of t against its new
// foreign key named name (ALTER TABLE ... ADD FOREIGN KEY).
func (s *Session) validateForeignKey(txn *storage.Txn, t *catalog.Table, name string) error {
	snap := txn.View()
	for i := range t.ForeignKeys {
		fk := &t.ForeignKeys[i]
		if fk.Name != name {
			continue
		}
		parent := snap.Table(fk.RefSchema, fk.RefTable)
		if parent == nil {
			return pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", fk.RefTable)
		}
		r := resolveFK(t, parent, fk)
		all := make([]int, len(t.Columns))
		for i := range all {
			all[i] = i
		}
		rd, err := snap.Scan(t, all, nil)
		if err != nil {
			return err
		}
		defer rd.Close()
		for {
			rec, err := rd.Next()
			if err != nil || rec == nil {
				return err
			}
			if err := checkFKRows(txn, r, rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// oldRows returns the rows of t with the given ids as snap sees them
// (t's columns, then the row id), for the writes of a statement that
// changes a referenced table; nil when no foreign key references t.
func oldRows(snap *storage.Snapshot, t *catalog.Table, ids []int64) ([]arrow.Record, error) {
	if len(ids) == 0 || len(referencingKeys(snap, t)) == 0 {
		return nil, nil
	}
	want := make(map[int64]struct{}, len(ids))
	for _, id := range ids {
		want[id] = struct{}{}
	}
	all := make([]int, len(t.Columns))
	for i := range all {
		all[i] = i
	}
	rd, err := snap.Scan(t, all, nil)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	var out []arrow.Record
	for {
		rec, err := rd.Next()
		if err != nil {
			releaseAll(out)
			return nil, err
		}
		if rec == nil {
			return out, nil
		}
		var sel []int32
		for i, id := range storage.RowIDs(rec) {
			if _, ok := want[id]; ok {
				sel = append(sel, int32(i))
			}
		}
		if len(sel) > 0 {
			out = append(out, takeRows(rec, sel))
		}
	}
}

func releaseAll(recs []arrow.Record) {
	for _, r := range recs {
		r.Release()
	}
}

// takeRows returns a new record of the rows sel of rec.
func takeRows(rec arrow.Record, sel []int32) arrow.Record {
	d := exec.Compact(memory.DefaultAllocator, &exec.Batch{Cols: rec.Columns(), Len: int(rec.NumRows()), Sel: sel})
	out := array.NewRecord(rec.Schema(), d.Cols, int64(d.Len))
	d.Release()
	return out
}

// newRow is the new version of an updated row: row of rec.
type newRow struct {
	rec arrow.Record
	row int
}

// newRowsByID finds the new versions of updated rows by row id.
type newRowsByID map[int64]newRow

// enforceReferenced applies the foreign keys that reference t to its rows
// old (t's columns, then row id) that a delete removed (newRows nil) or
// an update replaced (newRows gives their new versions), after the write.
func (s *Session) enforceReferenced(ctx context.Context, txn *storage.Txn, t *catalog.Table, old []arrow.Record, newRows newRowsByID, depth int) error {
	if len(old) == 0 {
		return nil
	}
	if depth > 64 {
		return pgerr.New(pgerr.StatementTooComplex, "foreign key actions nest too deeply")
	}
	snap := txn.View()
	for _, r := range referencingKeys(snap, t) {
		action := r.fk.OnDelete
		if newRows != nil {
			action = r.fk.OnUpdate
		}
		for _, rec := range old {
			// Keys the table still holds (unchanged by the update, or
			// held by another row) leave their references valid.
			gone, err := txn.MissingKeys(t, r.refCols, rec, r.refCols, 0)
			if err != nil {
				return err
			}
			if len(gone) == 0 {
				continue
			}
			sel := make([]int32, len(gone))
			for i, g := range gone {
				sel[i] = int32(g)
			}
			removed := takeRows(rec, sel)
			err = s.referencedAction(ctx, txn, r, action, removed, newRows, depth)
			removed.Release()
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// referencedAction applies one foreign key's action to the rows of its
// referencing table that hold a key of removed.
func (s *Session) referencedAction(ctx context.Context, txn *storage.Txn, r fkRef, action byte, removed arrow.Record, newRows newRowsByID, depth int) error {
	refs, matched, err := txn.ReferencingRows(r.child, r.cols, removed, r.refCols)
	if err != nil {
		return err
	}
	defer releaseAll(refs)
	if len(refs) == 0 {
		return nil
	}
	switch action {
	case 'a', 'r':
		return stillReferenced(r, removed, matched[0][0])
	}
	for _, rec := range refs {
		if err := s.lockRows(ctx, txn, r.child, storage.RowIDs(rec)); err != nil {
			return err
		}
	}
	switch action {
	case 'c':
		if newRows == nil {
			for _, rec := range refs {
				if err := txn.Delete(r.child, storage.RowIDs(rec)); err != nil {
					return err
				}
			}
			return s.enforceReferenced(ctx, txn, r.child, refs, nil, depth+1)
		}
	}
	// CASCADE on update, SET NULL, SET DEFAULT: the referencing rows get
	// new key values.
	var defaults arrow.Record
	if action == 'd' {
		if defaults, err = s.defaultRow(ctx, txn, r.child, r.cols); err != nil {
			return err
		}
		defer defaults.Release()
	}
	updated := newRowsByID{}
	ids := storage.RowIDs(removed)
	for k, rec := range refs {
		n := int(rec.NumRows())
		cols := append([]arrow.Array(nil), rec.Columns()[:len(r.child.Columns)]...)
		var made []arrow.Array
		for j, c := range r.cols {
			var a arrow.Array
			switch action {
			case 'n':
				a = array.MakeArrayOfNull(memory.DefaultAllocator, r.child.Columns[c].Type.ArrowType(), n)
			case 'd':
				a = repeatValue(defaults.Column(j), n)
			default: // 'c': the new key of the referenced row
				src := make([]int32, n)
				var from arrow.Array
				for i, m := range matched[k] {
					nr := newRows[ids[m]]
					if from != nil && from != nr.rec.Column(r.refCols[j]) {
						return pgerr.Unsupported("ON UPDATE CASCADE across several update batches is not supported")
					}
					from = nr.rec.Column(r.refCols[j])
					src[i] = int32(nr.row)
				}
				d := exec.Compact(memory.DefaultAllocator, &exec.Batch{Cols: []arrow.Array{from}, Len: from.Len(), Sel: src})
				a = d.Cols[0]
			}
			made = append(made, a)
			cols[c] = a
		}
		nrec := array.NewRecord(tableSchema(r.child), cols, int64(n))
		for _, a := range made {
			a.Release()
		}
		rowIDs := storage.RowIDs(rec)
		err := txn.Update(r.child, rowIDs, nrec)
		if err == nil && action == 'd' {
			if err = s.checkReferences(txn, r.child, nrec); err != nil {
				// As PostgreSQL: a default equal to the removed key leaves
				// the row referencing it, which is reported from the
				// referenced side.
				if still, m, e := txn.ReferencingRows(r.child, r.cols, removed, r.refCols); e == nil {
					if len(still) > 0 {
						err = stillReferenced(r, removed, m[0][0])
					}
					releaseAll(still)
				}
			}
		}
		if err == nil {
			for i, id := range rowIDs {
				updated[id] = newRow{nrec, i}
			}
			err = s.enforceReferenced(ctx, txn, r.child, []arrow.Record{rec}, updated, depth+1)
		}
		nrec.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// stillReferenced is the error for a removed key row (of removed) that
// rows of r's referencing table still reference.
func stillReferenced(r fkRef, removed arrow.Record, row int) error {
	e := pgerr.New(pgerr.ForeignKeyViolation, "update or delete on table \"%s\" violates foreign key constraint \"%s\" on table \"%s\"", r.parent.Name, r.fk.Name, r.child.Name)
	e.Detail = fmt.Sprintf("Key %s is still referenced from table \"%s\".", storage.KeyText(r.parent, removed, r.refCols, row), r.child.Name)
	return e
}

// repeatValue returns an array of n copies of the one value of a.
func repeatValue(a arrow.Array, n int) arrow.Array {
	sel := make([]int32, n)
	d := exec.Compact(memory.DefaultAllocator, &exec.Batch{Cols: []arrow.Array{a}, Len: a.Len(), Sel: sel})
	return d.Cols[0]
}

// defaultRow evaluates the defaults of columns cols of t into a one-row
// record (ON DELETE/UPDATE SET DEFAULT).
func (s *Session) defaultRow(ctx context.Context, txn *storage.Txn, t *catalog.Table, cols []int) (arrow.Record, error) {
	snap := txn.View()
	node, err := planner.DefaultValues(snap, t, cols, s.bindOptions())
	if err != nil {
		return nil, err
	}
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: t.Columns[c].Name, Type: t.Columns[c].Type.ArrowType(), Nullable: true}
	}
	var out arrow.Record
	err = s.drainDense(ctx, snap, node, nil, func(arrs []arrow.Array, rows int) error {
		if out == nil {
			out = array.NewRecord(arrow.NewSchema(fields, nil), arrs, int64(rows))
		}
		return nil
	})
	if err == nil && out == nil {
		err = pgerr.New(pgerr.InternalError, "no default row")
	}
	return out, err
}

// truncateReferenced refuses TRUNCATE of a table that a table outside the
// statement references, or with CASCADE adds those tables (with
// PostgreSQL's notices).
func (s *Session) truncateReferenced(snap *storage.Snapshot, tables []*catalog.Table, cascade bool, out ResultWriter) ([]*catalog.Table, error) {
	in := map[int64]bool{}
	for _, t := range tables {
		in[t.ID] = true
	}
	for i := 0; i < len(tables); i++ {
		for _, r := range referencingKeys(snap, tables[i]) {
			if in[r.child.ID] {
				continue
			}
			if !cascade {
				e := pgerr.New(pgerr.FeatureNotSupported, "cannot truncate a table referenced in a foreign key constraint")
				e.Detail = fmt.Sprintf("Table \"%s\" references \"%s\".", r.child.Name, tables[i].Name)
				e.Hint = fmt.Sprintf("Truncate table \"%s\" at the same time, or use TRUNCATE ... CASCADE.", r.child.Name)
				return nil, e
			}
			in[r.child.ID] = true
			tables = append(tables, r.child)
			if err := out.Notice(pgerr.Notice(pgerr.SuccessfulCompletion, "truncate cascades to table \"%s\"", r.child.Name)); err != nil {
				return nil, err
			}
		}
	}
	return tables, nil
}

// dropReferencingKeys handles the foreign keys of other tables that
// reference a table being dropped: 2BP01 without CASCADE, else the
// constraints are dropped (with PostgreSQL's notice).
func (s *Session) dropReferencingKeys(txn *storage.Txn, t *catalog.Table, cascade bool, dropping func(*catalog.Table) bool, out ResultWriter) error {
	refs := referencingKeys(txn.View(), t)
	var keep []fkRef
	for _, r := range refs {
		if r.child.ID != t.ID && !dropping(r.child) {
			keep = append(keep, r)
		}
	}
	if len(keep) == 0 {
		return nil
	}
	lines := make([]string, len(keep))
	for i, r := range keep {
		lines[i] = fmt.Sprintf("constraint %s on table %s depends on table %s", r.fk.Name, r.child.Name, t.Name)
	}
	if !cascade {
		e := pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop table %s because other objects depend on it", t.Name)
		e.Detail = strings.Join(lines, "\n")
		e.Hint = "Use DROP ... CASCADE to drop the dependent objects too."
		return e
	}
	for i, r := range keep {
		if err := dropForeignKey(txn, r); err != nil {
			return err
		}
		lines[i] = fmt.Sprintf("drop cascades to constraint %s on table %s", r.fk.Name, r.child.Name)
	}
	if len(lines) == 1 {
		return out.Notice(pgerr.Notice(pgerr.SuccessfulCompletion, "%s", lines[0]))
	}
	n := pgerr.Notice(pgerr.SuccessfulCompletion, "drop cascades to %d other objects", len(lines))
	n.Detail = strings.Join(lines, "\n")
	return out.Notice(n)
}
