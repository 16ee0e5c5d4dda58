package storage

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// tailInsert is a batch of rows not yet flushed to Parquet: the table's
// columns followed by the row-id column, inserted at commit seq.
type tailInsert struct {
	seq uint64
	rec arrow.Record
	// spilled, set only in a transaction's pending rows (and in the
	// never published state a bulk commit flushes: bulk_commit.go),
	// locates the batch in the transaction's spill file; rec is nil then
	// (see pending_spill.go: read such batches with load).
	spilled *spilledBatch
	// bounds, set for a committed batch, are its columns' statistics,
	// which let a scan skip it (tail_bounds.go); nil: never skipped.
	bounds *tailBounds
	// lead are those of the table's leading key column, inline.
	lead leadBounds
}

// tailDelete deletes the versions of ids written before seq. ids is sorted.
type tailDelete struct {
	seq uint64
	ids []int64
}

// tableState is one table in one committed state of its namespace. It is
// never modified after publication: a commit that changes the table makes
// a new tableState. inserts and deletes are append-only slices shared with
// older states, which read only up to their own lengths.
type tableState struct {
	table *catalog.Table
	// prefix is the key prefix of the table's objects:
	// <schema-dir>/<table-id> (objects.go).
	prefix   string
	schema   *arrow.Schema // of tail records: table columns, then _row_id
	manifest *Manifest
	inserts  []tailInsert
	deletes  []tailDelete
	tailRows int64 // rows inserted plus ids deleted since the last flush
	// deletionsCache keeps the index of deletes that scans share
	// (tail_deletions.go); copies of the state share it.
	deletionsCache *tailDeletionsCache
	// scanSchemas keeps the schema scans last built (scan_schema.go);
	// copies of the state share it too.
	scanSchemas *scanSchemaCache
}

func newTableState(nsPrefix string, tbl *catalog.Table) *tableState {
	return &tableState{
		table:    tbl,
		prefix:   nsPrefix + "/" + strconv.FormatInt(tbl.ID, 10),
		schema:   tailSchema(tbl),
		manifest: &Manifest{TableID: tbl.ID},

		deletionsCache: &tailDeletionsCache{},
		scanSchemas:    &scanSchemaCache{},
	}
}

// tableFile is the key of file (a manifest's relative name: a segment,
// deletion vector or event file) of the table whose objects are under
// prefix. Both are clean, so they are joined without path.Join's Clean,
// which cost a point lookup more than a percent: it reaches this for
// every segment.
func tableFile(prefix, file string) string {
	return prefix + "/" + file
}

// tailSchema is the Arrow schema of tail records of tbl.
func tailSchema(tbl *catalog.Table) *arrow.Schema {
	fields := make([]arrow.Field, 0, len(tbl.Columns)+1)
	for i, c := range tbl.Columns {
		fields = append(fields, arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: !columnNotNull(tbl, i)})
	}
	fields = append(fields, arrow.Field{Name: rowIDColumn, Type: arrow.PrimitiveTypes.Int64})
	return arrow.NewSchema(fields, nil)
}

// nsState is the committed state of one namespace at commit seq: its
// catalog and every table's data. Like tableState it is immutable once
// published; readers hold it without locks.
type nsState struct {
	name string
	// prefix is the key prefix of its tables' objects: the schema's
	// directory name.
	prefix  string
	seq     uint64
	tables  map[string]*tableState
	byID    map[int64]*tableState
	views   map[string]*catalog.View
	indexes map[string]*catalog.Index
	// sequences holds sequence definitions by name; their values live
	// outside the state (see sequence_values.go).
	sequences map[string]*catalog.Sequence
	// types holds the enums and domains by name (see user_type.go).
	types   map[string]*catalog.UserType
	comment string // COMMENT ON SCHEMA
	// oid is the schema's pg_namespace OID, fixed when it is created
	// (schema_oid.go).
	oid uint32
}

func newNSState(name, prefix string) *nsState {
	return &nsState{
		name:      name,
		prefix:    prefix,
		tables:    map[string]*tableState{},
		byID:      map[int64]*tableState{},
		views:     map[string]*catalog.View{},
		indexes:   map[string]*catalog.Index{},
		sequences: map[string]*catalog.Sequence{},
		types:     map[string]*catalog.UserType{},
	}
}

// clone returns a shallow copy whose maps may be modified.
func (st *nsState) clone() *nsState {
	c := *st
	c.tables = make(map[string]*tableState, len(st.tables)+1)
	for k, v := range st.tables {
		c.tables[k] = v
	}
	c.byID = make(map[int64]*tableState, len(st.byID)+1)
	for k, v := range st.byID {
		c.byID[k] = v
	}
	c.views = make(map[string]*catalog.View, len(st.views))
	for k, v := range st.views {
		c.views[k] = v
	}
	c.indexes = make(map[string]*catalog.Index, len(st.indexes))
	for k, v := range st.indexes {
		c.indexes[k] = v
	}
	c.sequences = make(map[string]*catalog.Sequence, len(st.sequences))
	for k, v := range st.sequences {
		c.sequences[k] = v
	}
	c.types = make(map[string]*catalog.UserType, len(st.types))
	for k, v := range st.types {
		c.types[k] = v
	}
	return &c
}

// relationExists reports whether a table, view, index or sequence is
// named name: they share one namespace, as in Postgres' pg_class.
func (st *nsState) relationExists(name string) bool {
	return st.tables[name] != nil || st.views[name] != nil || st.indexes[name] != nil || st.sequences[name] != nil
}

// empty reports whether the namespace holds no objects.
func (st *nsState) empty() bool {
	return len(st.tables) == 0 && len(st.views) == 0 && len(st.indexes) == 0 && len(st.sequences) == 0 && len(st.types) == 0
}

// ddlKind enumerates catalog changes.
type ddlKind uint8

const (
	ddlCreateTable ddlKind = iota + 1
	ddlDropTable
	ddlCreateView
	ddlDropView
	ddlCreateIndex
	ddlDropIndex
	// ddlDropSchema and ddlCreateSchema mark, in a transaction's list of
	// a schema's operations, where it dropped the schema and created it
	// anew. They never reach a writer: Commit turns them into dropping
	// and creating namespaces (see schemaPlan), and apply ignores them.
	ddlDropSchema
	ddlCreateSchema
	ddlCreateSequence
	ddlAlterSequence
	ddlDropSequence
	// ddlAlterTable and ddlRewriteTable change a table's definition (see
	// alter_table.go).
	ddlAlterTable
	ddlRewriteTable
	// ddlAlterView, ddlAlterIndex and ddlCommentSchema replace
	// definitions in place (see replace_object.go).
	ddlAlterView
	ddlAlterIndex
	ddlCommentSchema
	// ddlCreateType, ddlAlterType and ddlDropType change enums and
	// domains (see user_type.go).
	ddlCreateType
	ddlAlterType
	ddlDropType
)

// ddlOp is one catalog change of a transaction.
type ddlOp struct {
	kind  ddlKind
	table *catalog.Table
	view  *catalog.View
	index *catalog.Index
	seq   *catalog.Sequence // created or altered; a copy the caller cannot change
	utype *catalog.UserType // created or altered; a copy the caller cannot change
	id    int64             // of the dropped (or altered) object
	name  string
	// renamed maps old column names to new ones (ddlAlterTable,
	// ddlRewriteTable).
	renamed map[string]string
	comment string // ddlCommentSchema
}

// apply performs op on st (a clone), checking it against the objects
// that exist there. The same check runs when the transaction records the
// change and again in the writer at commit, against the state then.
func (st *nsState) apply(op *ddlOp) error {
	switch op.kind {
	case ddlCreateTable:
		if st.relationExists(op.table.Name) {
			return pgerr.New(pgerr.DuplicateTable, "relation %q already exists", op.table.Name)
		}
		if err := st.relationTypeTaken(op.table.Name); err != nil {
			return err
		}
		ts := newTableState(st.prefix, op.table)
		st.tables[op.table.Name] = ts
		st.byID[op.table.ID] = ts
	case ddlDropTable:
		ts := st.tables[op.name]
		if ts == nil || (op.id != 0 && ts.table.ID != op.id) {
			return pgerr.New(pgerr.UndefinedTable, "table %q does not exist", op.name)
		}
		delete(st.tables, op.name)
		delete(st.byID, ts.table.ID)
		for name, ix := range st.indexes {
			if ix.Table == op.name {
				delete(st.indexes, name)
			}
		}
		st.dropOwnedSequences(op.name)
	case ddlCreateView:
		if st.relationExists(op.view.Name) {
			return pgerr.New(pgerr.DuplicateTable, "relation %q already exists", op.view.Name)
		}
		if err := st.relationTypeTaken(op.view.Name); err != nil {
			return err
		}
		st.views[op.view.Name] = op.view
	case ddlDropView:
		v := st.views[op.name]
		if v == nil || (op.id != 0 && v.ID != op.id) {
			return pgerr.New(pgerr.UndefinedTable, "view %q does not exist", op.name)
		}
		delete(st.views, op.name)
	case ddlCreateIndex:
		if st.relationExists(op.index.Name) {
			return pgerr.New(pgerr.DuplicateTable, "relation %q already exists", op.index.Name)
		}
		if st.tables[op.index.Table] == nil {
			return pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", op.index.Table)
		}
		st.indexes[op.index.Name] = op.index
	case ddlDropIndex:
		ix := st.indexes[op.name]
		if ix == nil || (op.id != 0 && ix.ID != op.id) {
			return pgerr.New(pgerr.UndefinedObject, "index %q does not exist", op.name)
		}
		delete(st.indexes, op.name)
	case ddlCreateSequence, ddlAlterSequence, ddlDropSequence:
		return st.applySequence(op)
	case ddlAlterTable, ddlRewriteTable:
		return st.applyAlterTable(op)
	case ddlAlterView, ddlAlterIndex, ddlCommentSchema:
		return st.applyReplace(op)
	case ddlCreateType, ddlAlterType, ddlDropType:
		return st.applyType(op)
	}
	return nil
}
