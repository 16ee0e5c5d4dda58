package storage

import (
	"cmp"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// History reads a table's retained events as rows (HistoryColumns): one
// per changed row and commit, in commit order and then by row id, with
// the row before and after the change. A commit that deleted and
// inserted one row id updated it. The after image is the inserted row;
// the before image is the version the commit replaced, the row's latest
// insertion before it among the retained events, or else the row as it
// was in the state where the retained events start (read like a time
// travel read). History of the rows a transaction has not committed is
// not shown.

// HistoryColumns are the columns of t's history: seq, commit_time, txid,
// operation ('INSERT', 'UPDATE' or 'DELETE'), row_id, and before and
// after as records of t's row type (NULL where there is none).
func HistoryColumns(t *catalog.Table) []catalog.Column {
	fields := make([]catalog.RecordField, len(t.Columns))
	for i, c := range t.Columns {
		fields[i] = catalog.RecordField{Name: c.Name, Type: c.Type}
	}
	row := catalog.NamedRecordOf(t.Name, fields)
	return []catalog.Column{
		{Name: "seq", Type: catalog.TypeInt8, NotNull: true},
		{Name: "commit_time", Type: catalog.TypeTimestampTZ, NotNull: true},
		{Name: "txid", Type: catalog.TypeInt8, NotNull: true},
		{Name: "operation", Type: catalog.TypeText, NotNull: true},
		{Name: "row_id", Type: catalog.TypeInt8, NotNull: true},
		{Name: "before", Type: row},
		{Name: "after", Type: row},
	}
}

// historyChange is one row of a table's history.
type historyChange struct {
	seq           uint64
	rowID         int64
	before, after int32 // positions in the image pool, or -1
}

// History returns the history of t (see HistoryColumns): the columns
// cols of it, then a row-id column, as Scan returns a table's rows.
func (s *Snapshot) History(t *catalog.Table, cols []int) (RecordReader, error) {
	ts := s.tableState(t)
	ns := s.store.namespace(t.Schema)
	if ts == nil || ns == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", t.Name)
	}
	hcols := HistoryColumns(t)
	for _, c := range cols {
		if c < 0 || c >= len(hcols) {
			return nil, pgerr.New(pgerr.InternalError, "history of %s: no column %d", t.Name, c)
		}
	}
	cur := ts.manifest
	from := cur.FlushedSeq
	if len(cur.Events) > 0 {
		from = cur.Events[0].FromSeq
	}
	meta := map[uint64]commitMeta{}
	ins, del, err := ns.readEvents(ts, cur.Events, from, cur.FlushedSeq, meta)
	if err != nil {
		return nil, err
	}
	defer releaseTail(ins)
	// Unflushed commits: their times and ids are in the commit log.
	noteCommit := func(seq uint64) {
		if _, ok := meta[seq]; !ok {
			meta[seq], _ = ns.loggedCommit(seq)
		}
	}
	for _, in := range ts.inserts {
		noteCommit(in.seq)
	}
	for _, d := range ts.deletes {
		noteCommit(d.seq)
	}
	for _, in := range ts.inserts {
		rec, err := in.load() // a tail replayed at open may be spilled
		if err != nil {
			return nil, err
		}
		ins = append(ins, tailInsert{seq: in.seq, rec: rec})
	}
	del = append(slices.Clip(del), ts.deletes...)

	// The image pool: every inserted version, then the base rows.
	var pool []arrow.Record
	type version struct {
		seq uint64
		pos int32
	}
	latest := map[int64][]version{} // row id → its inserted versions, ascending
	var n int32
	for _, in := range ins {
		pool = append(pool, in.rec)
		ids := in.rec.Column(int(in.rec.NumCols()) - 1).(*array.Int64).Int64Values()
		for i, id := range ids {
			latest[id] = append(latest[id], version{in.seq, n + int32(i)})
		}
		n += int32(len(ids))
	}
	prior := func(id int64, seq uint64) int32 {
		vs := latest[id]
		i, _ := slices.BinarySearchFunc(vs, seq, func(v version, s uint64) int { return cmp.Compare(v.seq, s) })
		if i == 0 {
			return -1
		}
		return vs[i-1].pos
	}
	// Rows deleted before any retained insertion of theirs were in the
	// base state.
	need := map[int64]bool{}
	for _, d := range del {
		for _, id := range d.ids {
			if prior(id, d.seq) < 0 {
				need[id] = true
			}
		}
	}
	base := map[int64]int32{}
	if len(need) > 0 {
		recs, err := ns.baseRows(ts, from, need)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			pool = append(pool, rec)
			ids := rec.Column(int(rec.NumCols()) - 1).(*array.Int64).Int64Values()
			for i, id := range ids {
				base[id] = n + int32(i)
			}
			n += int32(len(ids))
		}
		defer func() {
			for _, rec := range recs {
				rec.Release()
			}
		}()
	}

	// Pair each commit's deletions and insertions by row id.
	var changes []historyChange
	byKey := map[[2]int64]int{}
	for _, d := range del {
		for _, id := range d.ids {
			before := prior(id, d.seq)
			if before < 0 {
				if p, ok := base[id]; ok {
					before = p
				}
			}
			byKey[[2]int64{int64(d.seq), id}] = len(changes)
			changes = append(changes, historyChange{seq: d.seq, rowID: id, before: before, after: -1})
		}
	}
	for _, in := range ins {
		ids := in.rec.Column(int(in.rec.NumCols()) - 1).(*array.Int64).Int64Values()
		for _, id := range ids {
			pos := prior(id, in.seq+1) // this insertion itself
			if i, ok := byKey[[2]int64{int64(in.seq), id}]; ok {
				changes[i].after = pos
				continue
			}
			changes = append(changes, historyChange{seq: in.seq, rowID: id, before: -1, after: pos})
		}
	}
	slices.SortFunc(changes, func(a, b historyChange) int {
		return cmp.Or(cmp.Compare(a.seq, b.seq), cmp.Compare(a.rowID, b.rowID))
	})
	rec, err := historyRecord(t, hcols, cols, changes, meta, pool)
	if err != nil {
		return nil, err
	}
	return &recordsReader{recs: []arrow.Record{rec}}, nil
}

// commitMeta is a commit's time and transaction id.
type commitMeta struct{ at, txid int64 }

// baseRows reads the rows with the given ids from ts's table as of seq.
func (ns *namespace) baseRows(ts *tableState, seq uint64, ids map[int64]bool) ([]arrow.Record, error) {
	created, err := ns.createdSeq(ts.table.ID)
	if err != nil || seq < created {
		return nil, err
	}
	old, err := ns.tableAsOf(ts, seq, AsOf{Seq: seq, BySeq: true})
	if err != nil {
		return nil, err
	}
	cols := make([]int, len(ts.table.Columns))
	for i := range cols {
		cols[i] = i
	}
	r, err := newScan(ns.store, old, nil, cols, nil)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []arrow.Record
	for {
		rec, err := r.Next()
		if err != nil || rec == nil {
			return out, err
		}
		rids := rec.Column(len(cols)).(*array.Int64).Int64Values()
		var keep []int32
		for i, id := range rids {
			if ids[id] {
				keep = append(keep, int32(i))
			}
		}
		if len(keep) > 0 {
			out = append(out, takeRecord(rec, keep))
		}
	}
}

// historyRecord builds the history rows of changes as one record of the
// columns cols of hcols, then the row id.
func historyRecord(t *catalog.Table, hcols []catalog.Column, cols []int, changes []historyChange, meta map[uint64]commitMeta, pool []arrow.Record) (arrow.Record, error) {
	n := len(changes)
	var images arrow.Record // the pool as one record
	if len(pool) > 0 {
		var err error
		if images, err = concatRecords(pool[0].Schema(), pool); err != nil {
			return nil, err
		}
		defer images.Release()
	}
	image := func(pick func(historyChange) int32, dt arrow.DataType) arrow.Array {
		if images == nil || images.NumRows() == 0 {
			return array.MakeArrayOfNull(memory.DefaultAllocator, dt, n)
		}
		idx := make([]int32, n)
		valid := make([]byte, bitutil.BytesForBits(int64(n)))
		nulls := 0
		for i, c := range changes {
			if p := pick(c); p >= 0 {
				idx[i] = p
				bitutil.SetBit(valid, i)
			} else {
				nulls++
			}
		}
		children := make([]arrow.ArrayData, len(t.Columns))
		for c := range t.Columns {
			a := takeArray(images.Column(c), idx)
			children[c] = a.Data()
			defer a.Release()
		}
		data := array.NewData(dt, n, []*memory.Buffer{memory.NewBufferBytes(valid)}, children, nulls, 0)
		defer data.Release()
		return array.MakeFromData(data)
	}
	fields := make([]arrow.Field, 0, len(cols)+1)
	arrs := make([]arrow.Array, 0, len(cols)+1)
	ids := make([]int64, n)
	for i, c := range changes {
		ids[i] = c.rowID
	}
	for _, c := range cols {
		dt := hcols[c].Type.ArrowType()
		var a arrow.Array
		switch c {
		case 0, 1, 2:
			vals := make([]int64, n)
			for i, ch := range changes {
				m := meta[ch.seq]
				vals[i] = [3]int64{int64(ch.seq), m.at, m.txid}[c]
			}
			a = int64ArrayOf(dt, vals)
		case 3:
			b := array.NewStringBuilder(memory.DefaultAllocator)
			for _, ch := range changes {
				switch {
				case ch.before >= 0 && ch.after >= 0:
					b.Append("UPDATE")
				case ch.after >= 0:
					b.Append("INSERT")
				default:
					b.Append("DELETE")
				}
			}
			a = b.NewArray()
			b.Release()
		case 4:
			a = int64Array(slices.Clone(ids))
		case 5:
			a = image(func(h historyChange) int32 { return h.before }, dt)
		case 6:
			a = image(func(h historyChange) int32 { return h.after }, dt)
		}
		fields = append(fields, arrow.Field{Name: hcols[c].Name, Type: dt, Nullable: !hcols[c].NotNull})
		arrs = append(arrs, a)
	}
	fields = append(fields, arrow.Field{Name: rowIDColumn, Type: arrow.PrimitiveTypes.Int64})
	arrs = append(arrs, int64Array(ids))
	return newOwnedRecord(arrow.NewSchema(fields, nil), arrs, int64(n)), nil
}

// recordsReader yields records it holds, then nil.
type recordsReader struct {
	recs []arrow.Record
	i    int
}

func (r *recordsReader) Next() (arrow.Record, error) {
	if r.i > 0 {
		r.recs[r.i-1].Release()
	}
	if r.i >= len(r.recs) {
		return nil, nil
	}
	r.i++
	return r.recs[r.i-1], nil
}

func (r *recordsReader) Close() {
	for ; r.i < len(r.recs); r.i++ {
		r.recs[r.i].Release()
	}
}
