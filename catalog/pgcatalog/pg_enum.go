package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// pg_enum: the labels of every enum, each with the OID and sort order
// the catalog gave it.
var _ = makesRows("pg_enum", pgEnumRows)

func pgEnumRows(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, s := range db.Schemas() {
		for _, u := range db.UserTypes(s.Name) {
			for _, l := range u.Labels {
				rows = append(rows, []catalog.Datum{uint32(l.OID), uint32(u.ID), l.SortOrder, l.Label})
			}
		}
	}
	return rows, nil
}
