package planner

import (
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/storage"
)

// systemScan reads a table of pg_catalog or information_schema. Its rows
// are made once per run of the plan, when the scan first opens: a
// correlated subquery over a catalog reopens its scan for every outer
// row, and remaking a catalog's rows each time would cost a whole
// catalog per row (and could see a different catalog mid-statement). The
// record is then read in slices of the statement's batch size.
func (l *lowerer) systemScan(s *Scan) (exec.Operator, error) {
	sys := l.opts.System
	if sys == nil {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "system catalog %s.%s cannot be read here", s.Table.Schema, s.Table.Name)
	}
	rec := sync.OnceValues(func() (arrow.Record, error) { return sys.SystemRecord(s.Table, s.Cols) })
	return l.scanFrom(s, func() (storage.RecordReader, error) {
		r, err := rec()
		if err != nil {
			return nil, err
		}
		return &recordSlices{rec: r, max: int64(1) << 62}, nil
	})
}

// recordSlices reads one record in slices of at most max rows; the record
// stays its owner's.
type recordSlices struct {
	rec  arrow.Record
	max  int64
	at   int64
	last arrow.Record
}

func (r *recordSlices) SetMaxBatchRows(n int) { r.max = int64(n) }

func (r *recordSlices) Next() (arrow.Record, error) {
	r.Close()
	if r.at >= r.rec.NumRows() {
		return nil, nil
	}
	end := min(r.at+r.max, r.rec.NumRows())
	r.last = r.rec.NewSlice(r.at, end)
	r.at = end
	return r.last, nil
}

func (r *recordSlices) Close() {
	if r.last != nil {
		r.last.Release()
		r.last = nil
	}
}
