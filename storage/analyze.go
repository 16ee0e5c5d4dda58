package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/pqdb/pqdb/pgerr"
)

// ANALYZE gives a table the statistics the planner estimates from
// (estimate.go) where its segments lack them. Every segment written
// since distinct-value sketches exist carries one per column from its
// writing (flush, bulk commit, compaction); a segment written before
// has only its bounds and NULL counts, so ANALYZE reads each such
// segment's rows once (off the writer, like a compaction's merge),
// sketches every column, and publishes the table's current manifest
// again with those segments' sketches added (on the writer: a segment
// that a compaction replaced meanwhile is skipped, its replacement has
// its own). No row and no file of data changes; readers are never
// blocked.

// AnalyzeResult tells what Store.Analyze did.
type AnalyzeResult struct {
	// Segments is how many segments were given sketches; Rows is the
	// rows read to make them.
	Segments int
	Rows     int64
}

// Analyze flushes the tail of table schema.name, so that all its
// committed rows are in segments, then sketches the segments that lack
// sketches. It waits for a compaction of the table already running.
func (s *Store) Analyze(schema, name string) (AnalyzeResult, error) {
	var res AnalyzeResult
	ns := s.namespace(schema)
	if ns == nil {
		return res, pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", schema)
	}
	ts := ns.state.Load().tables[name]
	if ts == nil {
		return res, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", name)
	}
	id := ts.table.ID
	if err := ns.do(func() error { return ns.flushTable(id) }); err != nil {
		return res, err
	}
	lock := s.compactor.tableLock(id)
	lock.Lock()
	defer lock.Unlock()
	if ts = ns.state.Load().byID[id]; ts == nil {
		return res, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", name)
	}
	ctx := s.compactor.context()
	sketched := map[string][][]byte{} // by segment file
	for _, seg := range ts.manifest.Segments {
		if !lacksSketches(seg) {
			continue
		}
		sks, err := sketchSegment(ctx, s, ts, seg)
		if err != nil {
			return res, fmt.Errorf("analyze %s.%s: %w", schema, name, err)
		}
		sketched[seg.File] = sks
		res.Rows += seg.Rows - seg.DeletedRows
	}
	if len(sketched) == 0 {
		return res, nil
	}
	err := ns.do(func() error {
		cur := ns.state.Load().byID[id]
		if cur == nil {
			return errCompactionObsolete
		}
		m := *cur.manifest
		m.Segments = slices.Clone(m.Segments)
		for i, seg := range m.Segments {
			sks, ok := sketched[seg.File]
			if !ok || !lacksSketches(seg) {
				continue
			}
			withSketches := *seg
			withSketches.Sketches = sks
			m.Segments[i] = &withSketches
			res.Segments++
		}
		if res.Segments == 0 {
			return nil
		}
		m.decode(cur.table)
		return ns.republish(cur, &m)
	})
	if errors.Is(err, errCompactionObsolete) {
		err = pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", name)
	}
	return res, err
}

// lacksSketches reports whether seg was written before segments carried
// distinct-value sketches (one per column, nil for a column of a type
// that has none).
func lacksSketches(seg *Segment) bool {
	return len(seg.Sketches) != len(seg.Columns)
}

// sketchSegment reads seg's live rows and returns the sketches of its
// columns, aligned with seg.Columns: nil for a column the table no
// longer has or of a type without sketches. It runs off the writer.
func sketchSegment(ctx context.Context, s *Store, ts *tableState, seg *Segment) ([][]byte, error) {
	var cols []int     // table columns read
	var sketches []int // sketches' index in seg.Columns of each read column
	for j, name := range seg.Columns {
		if c := ts.table.ColumnIndex(name); c >= 0 {
			cols = append(cols, c)
			sketches = append(sketches, j)
		}
	}
	sks := make([]*ndvSketch, len(cols))
	for k := range sks {
		sks[k] = new(ndvSketch)
	}
	view := &tableState{table: ts.table, prefix: ts.prefix, schema: ts.schema, manifest: &Manifest{TableID: ts.table.ID, Segments: []*Segment{seg}}}
	r, err := newScan(s, view, nil, cols, nil)
	if err != nil {
		return nil, err
	}
	defer r.leaveSegment()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rec, err := r.nextSegmentRecord()
		if err != nil {
			return nil, err
		}
		if rec == nil {
			break
		}
		for k, sk := range sks {
			sk.addArray(rec.Column(k), 0, int(rec.NumRows()))
		}
		rec.Release()
	}
	out := make([][]byte, len(seg.Columns))
	for k, sk := range sks {
		out[sketches[k]] = sk.marshal()
	}
	return out, nil
}
