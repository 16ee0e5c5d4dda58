package storage

import (
	"database/sql"
	"sort"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// User types: enums and domains (catalog.UserType).
//
// A type's definition is a catalog object like a table's: CreateType,
// AlterType and DropType record DDL operations in the transaction, its
// snapshots see them, savepoints and Rollback undo them, and the writer
// stores them in the objects table (kind "type") with a DDL event. Types
// share their schema's type names with the row types of tables and
// views, as in pg_type: a type cannot take a table's or a view's name,
// nor a table or view a type's (42710). Which tables use a type is the
// SQL layer's concern (DROP TYPE's dependencies); storage keeps no
// references.

// typeNameTaken answers 42710 when name is taken in st's type names: by a
// type, or by the row type of a table or view.
func (st *nsState) typeNameTaken(name string) error {
	if st.types[name] == nil && st.tables[name] == nil && st.views[name] == nil {
		return nil
	}
	e := pgerr.New(pgerr.DuplicateObject, "type \"%s\" already exists", name)
	if st.types[name] == nil {
		e.Hint = "A relation has an associated type of the same name, so you must use a name that doesn't conflict with any existing type."
	}
	return e
}

// relationTypeTaken answers CREATE TABLE or VIEW name, whose row type
// would take name among the types, when a type has it.
func (st *nsState) relationTypeTaken(name string) error {
	if st.types[name] == nil {
		return nil
	}
	e := pgerr.New(pgerr.DuplicateObject, "type \"%s\" already exists", name)
	e.Hint = "A relation has an associated type of the same name, so you must use a name that doesn't conflict with any existing type."
	return e
}

// CreateType creates a type at commit and assigns its OIDs: u.ID and
// u.ID+1 for its array type, and one per label that has none. It fails
// with 42710 if the name is taken. The transaction keeps a copy: later
// changes to *u have no effect.
func (t *Txn) CreateType(u *catalog.UserType) error {
	if t.done {
		return errTxnDone
	}
	u.ID = t.s.allocObjectIDs(2)
	t.assignLabelOIDs(u)
	return t.record(u.Schema, &ddlOp{kind: ddlCreateType, utype: u.Clone()})
}

// AlterType replaces the definition of type u.ID in u.Schema: a new name
// renames it; labels without an OID get one. It fails with 42704 if the
// type does not exist and with 42710 if the new name is taken.
func (t *Txn) AlterType(u *catalog.UserType) error {
	if t.done {
		return errTxnDone
	}
	t.assignLabelOIDs(u)
	return t.record(u.Schema, &ddlOp{kind: ddlAlterType, utype: u.Clone(), id: u.ID})
}

// assignLabelOIDs gives the labels of u that have no OID one.
func (t *Txn) assignLabelOIDs(u *catalog.UserType) {
	for i := range u.Labels {
		if u.Labels[i].OID == 0 {
			u.Labels[i].OID = t.s.allocObjectID()
		}
	}
}

// DropType drops a type; 42704 if it does not exist.
func (t *Txn) DropType(schema, name string) error {
	if t.done {
		return errTxnDone
	}
	st := t.overlay(schema)
	if st == nil {
		return pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", schema)
	}
	u := st.types[name]
	if u == nil {
		return pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", name)
	}
	return t.record(schema, &ddlOp{kind: ddlDropType, name: name, id: u.ID})
}

// applyType performs a type operation on st (see nsState.apply).
func (st *nsState) applyType(op *ddlOp) error {
	switch op.kind {
	case ddlCreateType:
		if err := st.typeNameTaken(op.utype.Name); err != nil {
			return err
		}
		st.types[op.utype.Name] = op.utype
	case ddlAlterType:
		old := st.typeByID(op.id)
		if old == nil {
			return pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", op.utype.Name)
		}
		if old.Name != op.utype.Name {
			if err := st.typeNameTaken(op.utype.Name); err != nil {
				return err
			}
		}
		delete(st.types, old.Name)
		st.types[op.utype.Name] = op.utype
	case ddlDropType:
		u := st.types[op.name]
		if u == nil || u.ID != op.id {
			return pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", op.name)
		}
		delete(st.types, op.name)
	}
	return nil
}

// typeByID returns the type with the given OID, or nil.
func (st *nsState) typeByID(id int64) *catalog.UserType {
	for _, u := range st.types {
		if u.ID == id {
			return u
		}
	}
	return nil
}

// persistTypeDiff stores the types that differ between st and nst.
func persistTypeDiff(tx *sql.Tx, st, nst *nsState) error {
	for name, u := range st.types {
		if nu := nst.types[name]; nu != u && nst.typeByID(u.ID) == nil {
			if err := deleteObject(tx, u.ID); err != nil {
				return err
			}
		}
	}
	for name, u := range nst.types {
		if ou := st.types[name]; ou != u {
			if err := putObject(tx, u.ID, kindType, u.Name, u); err != nil {
				return err
			}
		}
	}
	return nil
}

// UserType returns the named type of a schema, or nil. The result must
// not be modified.
func (s *Snapshot) UserType(schema, name string) *catalog.UserType {
	if st := s.spaces[schema]; st != nil {
		return st.types[name]
	}
	return nil
}

// UserTypeByOID returns the type with the given OID, or nil.
func (s *Snapshot) UserTypeByOID(oid uint32) *catalog.UserType {
	for _, st := range s.spaces {
		if u := st.typeByID(int64(oid)); u != nil {
			return u
		}
	}
	return nil
}

// UserTypes returns the types of a schema in name order.
func (s *Snapshot) UserTypes(schema string) []*catalog.UserType {
	st := s.spaces[schema]
	if st == nil {
		return nil
	}
	out := make([]*catalog.UserType, 0, len(st.types))
	for _, u := range st.types {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
