package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// CopyProgress is one running COPY, as pg_stat_progress_copy shows it.
type CopyProgress struct {
	PID      uint32
	Database string
	RelID    uint32
	Command  string // "COPY FROM" or "COPY TO"
	Type     string // "FILE" (a server file) or "PIPE" (STDIN, STDOUT)
	// BytesTotal is the file's size; 0 when unknown (a pipe).
	BytesProcessed, BytesTotal, TuplesProcessed, TuplesExcluded int64
}

var _ = addsRelation(sessionView("pg_stat_progress_copy", func(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, c := range db.CopyProgress() {
		rows = append(rows, []catalog.Datum{int32(c.PID), uint32(DatabaseOID), c.Database, c.RelID, c.Command, c.Type,
			c.BytesProcessed, c.BytesTotal, c.TuplesProcessed, c.TuplesExcluded})
	}
	return rows, nil
}))
