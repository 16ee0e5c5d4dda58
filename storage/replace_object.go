package storage

import (
	"database/sql"
	"encoding/json"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Replacing definitions in place: COMMENT ON changes a view, an index or
// a schema without changing its id (its OID), its name or anything stored
// under it. A schema's comment is the one property a schema has, kept in
// its objects table under schemaObjectID.

// schemaObjectID is the objects-table id of the namespace's own entry;
// object ids are positive.
const schemaObjectID = -1

// schemaDef is the stored form of a namespace's own properties.
type schemaDef struct {
	Comment string `json:"comment,omitempty"`
}

// AlterView replaces the definition of view v.ID, which keeps its name.
func (t *Txn) AlterView(v *catalog.View) error {
	return t.record(v.Schema, &ddlOp{kind: ddlAlterView, view: v, id: v.ID, name: v.Name})
}

// AlterIndex replaces the definition of index ix.ID, which keeps its name
// and columns.
func (t *Txn) AlterIndex(ix *catalog.Index) error {
	return t.record(ix.Schema, &ddlOp{kind: ddlAlterIndex, index: ix, id: ix.ID, name: ix.Name})
}

// CommentSchema sets the comment of a schema ("" removes it).
func (t *Txn) CommentSchema(schema, comment string) error {
	return t.record(schema, &ddlOp{kind: ddlCommentSchema, name: schema, comment: comment})
}

// applyReplace performs ddlAlterView, ddlAlterIndex or ddlCommentSchema.
func (st *nsState) applyReplace(op *ddlOp) error {
	switch op.kind {
	case ddlAlterView:
		if v := st.views[op.name]; v == nil || v.ID != op.id {
			return pgerr.New(pgerr.UndefinedTable, "view %q does not exist", op.name)
		}
		st.views[op.name] = op.view
	case ddlAlterIndex:
		if ix := st.indexes[op.name]; ix == nil || ix.ID != op.id {
			return pgerr.New(pgerr.UndefinedObject, "index %q does not exist", op.name)
		}
		st.indexes[op.name] = op.index
	case ddlCommentSchema:
		st.comment = op.comment
	}
	return nil
}

// persistSchemaDef stores the namespace's properties when they changed.
func persistSchemaDef(tx *sql.Tx, st, nst *nsState) error {
	if st.comment == nst.comment {
		return nil
	}
	if nst.comment == "" {
		return deleteObject(tx, schemaObjectID)
	}
	return putObject(tx, schemaObjectID, kindSchema, nst.name, schemaDef{Comment: nst.comment})
}

// loadSchemaDef reads a namespace's properties from the objects table.
func loadSchemaDef(st *nsState, def string) error {
	var d schemaDef
	if err := json.Unmarshal([]byte(def), &d); err != nil {
		return err
	}
	st.comment = d.Comment
	return nil
}

// SchemaComment returns the comment of a schema, or "".
func (s *Snapshot) SchemaComment(schema string) string {
	if st := s.spaces[schema]; st != nil {
		return st.comment
	}
	return ""
}
