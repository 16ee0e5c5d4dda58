package iceberg

import (
	"encoding/json"

	ice "github.com/apache/iceberg-go"
)

// nameMappingProperty is the table property that tells readers how to
// find a field in a data file without field ids: by its name. pqdb's
// segments have no Parquet field ids, so every reader depends on it.
const nameMappingProperty = "schema.name-mapping.default"

// schemaOf is the Iceberg schema of cols, with id.
func schemaOf(id int, cols []Column) (*ice.Schema, error) {
	fields := make([]ice.NestedField, len(cols))
	for i, c := range cols {
		t, err := c.Type.iceberg(c.FieldID)
		if err != nil {
			return nil, err
		}
		fields[i] = ice.NestedField{ID: c.FieldID, Name: c.Name, Type: t, Required: c.Required}
	}
	return ice.NewSchema(id, fields...), nil
}

// RowIDFieldID is the field id the name mapping gives the segments'
// _row_id column. A reader must be able to give every column of a
// data file an id or skip it: iceberg-go refuses a file with a column
// that has neither a Parquet field id nor a name in the mapping. The
// id is the one Iceberg reserves for _row_id, the row-lineage column
// of format v3, whose meaning pqdb's row id has: unique in the table
// and kept by an update. No v2 reader selects it, so it is skipped.
const RowIDFieldID = 2147483540

// ElementFieldID is the field id of the element of the list column with
// field id id: above every column's (a table has at most 1,600), below
// RowIDFieldID.
func ElementFieldID(id int) int { return 1_000_000 + id }

// rowIDColumn is the name of pqdb's row id column in segments.
const rowIDColumn = "_row_id"

// nameMapping is the JSON of the name mapping of a table: each field
// id to the one name its column has in the segments, for the schema's
// columns, the ignored ones and _row_id. A table's segments never hold
// a column under another name or id than its current definition
// (pqdb rewrites a table into a new location to add, drop, rename or
// retype a column), so the mapping of the current columns is the
// mapping of every file.
func nameMapping(cols []Column, ignored []IgnoredColumn) (string, error) {
	m := make(ice.NameMapping, 0, len(cols)+len(ignored)+1)
	add := func(name string, id int, list bool) {
		f := ice.MappedField{Names: []string{name}, FieldID: &id}
		if list {
			// Readers that convert a data file's whole schema (iceberg-go)
			// need the element's id too, in the columns left out as well.
			eid := ElementFieldID(id)
			f.Fields = []ice.MappedField{{Names: []string{"element"}, FieldID: &eid}}
		}
		m = append(m, f)
	}
	for _, c := range cols {
		add(c.Name, c.FieldID, c.Type.list)
	}
	for _, c := range ignored {
		add(c.Name, c.FieldID, c.List)
	}
	add(rowIDColumn, RowIDFieldID, false)
	b, err := json.Marshal(m)
	return string(b), err
}
