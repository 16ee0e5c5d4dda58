package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// information_schema.sequences: the sequences, but for those of identity
// columns (which PostgreSQL ties to their column by an internal
// dependency and leaves out); serial's are listed.

var _ = addsRelation(&Relation{OID: 13386, Schema: InformationSchema, Name: "sequences", Columns: informationSchemaColumns["sequences"], rows: sequencesRows})

func sequencesRows(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, s := range visibleSchemas(db) {
		tables := db.Tables(s.Name)
		for _, q := range db.Sequences(s.Name) {
			if identityOwner(tables, q) {
				continue
			}
			ct := typeOf(q.Type, nil)
			rows = append(rows, []catalog.Datum{db.DatabaseName(), s.Name, q.Name, ct.dataType, ct.numericPrecision,
				ct.numericRadix, ct.numericScale, int8Text(q.Start), int8Text(q.Min), int8Text(q.Max),
				int8Text(q.Increment), yesNo(q.Cycle)})
		}
	}
	return rows, nil
}

// identityOwner reports whether sequence q belongs to an identity column
// of tables.
func identityOwner(tables []*catalog.Table, q *catalog.Sequence) bool {
	if q.OwnedTable == "" {
		return false
	}
	for _, t := range tables {
		if t.Name == q.OwnedTable {
			if k := t.ColumnIndex(q.OwnedColumn); k >= 0 {
				return t.Columns[k].Identity != ""
			}
		}
	}
	return false
}
