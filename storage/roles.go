package storage

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Roles.
//
// Roles belong to the whole store, not to a schema, so they live in
// their own SQLite database, <dir>/global.sqlite, beside the schema
// directories. The committed roles are an immutable map published
// through an atomic pointer, so snapshots and authentication read them
// without locking. A transaction records its role operations in order
// (an append-only list, cut back by savepoints like every other change)
// and its view folds them over the committed map.
//
// Commit re-applies the operations to the roles committed then, under
// roleRegistry.mu, so of two transactions creating one role the second
// fails with 42710, and altering or dropping a role another transaction
// dropped fails with 42704. The changed rows are written in one SQLite
// transaction (WAL, synchronous=FULL) before the new map is published,
// so a role change is durable when Commit returns.

// globalDBName is the SQLite file of the store-wide catalog.
const globalDBName = "global.sqlite"

const globalDBSchema = `
CREATE TABLE IF NOT EXISTS roles(name TEXT PRIMARY KEY, def TEXT NOT NULL);
`

// roleRegistry holds the committed roles and their database.
type roleRegistry struct {
	mu        sync.Mutex // serializes role commits and guards db
	db        *sql.DB    // nil once the store is closed
	committed atomic.Pointer[map[string]*catalog.Role]
}

// roleOpKind is what a roleOp does.
type roleOpKind uint8

const (
	roleCreate roleOpKind = iota
	roleAlter
	roleDrop
)

// roleOp is one role change of a transaction. role is the transaction's
// own copy (nil for a drop).
type roleOp struct {
	kind roleOpKind
	name string
	role *catalog.Role
}

// apply performs op on roles, which the caller owns.
func (op roleOp) apply(roles map[string]*catalog.Role) error {
	_, exists := roles[op.name]
	switch op.kind {
	case roleCreate:
		if exists {
			return pgerr.New(pgerr.DuplicateObject, "role %q already exists", op.name)
		}
		roles[op.name] = op.role
	case roleAlter:
		if !exists {
			return pgerr.New(pgerr.UndefinedObject, "role %q does not exist", op.name)
		}
		roles[op.name] = op.role
	case roleDrop:
		if !exists {
			return pgerr.New(pgerr.UndefinedObject, "role %q does not exist", op.name)
		}
		delete(roles, op.name)
	}
	return nil
}

// openRoles opens (creating if needed) global.sqlite and loads the
// committed roles.
func (s *Store) openRoles() error {
	path := filepath.Join(s.dir, globalDBName)
	db, err := openSQLite(path, globalDBSchema)
	if err != nil {
		return fmt.Errorf("cannot open %q: %w", path, err)
	}
	// The database file may be new: make its directory entry durable
	// before any commit relies on it.
	if err := syncDir(s.dir); err != nil {
		db.Close()
		return fmt.Errorf("cannot open %q: %w", path, err)
	}
	roles, err := loadRoles(db)
	if err != nil {
		db.Close()
		return fmt.Errorf("cannot read roles from %q: %w", path, err)
	}
	s.roles.db = db
	s.roles.committed.Store(&roles)
	return nil
}

func loadRoles(db *sql.DB) (map[string]*catalog.Role, error) {
	rows, err := db.Query(`SELECT name, def FROM roles`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	roles := map[string]*catalog.Role{}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return nil, err
		}
		r := &catalog.Role{}
		if err := json.Unmarshal([]byte(def), r); err != nil {
			return nil, fmt.Errorf("role %q: %w", name, err)
		}
		roles[name] = r
	}
	return roles, rows.Err()
}

// closeRoles closes global.sqlite; later role commits fail.
func (s *Store) closeRoles() error {
	s.roles.mu.Lock()
	defer s.roles.mu.Unlock()
	if s.roles.db == nil {
		return nil
	}
	err := s.roles.db.Close()
	s.roles.db = nil
	return err
}

// committedRoles is the committed role map; callers must not modify it.
func (s *Store) committedRoles() map[string]*catalog.Role {
	if p := s.roles.committed.Load(); p != nil {
		return *p
	}
	return nil
}

// Role returns the committed role named name now, or nil. The result
// must not be modified.
func (s *Store) Role(name string) *catalog.Role { return s.committedRoles()[name] }

// commitRoles applies ops to the roles committed now and makes the
// result durable, or changes nothing and returns the first error.
func (s *Store) commitRoles(ops []roleOp) error {
	r := &s.roles
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.db == nil {
		return errStoreClosed
	}
	cur := s.committedRoles()
	next := maps.Clone(cur)
	if next == nil {
		next = map[string]*catalog.Role{}
	}
	for _, op := range ops {
		if err := op.apply(next); err != nil {
			return err
		}
	}
	if err := persistRoles(r.db, cur, next); err != nil {
		return pgerr.New(pgerr.IoError, "could not commit roles: %v", err)
	}
	r.committed.Store(&next)
	return nil
}

// persistRoles writes the difference between cur and next in one SQLite
// transaction, durable when it returns.
func persistRoles(db *sql.DB, cur, next map[string]*catalog.Role) (err error) {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	for name := range cur {
		if next[name] == nil {
			if _, err := tx.Exec(`DELETE FROM roles WHERE name = ?`, name); err != nil {
				return err
			}
		}
	}
	for name, role := range next {
		if cur[name] == role {
			continue
		}
		def, err := json.Marshal(role)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO roles(name, def) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET def = excluded.def`, name, string(def)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// roleView is the role map as the transaction sees it. Without role
// operations it is the committed map itself, which must not be modified.
func (t *Txn) roleView() map[string]*catalog.Role {
	committed := t.s.committedRoles()
	if len(t.roleOps) == 0 {
		return committed
	}
	view := maps.Clone(committed)
	if view == nil {
		view = map[string]*catalog.Role{}
	}
	for _, op := range t.roleOps {
		// A conflict with a concurrent commit surfaces at Commit.
		op.apply(view)
	}
	return view
}

// recordRole validates op against the transaction's view and appends it.
func (t *Txn) recordRole(op roleOp) error {
	if t.done {
		return errTxnDone
	}
	if op.name == "" {
		return pgerr.New(pgerr.InvalidName, "zero-length role name")
	}
	view := t.roleView()
	_, exists := view[op.name]
	switch {
	case op.kind == roleCreate && exists:
		return pgerr.New(pgerr.DuplicateObject, "role %q already exists", op.name)
	case op.kind != roleCreate && !exists:
		return pgerr.New(pgerr.UndefinedObject, "role %q does not exist", op.name)
	}
	t.roleOps = append(t.roleOps, op)
	return nil
}

// CreateRole creates role r at commit. It fails with 42710 if a role of
// that name exists in the transaction's view, or, at Commit, if another
// transaction committed one first.
func (t *Txn) CreateRole(r *catalog.Role) error {
	own := *r
	return t.recordRole(roleOp{kind: roleCreate, name: r.Name, role: &own})
}

// AlterRole replaces the role named r.Name by r. It fails with 42704 if
// there is no such role.
func (t *Txn) AlterRole(r *catalog.Role) error {
	own := *r
	return t.recordRole(roleOp{kind: roleAlter, name: r.Name, role: &own})
}

// DropRole drops the role named name. It fails with 42704 if there is no
// such role.
func (t *Txn) DropRole(name string) error {
	return t.recordRole(roleOp{kind: roleDrop, name: name})
}

// Role returns the role named name, or nil. The result must not be
// modified.
func (s *Snapshot) Role(name string) *catalog.Role { return s.roles[name] }

// Roles returns every role in name order. The results must not be
// modified.
func (s *Snapshot) Roles() []*catalog.Role {
	out := slices.Collect(maps.Values(s.roles))
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
