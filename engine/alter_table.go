package engine

import (
	"context"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// ALTER TABLE and the RENAME statements run like other DDL: inside the
// session's transaction, so they are undone by ROLLBACK, by ROLLBACK TO
// a savepoint taken before them and by a later error in the same implicit
// transaction, and commit atomically with the rest of it. Each command is
// bound against the transaction's catalog as the commands before it left
// it (planner.BindAlterTableCmd) and applied by applyAlterStep.

func (s *Session) alterTable(ctx context.Context, txn *storage.Txn, p *planner.AlterTablePlan, out ResultWriter) (string, error) {
	if p.Missing {
		return "ALTER TABLE", nil // its notice is sent
	}
	for _, cmd := range p.Cmds {
		st, err := planner.BindAlterTableCmd(txn.View(), p.Schema, p.Name, cmd, p.Query, s.bindOptions())
		if err != nil {
			return "", err
		}
		if err := s.applyAlterStep(ctx, txn, st, out); err != nil {
			return "", err
		}
	}
	return "ALTER TABLE", nil
}

// applyAlterStep applies one bound ALTER TABLE command: dependent views
// first, then indexes and sequences that go, the new definition (with
// the rows rewritten or validated), then indexes that come.
func (s *Session) applyAlterStep(ctx context.Context, txn *storage.Txn, st *planner.AlterTableStep, out ResultWriter) error {
	if err := sendNotices(out, st.Notices); err != nil || st.Skip {
		return err
	}
	old, t := st.Old, st.Table
	if err := s.alterDependentViews(txn, st, out); err != nil {
		return err
	}
	if err := s.alterReferencedKeys(txn, st, out); err != nil {
		return err
	}
	for _, name := range st.DropIndexes {
		if err := txn.DropIndex(old.Schema, name); err != nil {
			return err
		}
	}
	for _, name := range st.DropSequences {
		if err := txn.DropSequence(old.Schema, name); err != nil {
			return err
		}
	}
	for _, q := range st.CreateSequences {
		if relationExists(txn.View(), q.Schema, q.Name) {
			return pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", q.Name)
		}
		if err := txn.CreateSequence(q); err != nil {
			return err
		}
	}
	// Indexes whose expressions follow a renamed column read the new
	// name before any row is written under it.
	for _, ix := range st.AlterIndexes {
		if err := txn.AlterIndex(ix); err != nil {
			return err
		}
	}
	if st.Rewrites() {
		if err := s.rewriteTable(ctx, txn, st); err != nil {
			return err
		}
	} else {
		if err := txn.AlterTable(old.Schema, old.Name, t, st.Renamed); err != nil {
			return err
		}

		if err := s.validateRows(ctx, txn, t, st.ValidateNotNull, st.ValidateChecks); err != nil {
			return err
		}
	}
	for _, name := range st.ValidateForeignKeys {
		if err := s.validateForeignKey(txn, t, name); err != nil {
			return err
		}
	}
	if st.ValidateKey != nil {
		if err := txn.ValidateUnique(st.ValidateKey); err != nil {
			return err
		}
	}
	for _, ix := range st.CreateIndexes {
		if relationExists(txn.View(), ix.Schema, ix.Name) {
			return pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", ix.Name)
		}
		if err := txn.CreateIndex(ix); err != nil {
			return err
		}
	}
	return s.followRenames(txn, st)
}

// rewriteTable replaces the table by a new one under st.Table and copies
// the rows into it, computed by planner.BindRewrite, checking the new
// definition's NOT NULL and CHECK constraints as PostgreSQL validates
// them when ALTER TABLE rewrites a table.
func (s *Session) rewriteTable(ctx context.Context, txn *storage.Txn, st *planner.AlterTableStep) error {
	snap := txn.View()
	source, err := planner.BindRewrite(snap, st, s.bindOptions())
	if err != nil {
		return err
	}
	t := st.Table
	if err := txn.RewriteTable(st.Old.Schema, st.Old.Name, t, st.Renamed); err != nil {
		return err
	}
	checks := s.rowChecker(txn.View(), t)
	checks.validating = true
	// The constraints are bound for the new column types before any row
	// is converted, as PostgreSQL does.
	if err := checks.bind(); err != nil {
		return err
	}
	schema := tableSchema(t)
	// The source reads the old table in snap, which the new table's
	// rows never reach, so rows are inserted as they come.
	return s.drainDense(ctx, snap, source, nil, func(cols []arrow.Array, rows int) error {
		rec := array.NewRecord(schema, cols, int64(rows))
		defer rec.Release()
		if err := checkNotNull(t, rec, nil); err != nil {
			return err
		}
		if err := checks.check(ctx, rec); err != nil {
			return err
		}
		return txn.Insert(t, rec)
	})
}

// checkNotNull fails with PostgreSQL's 23502 of ALTER TABLE when rec (the
// columns of t) holds a NULL in a NOT NULL column (in cols, or any when
// cols is nil).
func checkNotNull(t *catalog.Table, rec arrow.Record, cols []int) error {
	for i, c := range t.Columns {
		if cols != nil && !containsInt(cols, i) {
			continue
		}
		notNull := c.NotNull || containsInt(t.PrimaryKey, i)
		if notNull && rec.Column(i).NullN() > 0 {
			return pgerr.New(pgerr.NotNullViolation, "column \"%s\" of relation \"%s\" contains null values", c.Name, t.Name)
		}
	}
	return nil
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// validateRows checks the table's rows, as the transaction sees them,
// against new NOT NULL columns and CHECK constraints.
func (s *Session) validateRows(ctx context.Context, txn *storage.Txn, t *catalog.Table, notNull []int, checks []catalog.Check) error {
	if len(notNull) == 0 && len(checks) == 0 {
		return nil
	}
	snap := txn.View()
	cols := make([]int, len(t.Columns))
	for i := range cols {
		cols[i] = i
	}
	r, err := snap.Scan(t, cols, nil)
	if err != nil {
		return err
	}
	defer r.Close()
	only := *t
	only.Checks = checks
	checker := s.rowChecker(snap, &only)
	checker.validating = true
	schema := tableSchema(t)
	for {
		rec, err := r.Next()
		if err != nil || rec == nil {
			return err
		}
		row := array.NewRecord(schema, rec.Columns()[:len(t.Columns)], rec.NumRows())
		err = checkNotNull(t, row, notNull)
		if err == nil {
			err = checker.check(ctx, row)
		}
		row.Release()
		if err != nil {
			return err
		}
	}
}

// alterDependentViews applies PostgreSQL's rules for the views that read
// a column a command drops or retypes, and refuses renames that the
// views' stored query text could not follow.
func (s *Session) alterDependentViews(txn *storage.Txn, st *planner.AlterTableStep, out ResultWriter) error {
	if st.DroppedColumn == "" && st.RetypedColumn == "" && st.RenamedColumn == "" && !st.RenamedTable {
		return nil
	}
	snap := txn.View()
	target := planner.QualifiedName{Schema: st.Old.Schema, Name: st.Old.Name}
	path := searchPath(s.settings["search_path"], s.info.User)
	var users []*catalog.View
	for _, schema := range snap.Schemas() {
		for _, v := range snap.Views(schema) {
			if !readsObject(v, target, path) {
				continue
			}
			col := st.DroppedColumn + st.RetypedColumn + st.RenamedColumn
			if st.RenamedTable || planner.ViewReadsColumn(v.SQL, col) {
				users = append(users, v)
			}
		}
	}
	if len(users) == 0 {
		return nil
	}
	v := users[0]
	switch {
	case st.RetypedColumn != "":
		e := pgerr.New(pgerr.FeatureNotSupported, "cannot alter type of a column used by a view or rule")
		e.Detail = fmt.Sprintf("rule _RETURN on view %s depends on column \"%s\"", v.Name, st.RetypedColumn)
		return e
	case st.RenamedColumn != "" || st.RenamedTable:
		// PostgreSQL's views follow renames by OID; pqdb rewrites the
		// names in their stored query text.
		for _, u := range users {
			var sql string
			var err error
			if st.RenamedTable {
				sql, err = planner.RenameRelationInView(u.SQL, st.Old.Schema, st.Old.Name, st.Table.Name)
			} else {
				var ok bool
				sql, ok, err = planner.RenameColumnInView(u.SQL, st.RenamedColumn, st.Renamed[st.RenamedColumn])
				if err == nil && !ok {
					return pgerr.Unsupported("cannot rename column \"%s\" of table \"%s\" because view \"%s\", which reads several relations, depends on it", st.RenamedColumn, st.Old.Name, u.Name)
				}
			}
			if err != nil {
				return err
			}
			c := *u
			c.SQL = sql
			if err := txn.AlterView(&c); err != nil {
				return err
			}
		}
		return nil
	}
	if !st.Cascade {
		e := pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop column %s of table %s because other objects depend on it", st.DroppedColumn, st.Old.Name)
		e.Detail = fmt.Sprintf("view %s depends on column %s of table %s", v.Name, st.DroppedColumn, st.Old.Name)
		e.Hint = "Use DROP ... CASCADE to drop the dependent objects too."
		return e
	}
	var deps []planner.QualifiedName
	seen := map[planner.QualifiedName]bool{}
	for _, u := range users {
		q := planner.QualifiedName{Schema: u.Schema, Name: u.Name}
		for _, d := range append(s.dependentViews(snap, q, &planner.DropPlan{Kind: planner.ObjectView}), q) {
			if !seen[d] {
				seen[d] = true
				deps = append(deps, d)
			}
		}
	}
	return s.dropCascade(txn, snap, nil, deps, out)
}

// followRenames points the foreign keys of other tables at a renamed
// table or column.
func (s *Session) followRenames(txn *storage.Txn, st *planner.AlterTableStep) error {
	if !st.RenamedTable && len(st.Renamed) == 0 {
		return nil
	}
	snap := txn.View()
	for _, schema := range snap.Schemas() {
		for _, t := range snap.Tables(schema) {
			if t.ID == st.Table.ID {
				continue
			}
			var c *catalog.Table
			for k, fk := range t.ForeignKeys {
				if !fk.References(st.Old.Schema, st.Old.Name) {
					continue
				}
				if c == nil {
					c = t.Clone()
				}
				c.ForeignKeys[k].RefTable = st.Table.Name
				for j, col := range fk.RefColumns {
					if to, ok := st.Renamed[col]; ok {
						c.ForeignKeys[k].RefColumns[j] = to
					}
				}
			}
			if c != nil {
				if err := txn.AlterTable(t.Schema, t.Name, c, nil); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// rename runs ALTER TABLE/VIEW/SEQUENCE/INDEX ... RENAME.
func (s *Session) rename(ctx context.Context, txn *storage.Txn, p *planner.RenamePlan, out ResultWriter) (string, error) {
	if p.Missing {
		return p.Tag, nil // its notice is sent
	}
	if p.Step != nil {
		return p.Tag, s.applyAlterStep(ctx, txn, p.Step, out)
	}
	snap := txn.View()
	if relationExists(snap, p.Schema, p.NewName) {
		return "", pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", p.NewName)
	}
	switch p.Kind {
	case planner.ObjectView:
		v := *snap.View(p.Schema, p.Name)
		target := planner.QualifiedName{Schema: p.Schema, Name: p.Name}
		path := searchPath(s.settings["search_path"], s.info.User)
		for _, schema := range snap.Schemas() {
			for _, u := range snap.Views(schema) {
				if u.ID == v.ID || !readsObject(u, target, path) {
					continue
				}
				sql, err := planner.RenameRelationInView(u.SQL, p.Schema, p.Name, p.NewName)
				if err != nil {
					return "", err
				}
				c := *u
				c.SQL = sql
				if err := txn.AlterView(&c); err != nil {
					return "", err
				}
			}
		}
		if err := txn.DropView(p.Schema, p.Name); err != nil {
			return "", err
		}
		v.Name = p.NewName
		return p.Tag, txn.CreateView(&v)
	case planner.ObjectSequence:
		q := *snap.Sequence(p.Schema, p.Name)
		q.Name = p.NewName
		if err := txn.AlterSequence(&q); err != nil {
			return "", err
		}
		return p.Tag, s.followSequenceRename(txn, p.Schema, p.Name, p.NewName)
	case planner.ObjectIndex:
		ix := *snap.Index(p.Schema, p.Name)
		if err := txn.DropIndex(p.Schema, p.Name); err != nil {
			return "", err
		}
		ix.Name = p.NewName
		return p.Tag, txn.CreateIndex(&ix)
	}
	return "", pgerr.Unsupported("statement is not supported")
}

// followSequenceRename rewrites the column defaults that draw from a
// renamed sequence: PostgreSQL stores them by the sequence's OID, pqdb
// by name.
func (s *Session) followSequenceRename(txn *storage.Txn, schema, old, new string) error {
	snap := txn.View()
	for _, t := range snap.Tables(schema) {
		var c *catalog.Table
		for i, col := range t.Columns {
			def, ok := planner.RenameSequenceInDefault(col.Default, old, new)
			if !ok {
				continue
			}
			if c == nil {
				c = t.Clone()
			}
			c.Columns[i].Default = def
		}
		if c != nil {
			if err := txn.AlterTable(t.Schema, t.Name, c, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// alterReferencedKeys applies PostgreSQL's rules for the foreign keys a
// command touches: a referenced column dropped (2BP01, or the constraint
// dropped with CASCADE), a referenced key constraint dropped (2BP01),
// and refuses retyping a key column of a foreign key (pqdb needs both
// sides of one type).
func (s *Session) alterReferencedKeys(txn *storage.Txn, st *planner.AlterTableStep, out ResultWriter) error {
	snap := txn.View()
	refs := referencingKeys(snap, st.Old)
	if st.RetypedColumn != "" {
		for _, fk := range st.Old.ForeignKeys {
			if slices.Contains(fk.Columns, st.RetypedColumn) {
				return pgerr.Unsupported("cannot alter type of column \"%s\": it is part of foreign key constraint \"%s\"", st.RetypedColumn, fk.Name)
			}
		}
		for _, r := range refs {
			if slices.Contains(r.fk.RefColumns, st.RetypedColumn) {
				return pgerr.Unsupported("cannot alter type of column \"%s\": foreign key constraint \"%s\" on table \"%s\" references it", st.RetypedColumn, r.fk.Name, r.child.Name)
			}
		}
	}
	for _, r := range refs {
		if r.child.ID == st.Old.ID {
			continue
		}
		if st.DroppedColumn != "" && slices.Contains(r.fk.RefColumns, st.DroppedColumn) {
			if !st.Cascade {
				e := pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop column %s of table %s because other objects depend on it", st.DroppedColumn, st.Old.Name)
				e.Detail = fmt.Sprintf("constraint %s on table %s depends on column %s of table %s", r.fk.Name, r.child.Name, st.DroppedColumn, st.Old.Name)
				e.Hint = "Use DROP ... CASCADE to drop the dependent objects too."
				return e
			}
			if err := dropForeignKey(txn, r); err != nil {
				return err
			}
			if err := out.Notice(pgerr.Notice(pgerr.SuccessfulCompletion, "drop cascades to constraint %s on table %s", r.fk.Name, r.child.Name)); err != nil {
				return err
			}
			continue
		}
		if name, dropped := droppedKey(snap, st, r.fk.RefColumns); dropped {
			e := pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop constraint %s on table %s because other objects depend on it", name, st.Old.Name)
			e.Detail = fmt.Sprintf("constraint %s on table %s depends on index %s", r.fk.Name, r.child.Name, name)
			e.Hint = "Use DROP ... CASCADE to drop the dependent objects too."
			return e
		}
	}
	return nil
}

// droppedKey reports whether st drops the key constraint of its table
// over exactly cols, and its name.
func droppedKey(snap *storage.Snapshot, st *planner.AlterTableStep, cols []string) (string, bool) {
	same := func(names []string) bool {
		if len(names) != len(cols) {
			return false
		}
		for _, c := range cols {
			if !slices.Contains(names, c) {
				return false
			}
		}
		return true
	}
	keyNames := func(t *catalog.Table) []string {
		var out []string
		for _, k := range t.PrimaryKey {
			out = append(out, t.Columns[k].Name)
		}
		return out
	}
	if len(st.Old.PrimaryKey) > 0 && len(st.Table.PrimaryKey) == 0 && same(keyNames(st.Old)) {
		return st.Old.PrimaryKeyConstraint(), true
	}
	for _, name := range st.DropIndexes {
		if ix := snap.Index(st.Old.Schema, name); ix != nil && ix.Unique && !ix.Computed() && same(ix.Columns) {
			return name, true
		}
	}
	return "", false
}

// dropForeignKey removes foreign key r from its table.
func dropForeignKey(txn *storage.Txn, r fkRef) error {
	c := txn.View().Table(r.child.Schema, r.child.Name).Clone()
	c.ForeignKeys = slices.DeleteFunc(c.ForeignKeys, func(fk catalog.ForeignKey) bool { return fk.Name == r.fk.Name })
	return txn.AlterTable(c.Schema, c.Name, c, nil)
}
