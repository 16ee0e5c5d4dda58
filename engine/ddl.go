package engine

import (
	"context"
	"fmt"
	"slices"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// ddl runs catalog statements inside txn, with Postgres' notices for
// IF [NOT] EXISTS.
func (s *Session) ddl(ctx context.Context, txn *storage.Txn, snap *storage.Snapshot, plan planner.Plan, out ResultWriter) (string, error) {
	switch p := plan.(type) {
	case *planner.CreateTablePlan:
		t := p.Table
		if exists, tag, err := existingRelation(snap, t.Schema, t.Name, p.IfNotExists, "CREATE TABLE", out); exists {
			return tag, err
		}
		if p.Temp != nil {
			if err := s.createTempTableSchema(txn, snap, t); err != nil {
				return "", err
			}
			defer s.noteTempTable(t, p.Temp)
		}
		for _, q := range p.Sequences {
			if relationExists(snap, q.Schema, q.Name) {
				return "", pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", q.Name)
			}
			if err := txn.CreateSequence(q); err != nil {
				return "", err
			}
		}
		if err := txn.CreateTable(t); err != nil {
			return "", err
		}
		s.noteNewRelfile(txn, t)
		for _, ix := range p.Indexes {
			if relationExists(snap, ix.Schema, ix.Name) {
				return "", pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", ix.Name)
			}
			if err := txn.CreateIndex(ix); err != nil {
				return "", err
			}
		}
		return "CREATE TABLE", nil
	case *planner.CreateViewPlan:
		v := p.View
		if snap.View(v.Schema, v.Name) != nil && p.Replace {
			if err := txn.DropView(v.Schema, v.Name); err != nil {
				return "", err
			}
		} else if relationExists(snap, v.Schema, v.Name) {
			return "", pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", v.Name)
		}
		return "CREATE VIEW", txn.CreateView(v)
	case *planner.CreateIndexPlan:
		ix := p.Index
		if exists, tag, err := existingRelation(snap, ix.Schema, ix.Name, p.IfNotExists, "CREATE INDEX", out); exists {
			return tag, err
		}
		return "CREATE INDEX", txn.CreateIndex(ix)
	case *planner.CreateSchemaPlan:
		if snap.HasSchema(p.Name) {
			if p.IfNotExists {
				return "CREATE SCHEMA", out.Notice(pgerr.Notice(pgerr.DuplicateSchema, "schema \"%s\" already exists, skipping", p.Name))
			}
			return "", pgerr.New(pgerr.DuplicateSchema, "schema \"%s\" already exists", p.Name)
		}
		return "CREATE SCHEMA", txn.CreateSchema(p.Name)
	case *planner.DropPlan:
		return s.drop(ctx, txn, snap, p, out)
	}
	return "", pgerr.Unsupported("statement is not supported")
}

func (s *Session) drop(ctx context.Context, txn *storage.Txn, snap *storage.Snapshot, p *planner.DropPlan, out ResultWriter) (string, error) {
	tag := map[planner.ObjectKind]string{planner.ObjectTable: "DROP TABLE", planner.ObjectView: "DROP VIEW", planner.ObjectIndex: "DROP INDEX", planner.ObjectSchema: "DROP SCHEMA", planner.ObjectSequence: "DROP SEQUENCE"}[p.Kind]
	if p.Kind == planner.ObjectSchema {
		return s.dropSchemas(ctx, txn, snap, p, out)
	}
	kind := map[planner.ObjectKind]string{planner.ObjectTable: "table", planner.ObjectView: "view", planner.ObjectIndex: "index", planner.ObjectSequence: "sequence"}[p.Kind]
	// A name listed again is dropped once, as PostgreSQL does (DROP TABLE
	// t, t); one that did not exist is reported again.
	dropped := map[planner.QualifiedName]bool{}
	for _, n := range p.Names {
		if dropped[n] {
			continue
		}
		exists := false
		switch p.Kind {
		case planner.ObjectTable:
			exists = snap.Table(n.Schema, n.Name) != nil
			if !exists && snap.View(n.Schema, n.Name) != nil {
				e := pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table", n.Name)
				e.Hint = "Use DROP VIEW to remove a view."
				return "", e
			}
		case planner.ObjectView:
			exists = snap.View(n.Schema, n.Name) != nil
			if !exists && snap.Table(n.Schema, n.Name) != nil {
				e := pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a view", n.Name)
				e.Hint = "Use DROP TABLE to remove a table."
				return "", e
			}
		case planner.ObjectIndex:
			ix := snap.Index(n.Schema, n.Name)
			if ix != nil && ix.Constraint {
				return "", s.constraintIndexDropError(snap, ix)
			}
			exists = ix != nil
		case planner.ObjectSequence:
			exists = snap.Sequence(n.Schema, n.Name) != nil
		}
		if !exists {
			if p.IfExists {
				if err := out.Notice(pgerr.Notice(pgerr.SuccessfulCompletion, "%s \"%s\" does not exist, skipping", kind, n.Name)); err != nil {
					return "", err
				}
				continue
			}
			code := pgerr.UndefinedTable
			if p.Kind == planner.ObjectIndex {
				code = pgerr.UndefinedObject
			}
			return "", pgerr.New(code, "%s \"%s\" does not exist", kind, n.Name)
		}
		if p.Kind != planner.ObjectIndex && p.Kind != planner.ObjectSequence {
			deps := s.dependentViews(snap, n, p)
			if len(deps) > 0 && !p.Cascade {
				e := pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop %s %s because other objects depend on it", kind, n.Name)
				e.Detail = fmt.Sprintf("view %s depends on %s %s", deps[0].Name, kind, n.Name)
				e.Hint = "Use DROP ... CASCADE to drop the dependent objects too."
				return "", e
			}
			if err := s.dropCascade(txn, snap, p, deps, out); err != nil {
				return "", err
			}
			snap = txn.View()
		}
		var err error
		switch p.Kind {
		case planner.ObjectTable:
			dropping := func(t *catalog.Table) bool {
				return slices.Contains(p.Names, planner.QualifiedName{Schema: t.Schema, Name: t.Name})
			}
			if err := s.dropReferencingKeys(txn, snap.Table(n.Schema, n.Name), p.Cascade, dropping, out); err != nil {
				return "", err
			}
			err = txn.DropTable(n.Schema, n.Name)
		case planner.ObjectView:
			err = txn.DropView(n.Schema, n.Name)
		case planner.ObjectIndex:
			err = txn.DropIndex(n.Schema, n.Name)
		case planner.ObjectSequence:
			err = txn.DropSequence(n.Schema, n.Name)
		}
		if err != nil {
			return "", err
		}
		dropped[n] = true
		snap = txn.View()
	}
	return tag, nil
}

// dependentViews lists the views that read target, directly or through
// other views, deepest dependents first, leaving out those the statement
// drops itself.
func (s *Session) dependentViews(snap *storage.Snapshot, target planner.QualifiedName, p *planner.DropPlan) []planner.QualifiedName {
	dropping := map[planner.QualifiedName]bool{}
	if p.Kind == planner.ObjectView {
		for _, n := range p.Names {
			dropping[n] = true
		}
	}
	path := searchPath(s.settings["search_path"], s.info.User)
	var out []planner.QualifiedName
	seen := map[planner.QualifiedName]bool{}
	var visit func(t planner.QualifiedName)
	visit = func(t planner.QualifiedName) {
		for _, schema := range snap.Schemas() {
			for _, v := range snap.Views(schema) {
				q := planner.QualifiedName{Schema: v.Schema, Name: v.Name}
				if seen[q] || dropping[q] || !readsObject(v, t, path) {
					continue
				}
				seen[q] = true
				visit(q)
				out = append(out, q)
			}
		}
	}
	visit(target)
	return out
}

// readsObject reports whether view v names target in its query.
func readsObject(v *catalog.View, target planner.QualifiedName, path []string) bool {
	refs, err := planner.ViewReferences(v.SQL)
	if err != nil {
		return false
	}
	for _, r := range refs {
		if r.Name == target.Name && (r.Schema == target.Schema || r.Schema == "" && (v.Schema == target.Schema || slices.Contains(path, target.Schema))) {
			return true
		}
	}
	return false
}

// dropCascade drops the dependent views of a DROP ... CASCADE, with
// Postgres' notice.
func (s *Session) dropCascade(txn *storage.Txn, snap *storage.Snapshot, p *planner.DropPlan, deps []planner.QualifiedName, out ResultWriter) error {
	if len(deps) == 0 {
		return nil
	}
	for _, d := range deps {
		if snap.View(d.Schema, d.Name) == nil {
			continue
		}
		if err := txn.DropView(d.Schema, d.Name); err != nil {
			return err
		}
	}
	names := make([]string, len(deps))
	for i, d := range deps {
		names[i] = s.cascadedName("view", d.Schema, d.Name)
	}
	return out.Notice(cascadeNotice(names))
}

// dropSchemas runs DROP SCHEMA; with CASCADE the schema's views, indexes
// and tables go first, and so do the views elsewhere that read them.
func (s *Session) dropSchemas(ctx context.Context, txn *storage.Txn, snap *storage.Snapshot, p *planner.DropPlan, out ResultWriter) (string, error) {
	for _, n := range p.Names {
		if !snap.HasSchema(n.Name) {
			if p.IfExists {
				if err := out.Notice(pgerr.Notice(pgerr.SuccessfulCompletion, "schema \"%s\" does not exist, skipping", n.Name)); err != nil {
					return "", err
				}
				continue
			}
			return "", pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", n.Name)
		}
		views, tables, seqs, types := snap.Views(n.Name), snap.Tables(n.Name), snap.Sequences(n.Name), snap.UserTypes(n.Name)
		if !p.Cascade {
			if len(views)+len(tables)+len(seqs)+len(types) > 0 {
				e := pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop schema %s because other objects depend on it", n.Name)
				switch {
				case len(tables) > 0:
					e.Detail = fmt.Sprintf("table %s.%s depends on schema %s", n.Name, tables[0].Name, n.Name)
				case len(views) > 0:
					e.Detail = fmt.Sprintf("view %s.%s depends on schema %s", n.Name, views[0].Name, n.Name)
				case len(seqs) == 0:
					e.Detail = fmt.Sprintf("type %s.%s depends on schema %s", n.Name, types[0].Name, n.Name)
				default:
					e.Detail = fmt.Sprintf("sequence %s.%s depends on schema %s", n.Name, seqs[0].Name, n.Name)
				}
				e.Hint = "Use DROP ... CASCADE to drop the dependent objects too."
				return "", e
			}
		} else {
			var dropped cascadedObjects
			for _, t := range tables {
				dropped.add(t.ID, 0, s.cascadedName("table", t.Schema, t.Name))
			}
			for _, v := range views {
				dropped.add(v.ID, 0, s.cascadedName("view", v.Schema, v.Name))
			}
			for _, u := range types {
				dropped.add(u.ID, 0, s.cascadedName("type", u.Schema, u.Name))
			}
			// Views elsewhere that read this schema's tables and views,
			// named right after what they read.
			members := append(tableNames(tables), viewNames(views)...)
			ids := make([]int64, 0, len(members))
			for _, t := range tables {
				ids = append(ids, t.ID)
			}
			for _, v := range views {
				ids = append(ids, v.ID)
			}
			for i, obj := range members {
				for _, d := range s.dependentViews(txn.View(), obj, &planner.DropPlan{Kind: planner.ObjectView}) {
					if d.Schema != n.Name && txn.View().View(d.Schema, d.Name) != nil {
						if err := txn.DropView(d.Schema, d.Name); err != nil {
							return "", err
						}
						dropped.add(ids[i], 1, s.cascadedName("view", d.Schema, d.Name))
					}
				}
			}
			for _, v := range views {
				if err := txn.DropView(v.Schema, v.Name); err != nil {
					return "", err
				}
			}
			for _, ix := range txn.View().Indexes(n.Name) {
				if err := txn.DropIndex(ix.Schema, ix.Name); err != nil {
					return "", err
				}
			}
			for _, t := range tables {
				inSchema := func(c *catalog.Table) bool { return c.Schema == n.Name }
				if err := s.dropReferencingKeys(txn, t, true, inSchema, out); err != nil {
					return "", err
				}
				if err := txn.DropTable(t.Schema, t.Name); err != nil {
					return "", err
				}
			}
			// Sequences left once their owning tables are gone.
			for _, q := range txn.View().Sequences(n.Name) {
				if err := txn.DropSequence(q.Schema, q.Name); err != nil {
					return "", err
				}
				dropped.add(q.ID, 0, s.cascadedName("sequence", q.Schema, q.Name))
			}
			// Types, with the columns elsewhere that use them.
			for _, u := range types {
				if txn.View().UserType(u.Schema, u.Name) == nil {
					continue // a domain over an enum dropped before
				}
				if err := s.dropType(ctx, txn, u, true, discardNotices{out}); err != nil {
					return "", err
				}
			}
			if len(dropped) > 0 {
				if err := out.Notice(cascadeNotice(dropped.descriptions())); err != nil {
					return "", err
				}
			}
		}
		if err := txn.DropSchema(n.Name); err != nil {
			return "", err
		}
	}
	return "DROP SCHEMA", nil
}

func tableNames(ts []*catalog.Table) []planner.QualifiedName {
	out := make([]planner.QualifiedName, len(ts))
	for i, t := range ts {
		out[i] = planner.QualifiedName{Schema: t.Schema, Name: t.Name}
	}
	return out
}

func viewNames(vs []*catalog.View) []planner.QualifiedName {
	out := make([]planner.QualifiedName, len(vs))
	for i, v := range vs {
		out[i] = planner.QualifiedName{Schema: v.Schema, Name: v.Name}
	}
	return out
}

// relationExists reports whether a table, view or index already has the
// name: in Postgres they share one namespace of relations.
// existingRelation answers CREATE [IF NOT EXISTS] of a relation whose
// name is taken: exists is true, and the statement ends with tag and
// PostgreSQL's notice (IF NOT EXISTS) or with 42P07.
func existingRelation(snap *storage.Snapshot, schema, name string, ifNotExists bool, tag string, out ResultWriter) (exists bool, _ string, _ error) {
	if !relationExists(snap, schema, name) {
		return false, "", nil
	}
	if ifNotExists {
		return true, tag, out.Notice(pgerr.Notice(pgerr.DuplicateTable, "relation \"%s\" already exists, skipping", name))
	}
	return true, "", pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", name)
}

func relationExists(snap *storage.Snapshot, schema, name string) bool {
	return snap.Table(schema, name) != nil || snap.View(schema, name) != nil || snap.Index(schema, name) != nil || snap.Sequence(schema, name) != nil
}

// constraintIndexDropError is PostgreSQL's refusal to DROP INDEX the
// index of a UNIQUE constraint, naming the index and the table qualified
// unless the search path finds them.
func (s *Session) constraintIndexDropError(snap *storage.Snapshot, ix *catalog.Index) error {
	index, table := exec.QuoteIdent(ix.Name), exec.QuoteIdent(ix.Table)
	if n, err := s.catalogNamesFor(); err == nil {
		ns := n.nsByName[ix.Schema]
		index = n.qualified(ns, ix.Name, n.classVisible(uint32(ix.ID)))
		if t := snap.Table(ix.Schema, ix.Table); t != nil {
			table = n.qualified(ns, ix.Table, n.classVisible(uint32(t.ID)))
		}
	}
	e := pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop index %s because constraint %s on table %s requires it", index, exec.QuoteIdent(ix.Name), table)
	e.Hint = fmt.Sprintf("You can drop constraint %s on table %s instead.", exec.QuoteIdent(ix.Name), table)
	return e
}
