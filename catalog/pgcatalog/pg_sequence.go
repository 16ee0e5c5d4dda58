package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// pg_sequence: the parameters of every sequence.
var _ = makesRows("pg_sequence", pgSequenceRows)

func pgSequenceRows(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, s := range db.Schemas() {
		for _, q := range db.Sequences(s.Name) {
			rows = append(rows, []catalog.Datum{uint32(q.ID), q.Type.OID(), q.Start, q.Increment, q.Max, q.Min, q.Cache, q.Cycle})
		}
	}
	return rows, nil
}
