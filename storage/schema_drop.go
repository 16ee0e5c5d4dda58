package storage

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pqdb/pqdb/pgerr"
)

// Dropping a schema.
//
// Within a transaction, DropSchema appends a ddlDropSchema marker to the
// schema's list of operations, and a later CreateSchema of the same name
// a ddlCreateSchema marker, so the lists stay append-only and savepoints
// cut them back like any other change. The transaction's view folds the
// markers in (foldSchemaOps): a drop makes the schema vanish, a create
// starts a fresh, empty one.
//
// At commit, schemaPlan reads the markers: the committed namespace is
// dropped (after its writer checks, against the state then, that the
// operations before the drop leave it empty), then a new namespace is
// created if the last drop was followed by a create, and it receives the
// operations after that create. Everything between the first drop and
// the last one concerned schemas that never outlive the transaction.
//
// A dropped namespace's directory is renamed to a trash name (the point
// where the drop becomes durable), then deleted; Open deletes trash a
// crash left behind. Snapshots taken before the drop still list the
// schema, but reading its tables' files may fail once they are gone.

// DropSchema drops schema name, which must be empty in the transaction's
// view: the caller drops its tables, views, indexes, sequences and types
// first (CASCADE).
// It fails with 3F000 if the schema does not exist and with 2BP01 if it
// still holds objects.
func (t *Txn) DropSchema(name string) error {
	if t.done {
		return errTxnDone
	}
	st := t.overlay(name)
	if st == nil {
		return pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", name)
	}
	if !st.empty() {
		return pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop schema %s because other objects depend on it", name)
	}
	t.ddlMap()[name] = append(t.ddl[name], &ddlOp{kind: ddlDropSchema, name: name})
	// Change sets of tables that left the view (dropped by a concurrent
	// commit) must not follow the name into a new schema.
	for id, tt := range t.tables {
		if tt.schema == name {
			if t.lastMark == 0 {
				tt.release()
			}
			delete(t.tables, id)
		}
	}
	return nil
}

// dropsSchema reports whether the transaction dropped schema name (and
// so may see a new schema under that name).
func (t *Txn) dropsSchema(name string) bool {
	return slices.ContainsFunc(t.ddl[name], isSchemaDrop)
}

func isSchemaDrop(op *ddlOp) bool { return op.kind == ddlDropSchema }

// foldSchemaOps applies ops to st, which the caller owns (or nil when the
// schema does not exist), and returns the result (nil if the schema ends
// up dropped). Errors are ignored: a conflict with a concurrent commit
// surfaces at Commit.
func foldSchemaOps(st *nsState, name string, ops []*ddlOp) *nsState {
	for _, op := range ops {
		switch op.kind {
		case ddlDropSchema:
			st = nil
		case ddlCreateSchema:
			st = newNSState(name, "")
		default:
			if st != nil {
				st.apply(op)
			}
		}
	}
	return st
}

// schemaPlan is what Commit does to one schema name.
type schemaPlan struct {
	dropCommitted bool     // drop the committed namespace
	before        []*ddlOp // its operations before the drop, to check it ends up empty
	create        bool     // create a new namespace
	ops           []*ddlOp // operations to commit to the final namespace
}

// planSchema reads the transaction's operations on schema name.
func (t *Txn) planSchema(name string) schemaPlan {
	ops := t.ddl[name]
	createdHere := slices.Contains(t.newSchemas, name)
	first := slices.IndexFunc(ops, isSchemaDrop)
	if first < 0 {
		return schemaPlan{create: createdHere, ops: ops}
	}
	last := len(ops) - 1
	for !isSchemaDrop(ops[last]) {
		last--
	}
	p := schemaPlan{dropCommitted: !createdHere, before: ops[:first]}
	if last+1 < len(ops) && ops[last+1].kind == ddlCreateSchema {
		p.create = true
		p.ops = ops[last+2:]
	}
	return p
}

// dropNamespace drops ns for a committing transaction whose operations
// on it before the drop were before. Its writer checks them against the
// current state and accepts the drop only if nothing is left, then
// stops; the directory is renamed to trash (durably) and deleted.
func (s *Store) dropNamespace(ns *namespace, before []*ddlOp) error {
	err := ns.do(func() error {
		st := ns.state.Load().clone()
		for _, op := range before {
			if err := st.apply(op); err != nil {
				return err
			}
		}
		if !st.empty() {
			return pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop schema %s because other objects depend on it", ns.name)
		}
		ns.dropped.Store(true)
		return nil
	})
	if err != nil {
		return err
	}
	// createMu keeps a new schema of the same name from moving into the
	// directory before the old one has left it.
	s.createMu.Lock()
	defer s.createMu.Unlock()
	s.mu.Lock()
	s.removeNamespace(ns)
	s.mu.Unlock()
	ns.close()
	prefix := ns.prefix + "/"
	s.files.forget(func(p string) bool { return strings.HasPrefix(p, prefix) })
	trash := filepath.Join(s.dir, trashPrefix+ns.prefix+"-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	if err := os.Rename(ns.dir, trash); err != nil {
		// Nothing changed on disk: the schema stays.
		if back, oerr := openNamespace(s, ns.dir); oerr == nil {
			s.mu.Lock()
			s.putNamespace(back)
			s.mu.Unlock()
		}
		return pgerr.New(pgerr.IoError, "could not drop schema %q: %v", ns.name, err)
	}
	if err := syncDir(s.dir); err != nil {
		return pgerr.New(pgerr.IoError, "could not drop schema %q: %v", ns.name, err)
	}
	s.removeTrash(trash) // Open finishes the job if this fails or a crash interrupts it
	return nil
}

// removeTrash deletes a dropped schema's directory, trash, and on an
// object store its objects, whose prefix the directory's name holds:
// .trash-<prefix>-<n>. The objects go first, so that a crash leaves the
// directory to name them to the next open.
func (s *Store) removeTrash(trash string) {
	if !s.objects.local(s.dir) {
		name := strings.TrimPrefix(filepath.Base(trash), trashPrefix)
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if err := s.objects.removeAll(name[:i]); err != nil {
				return
			}
		}
	}
	os.RemoveAll(trash)
}
