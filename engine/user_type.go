package engine

import (
	"context"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// Type DDL: CREATE TYPE ... AS ENUM, CREATE DOMAIN, ALTER TYPE, ALTER
// DOMAIN, DROP TYPE and DROP DOMAIN (bound in planner/bind_type_ddl.go),
// run like other DDL inside the session's transaction, with what each
// change means for the tables that use the type:
//
//   - dropping a type that columns use fails with 2BP01, or with CASCADE
//     drops those columns (and domains over an enum, with their columns)
//     first, as PostgreSQL does;
//   - renaming an enum renames it in the column types that name it;
//   - renaming a label rewrites the tables with columns of the enum,
//     whose stored values are the labels' text;
//   - a constraint added to a domain (or SET NOT NULL) is checked against
//     the values stored in its columns.

func (s *Session) typeDDL(ctx context.Context, txn *storage.Txn, plan planner.Plan, out ResultWriter) (string, error) {
	switch p := plan.(type) {
	case *planner.CreateTypePlan:
		if err := txn.CreateType(p.Type); err != nil {
			return "", err
		}
		if p.Type.IsDomain() {
			return "CREATE DOMAIN", nil
		}
		return "CREATE TYPE", nil
	case *planner.AlterTypePlan:
		return p.Tag, s.alterType(ctx, txn, p, out)
	case *planner.DropTypePlan:
		return s.dropTypes(ctx, txn, p, out)
	}
	return "", pgerr.Unsupported("statement is not supported")
}

// typeColumn is a column declared with a type.
type typeColumn struct {
	table  *catalog.Table
	column int
}

func (c typeColumn) String() string {
	return "column " + c.table.Columns[c.column].Name + " of table " + c.table.Name
}

// usesType reports whether a column is of type u: for an enum, a column
// of the enum or of an array of it (directly or through a domain over
// it); for a domain, a column declared with the domain.
func usesType(col catalog.Column, u *catalog.UserType) bool {
	if u.IsDomain() {
		return col.Domain == u.ID
	}
	return col.Type.HasEnum() && int64(col.Type.Enum.OID) == u.ID
}

// typeDependents lists, in every schema, the columns of type u and the
// domains whose base type is u.
func typeDependents(snap *storage.Snapshot, u *catalog.UserType) ([]typeColumn, []*catalog.UserType) {
	var cols []typeColumn
	var domains []*catalog.UserType
	for _, schema := range snap.Schemas() {
		for _, t := range snap.Tables(schema) {
			for i, c := range t.Columns {
				if usesType(c, u) {
					cols = append(cols, typeColumn{table: t, column: i})
				}
			}
		}
		for _, d := range snap.UserTypes(schema) {
			if d.IsDomain() && d.Domain.Base.HasEnum() && int64(d.Domain.Base.Enum.OID) == u.ID {
				domains = append(domains, d)
			}
		}
	}
	return cols, domains
}

func (s *Session) dropTypes(ctx context.Context, txn *storage.Txn, p *planner.DropTypePlan, out ResultWriter) (string, error) {
	tag := "DROP TYPE"
	if p.Domain {
		tag = "DROP DOMAIN"
	}
	for _, n := range p.Names {
		u := txn.View().UserType(n.Schema, n.Name)
		if u == nil {
			// The name as written: the binder qualifies only the
			// names it found.
			name := n.Name
			if n.Schema != "" {
				name = n.Schema + "." + n.Name
			}
			if p.IfExists {
				if err := out.Notice(pgerr.Notice(pgerr.SuccessfulCompletion, "type \"%s\" does not exist, skipping", name)); err != nil {
					return "", err
				}
				continue
			}
			return "", pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", name)
		}
		if p.Domain && !u.IsDomain() {
			return "", pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a domain", u.Name)
		}
		if err := s.dropType(ctx, txn, u, p.Cascade, out); err != nil {
			return "", err
		}
	}
	return tag, nil
}

// dropType drops u. Columns of u and domains over it fail the drop with
// 2BP01, or with cascade are dropped first, with PostgreSQL's notice.
func (s *Session) dropType(ctx context.Context, txn *storage.Txn, u *catalog.UserType, cascade bool, out ResultWriter) error {
	cols, domains := typeDependents(txn.View(), u)
	var deps []string
	for _, d := range domains {
		deps = append(deps, "type "+d.Name)
	}
	for _, c := range cols {
		deps = append(deps, c.String())
	}
	if len(deps) > 0 {
		if !cascade {
			lines := make([]string, len(deps))
			for i, d := range deps {
				lines[i] = d + " depends on type " + u.Name
			}
			e := pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop type %s because other objects depend on it", u.Name)
			e.Detail = strings.Join(lines, "\n")
			e.Hint = "Use DROP ... CASCADE to drop the dependent objects too."
			return e
		}
		if err := out.Notice(cascadeNotice(deps)); err != nil {
			return err
		}
	}
	for _, d := range domains {
		if err := s.dropType(ctx, txn, d, true, discardNotices{out}); err != nil {
			return err
		}
	}
	for _, c := range cols {
		if err := s.dropTypeColumn(ctx, txn, c, out); err != nil {
			return err
		}
	}
	return txn.DropType(u.Schema, u.Name)
}

// dropTypeColumn drops a column of a dropped type, as ALTER TABLE ...
// DROP COLUMN ... CASCADE does (the column may be gone already, with a
// domain over the type).
func (s *Session) dropTypeColumn(ctx context.Context, txn *storage.Txn, c typeColumn, out ResultWriter) error {
	name := c.table.Columns[c.column].Name
	t := txn.View().Table(c.table.Schema, c.table.Name)
	if t == nil || t.ColumnIndex(name) < 0 {
		return nil
	}
	st, err := planner.BindDropColumn(txn.View(), t.Schema, t.Name, name, s.bindOptions())
	if err != nil {
		return err
	}
	return s.applyAlterStep(ctx, txn, st, out)
}

// discardNotices is a ResultWriter whose notices are already reported.
type discardNotices struct{ ResultWriter }

func (discardNotices) Notice(*pgerr.Error) error { return nil }

func (s *Session) alterType(ctx context.Context, txn *storage.Txn, p *planner.AlterTypePlan, out ResultWriter) error {
	if p.New == nil {
		return nil // its notice is sent
	}
	if err := txn.AlterType(p.New); err != nil {
		return err
	}
	u := txn.View().UserTypeByOID(uint32(p.New.ID))
	if !u.IsDomain() && u.Name != p.Old.Name {
		if err := renameEnumInColumns(txn, u); err != nil {
			return err
		}
	}
	if from := p.RenamedLabel[0]; from != "" {
		if err := s.rewriteEnumLabel(ctx, txn, u, from, p.RenamedLabel[1]); err != nil {
			return err
		}
	}
	if p.ValidateNotNull || p.ValidateCheck != "" {
		return s.validateDomainColumns(ctx, txn, u, p.ValidateCheck, p.ValidateNotNull)
	}
	return nil
}

// renameEnumInColumns gives the column types of tables and domains that
// name the enum u its new name.
func renameEnumInColumns(txn *storage.Txn, u *catalog.UserType) error {
	snap := txn.View()
	cols, domains := typeDependents(snap, u)
	for _, d := range domains {
		c := d.Clone()
		c.Domain.Base.Enum.Name = u.Name
		if err := txn.AlterType(c); err != nil {
			return err
		}
	}
	done := map[*catalog.Table]*catalog.Table{}
	for _, tc := range cols {
		t := done[tc.table]
		if t == nil {
			t = tc.table.Clone()
			done[tc.table] = t
		}
		t.Columns[tc.column].Type.Enum.Name = u.Name
	}
	for old, t := range done {
		if err := txn.AlterTable(old.Schema, old.Name, t, nil); err != nil {
			return err
		}
	}
	return nil
}

// rewriteEnumLabel rewrites every table with columns of the enum u so
// that their values of label from become to (ALTER TYPE ... RENAME
// VALUE): the tables are replaced by new ones holding the relabeled rows,
// as ALTER TABLE rewrites a table.
func (s *Session) rewriteEnumLabel(ctx context.Context, txn *storage.Txn, u *catalog.UserType, from, to string) error {
	cols, _ := typeDependents(txn.View(), u)
	byTable := map[*catalog.Table][]int{}
	var order []*catalog.Table
	for _, c := range cols {
		if byTable[c.table] == nil {
			order = append(order, c.table)
		}
		byTable[c.table] = append(byTable[c.table], c.column)
	}
	for _, t := range order {
		if err := s.relabelTable(ctx, txn, t, byTable[t], from, to); err != nil {
			return err
		}
	}
	return nil
}

// relabelTable replaces t by a copy whose columns cols have label from
// renamed to.
func (s *Session) relabelTable(ctx context.Context, txn *storage.Txn, t *catalog.Table, cols []int, from, to string) error {
	snap := txn.View()
	all := make([]int, len(t.Columns))
	for i := range all {
		all[i] = i
	}
	r, err := snap.Scan(t, all, nil)
	if err != nil {
		return err
	}
	defer r.Close()
	nt := t.Clone()
	if err := txn.RewriteTable(t.Schema, t.Name, nt, nil); err != nil {
		return err
	}
	schema := tableSchema(nt)
	mem := memory.DefaultAllocator
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := r.Next()
		if err != nil || rec == nil {
			return err
		}
		arrs := make([]arrow.Array, len(t.Columns))
		for i := range arrs {
			arrs[i] = rec.Column(i)
			arrs[i].Retain()
		}
		for _, i := range cols {
			old := arrs[i]
			arrs[i] = relabel(mem, old, from, to)
			old.Release()
		}
		row := array.NewRecord(schema, arrs, rec.NumRows())
		for _, a := range arrs {
			a.Release()
		}
		err = txn.Insert(nt, row)
		row.Release()
		if err != nil {
			return err
		}
	}
}

// relabel returns a copy of a (labels, or lists of labels) with the
// label from replaced by to.
func relabel(mem memory.Allocator, a arrow.Array, from, to string) arrow.Array {
	switch a := a.(type) {
	case *array.String:
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.Reserve(a.Len())
		for i := 0; i < a.Len(); i++ {
			if a.IsNull(i) {
				b.AppendNull()
				continue
			}
			v := a.Value(i)
			if v == from {
				v = to
			}
			b.Append(v)
		}
		return b.NewArray()
	case *array.List:
		values := relabel(mem, a.ListValues(), from, to)
		defer values.Release()
		d := a.Data()
		nd := array.NewData(d.DataType(), d.Len(), d.Buffers(), []arrow.ArrayData{values.Data()}, d.NullN(), d.Offset())
		defer nd.Release()
		return array.MakeFromData(nd)
	}
	a.Retain()
	return a
}

// validateDomainColumns checks the values stored in the columns of the
// domain u against its constraint named check and, with notNull, for
// NULLs, as ALTER DOMAIN ... ADD CONSTRAINT and SET NOT NULL do.
func (s *Session) validateDomainColumns(ctx context.Context, txn *storage.Txn, u *catalog.UserType, check string, notNull bool) error {
	snap := txn.View()
	cols, _ := typeDependents(snap, u)
	var c catalog.Check
	if check != "" {
		c = u.Domain.Checks[u.Domain.CheckIndex(check)]
	}
	for _, tc := range cols {
		t, name := tc.table, tc.table.Columns[tc.column].Name
		if notNull {
			if err := s.checkNoNulls(snap, t, tc.column); err != nil {
				return err
			}
		}
		if check == "" {
			continue
		}
		plan, err := planner.DomainColumnCheck(snap, t, tc.column, u, c, s.location())
		if err != nil {
			return err
		}
		err = s.drainDense(ctx, snap, plan, nil, func(cols []arrow.Array, rows int) error {
			ok := cols[0].(*array.Boolean)
			for i := 0; i < rows; i++ {
				if ok.IsValid(i) && !ok.Value(i) {
					return pgerr.New(pgerr.CheckViolation, "column \"%s\" of table \"%s\" contains values that violate the new constraint", name, t.Name)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// checkNoNulls fails with 23502 when column col of t holds a NULL.
func (s *Session) checkNoNulls(snap *storage.Snapshot, t *catalog.Table, col int) error {
	r, err := snap.Scan(t, []int{col}, nil)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		rec, err := r.Next()
		if err != nil || rec == nil {
			return err
		}
		if rec.Column(0).NullN() > 0 {
			return pgerr.New(pgerr.NotNullViolation, "column \"%s\" of table \"%s\" contains null values", t.Columns[col].Name, t.Name)
		}
	}
}
