package engine

import (
	"context"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// createTableAs runs CREATE TABLE ... AS and SELECT ... INTO: the table
// is created in the transaction and the query's rows go into it. Its tag
// is SELECT n as in PostgreSQL (CREATE TABLE AS without data).
func (s *Session) createTableAs(ctx context.Context, txn *storage.Txn, snap *storage.Snapshot, p *planner.CreateTableAsPlan, params []catalog.Datum, out ResultWriter) (string, error) {
	t := p.Table
	if exists, tag, err := existingRelation(snap, t.Schema, t.Name, p.IfNotExists, "CREATE TABLE AS", out); exists {
		return tag, err
	}
	if p.Temp != nil {
		if err := s.createTempTableSchema(txn, snap, t); err != nil {
			return "", err
		}
	}
	if err := txn.CreateTable(t); err != nil {
		return "", err
	}
	s.noteNewRelfile(txn, t)
	if p.Temp != nil {
		s.noteTempTable(t, p.Temp)
	}
	if !p.WithData {
		return "CREATE TABLE AS", nil
	}
	schema := tableSchema(t)
	var n int64
	err := s.drainDense(ctx, snap, p.Source, params, func(cols []arrow.Array, rows int) error {
		rec := array.NewRecord(schema, cols, int64(rows))
		defer rec.Release()
		n += int64(rows)
		return txn.Insert(t, rec)
	})
	if err != nil {
		return "", err
	}
	return "SELECT " + strconv.FormatInt(n, 10), nil
}

// truncate empties the tables of a TRUNCATE by deleting every live row,
// and with RESTART IDENTITY restarts the sequences their columns own.
func (s *Session) truncate(txn *storage.Txn, snap *storage.Snapshot, p *planner.TruncatePlan, out ResultWriter) (string, error) {
	tables, err := s.truncateReferenced(snap, p.Tables, p.Cascade, out)
	if err != nil {
		return "", err
	}
	for _, t := range tables {
		r, err := snap.Scan(t, nil, nil)
		if err != nil {
			return "", err
		}
		var ids []int64
		for {
			rec, err := r.Next()
			if err != nil {
				r.Close()
				return "", err
			}
			if rec == nil {
				break
			}
			ids = append(ids, rec.Column(int(rec.NumCols())-1).(*array.Int64).Int64Values()...)
		}
		r.Close()
		if err := txn.Delete(t, ids); err != nil {
			return "", err
		}
		s.noteNewRelfile(txn, t)
		if !p.RestartIdentity {
			continue
		}
		for _, q := range snap.Sequences(t.Schema) {
			if q.OwnedTable == t.Name {
				if err := txn.RestartSequence(q.Schema, q.Name, q.Start); err != nil {
					return "", err
				}
			}
		}
	}
	return "TRUNCATE TABLE", nil
}
