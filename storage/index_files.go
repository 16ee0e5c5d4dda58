package storage

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// Secondary indexes live beside the segments they index: per segment and
// per index, one immutable index file
//
//	<table-dir>/_index/<index id>-<segment stem>-<tag>.parquet
//
// holding the index's key columns and, in the _row_id column, the
// position in the segment of the row they come from, one row per segment
// row (NULL keys too), sorted by the key (compact_sort.go's order), then
// by position. A key column whose values storage cannot bound or sort
// (orderKeyed: floats, bool, char(n), wide and var-scale numerics,
// interval, jsonb, arrays, ...) holds their order keys instead
// (index_order_keys.go), bytea whose byte order is PostgreSQL's btree
// order, so every btree or hash index over plain columns has files. It
// is written like a segment (writeSegment over the index table,
// indexTable), so it has row-group statistics and a page index whose
// page bounds on the leading key are tight: a lookup decodes the few
// pages whose bounds admit the predicate's values. The manifest's
// segment entry names its index files (Segment.Indexes), so history
// collection deletes them with the segment and the orphan sweep knows
// them.
//
// Index files are written with their segment (flush, compaction), and
// for the segments already there when an index is created, by the writer
// right after the CREATE INDEX commit is published (completeIndexFiles),
// as a new manifest version with the same FlushedSeq, like a
// compaction's. Every later manifest a flush or compaction publishes
// first gives each segment the files of the table's current indexes,
// building missing ones (a crash after the CREATE INDEX commit, a
// compaction that read the table before the index existed) and dropping
// those of dropped indexes. A segment without the file of an index is
// read in full by an index scan, so a missing file costs speed, never a
// row.

// indexDir is the directory of a table's index files.
const indexDir = "_index"

// SegmentIndex names the index file of one secondary index of a segment.
type SegmentIndex struct {
	Index int64  `json:"index"` // catalog.Index.ID
	File  string `json:"file"`  // relative to the table directory
}

// IndexableType reports whether an index file can hold the values of a
// leading key column of type t as they are: they sort in storage and
// their page bounds decode (not floats, whose pages may hide NaN, not
// char(n), whose blanks its comparisons ignore, not fixed-length
// decimals or var-scale numerics, whose pages carry no usable bounds).
// Other leading columns are stored as order keys (orderKeyed).
func IndexableType(t catalog.Type) bool {
	switch t.Kind {
	case catalog.Float4, catalog.Float8, catalog.Bpchar:
		return false
	}
	return SortableType(t) && segmentPageBound(t) != nil
}

// orderKeyed reports whether key column k (0: the leading one) of an
// index, of type t, is stored in index files as its values' order keys
// rather than the values: the leading column when its values cannot be
// searched (IndexableType), another when they do not sort in storage
// (SortableType; those that do are searched by their statistics as any
// segment column is, and files written before order keys existed hold
// them as values).
func orderKeyed(t catalog.Type, k int) bool {
	if k == 0 {
		return !IndexableType(t)
	}
	return !SortableType(t)
}

// IndexFilesKept reports whether storage keeps index files for ix on
// tbl: a btree or hash index over plain columns without a predicate,
// whose key columns are of types with values or order keys to search
// (every type PostgreSQL's btree and hash operator classes take). (An
// index over expressions or with a predicate is still a key constraint
// when unique; see index_keys.go.)
func IndexFilesKept(tbl *catalog.Table, ix *catalog.Index) bool {
	_, ok := indexTable(tbl, ix)
	return ok
}

// indexTable returns the table an index file of ix is written as: the
// key columns in key order (with tbl's types, or bytea for orderKeyed
// ones), sorted by all of them, with _row_id holding positions; ok is
// false when ix gets no files.
func indexTable(tbl *catalog.Table, ix *catalog.Index) (*catalog.Table, bool) {
	if ix.Method != "" && ix.Method != "btree" && ix.Method != "hash" || ix.Predicate != "" || len(ix.Exprs) > 0 || len(ix.Columns) == 0 {
		return nil, false
	}
	t := &catalog.Table{ID: ix.ID, Schema: tbl.Schema, Name: ix.Name}
	for i, name := range ix.Columns {
		c := tbl.ColumnIndex(name)
		if c < 0 {
			return nil, false
		}
		col := tbl.Columns[c]
		typ := col.Type
		if orderKeyed(typ, i) {
			if !orderKeyable(typ) {
				return nil, false
			}
			typ = catalog.TypeBytea
		}
		t.Columns = append(t.Columns, catalog.Column{Name: col.Name, Type: typ, NotNull: columnNotNull(tbl, c)})
		t.SortKey = append(t.SortKey, col.Name)
	}
	return t, true
}

// indexKeySource returns the type of the table column that key column k
// of index table ixt comes from, and whether the file holds its order
// keys.
func indexKeySource(tbl *catalog.Table, ixt *catalog.Table, k int) (catalog.Type, bool) {
	t := tbl.Columns[tbl.ColumnIndex(ixt.Columns[k].Name)].Type
	return t, orderKeyed(t, k)
}

// indexesOf returns the indexes of tbl in st that get index files,
// ordered by id.
func indexesOf(st *nsState, tbl *catalog.Table) []*catalog.Index {
	return slices.DeleteFunc(tableIndexes(st, tbl), func(ix *catalog.Index) bool { return !IndexFilesKept(tbl, ix) })
}

// tableIndexes returns the indexes of tbl in st, ordered by id.
func tableIndexes(st *nsState, tbl *catalog.Table) []*catalog.Index {
	var out []*catalog.Index
	for _, ix := range st.indexes {
		if ix.Table == tbl.Name {
			out = append(out, ix)
		}
	}
	slices.SortFunc(out, func(a, b *catalog.Index) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// indexFile returns the name, relative to the table directory, of a new
// index file of ix for the segment stored in segFile.
func indexFile(ix *catalog.Index, segFile string) string {
	stem := path.Base(segFile)
	stem = stem[:len(stem)-len(path.Ext(stem))]
	return path.Join(indexDir, strconv.FormatInt(ix.ID, 10)+"-"+stem+"-"+newFileTag()+".parquet")
}

// indexFileOf returns the index file of index id of seg, or "".
func (s *Segment) indexFileOf(id int64) string {
	for _, x := range s.Indexes {
		if x.Index == id {
			return x.File
		}
	}
	return ""
}

// writeIndexFiles writes the index files of indexes for seg, whose rows
// are rows (tbl's columns, then _row_id, in the segment's order), and
// lists them in seg.Indexes. It runs before seg is published.
func writeIndexFiles(o *objectStore, prefix string, tbl *catalog.Table, indexes []*catalog.Index, seg *Segment, rows arrow.Record) error {
	for _, ix := range indexes {
		ixt, ok := indexTable(tbl, ix)
		if !ok {
			continue
		}
		cols := make([]arrow.Array, len(ixt.Columns))
		for i, c := range ixt.Columns {
			cols[i] = rows.Column(tbl.ColumnIndex(c.Name))
		}
		rec := indexRecord(tbl, ixt, cols, 0)
		file, err := writeIndexFile(o, prefix, ixt, ix, seg, []arrow.Record{rec})
		rec.Release()
		if err != nil {
			return err
		}
		seg.Indexes = append(seg.Indexes, SegmentIndex{Index: ix.ID, File: file})
	}
	return nil
}

// indexRecord returns a record of index table ixt of tbl: the key
// columns keys (tbl's values) of segment rows from position first on,
// as order keys where ixt holds those, and their positions.
func indexRecord(tbl, ixt *catalog.Table, keys []arrow.Array, first int64) arrow.Record {
	n := keys[0].Len()
	keys = slices.Clone(keys)
	for k := range keys {
		if t, encoded := indexKeySource(tbl, ixt, k); encoded {
			keys[k] = orderKeyArray(keys[k], t)
			defer keys[k].Release()
		}
	}
	pos := array.NewInt64Builder(memory.DefaultAllocator)
	defer pos.Release()
	pos.Reserve(n)
	for i := range n {
		pos.UnsafeAppend(first + int64(i))
	}
	posArr := pos.NewArray()
	defer posArr.Release()
	fields := make([]arrow.Field, 0, len(keys)+1)
	for _, c := range ixt.Columns {
		fields = append(fields, arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true})
	}
	fields = append(fields, arrow.Field{Name: rowIDColumn, Type: arrow.PrimitiveTypes.Int64})
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), append(keys, posArr), int64(n))
}

// writeIndexFile sorts recs (records of ixt, indexRecord) and writes them
// as an index file of ix for seg, whose name it returns.
func writeIndexFile(o *objectStore, prefix string, ixt *catalog.Table, ix *catalog.Index, seg *Segment, recs []arrow.Record) (string, error) {
	sorted, err := sortRows(ixt, recs[0].Schema(), recs)
	if err != nil {
		return "", err
	}
	defer sorted.Release()
	file := indexFile(ix, seg.File)
	sw, err := newSegmentWriter(o, tableFile(prefix, file), ixt, indexRowGroupRows)
	if err == nil {
		sw.sketches = nil // the planner estimates tables, not their indexes
		_, err = sw.writeAll([]arrow.Record{sorted})
	}
	if err != nil {
		return "", fmt.Errorf("index %s of segment %s: %w", ix.Name, seg.File, err)
	}
	return file, nil
}

// indexRowGroupRows is the row group size of index files: one row group
// for any segment pqdb writes (a lookup then consults one page index).
const indexRowGroupRows = 1 << 22

// buildIndexFile writes the index file of ix for seg, a published
// segment of tbl whose objects are under prefix, reading its key columns
// from the file one row group at a time.
func (s *Store) buildIndexFile(prefix string, tbl *catalog.Table, ix *catalog.Index, seg *Segment) (string, error) {
	ixt, ok := indexTable(tbl, ix)
	if !ok {
		return "", fmt.Errorf("index %s gets no index files", ix.Name)
	}
	sf, err := s.files.open(tableFile(prefix, seg.File))
	if err != nil {
		return "", err
	}
	defer sf.release()
	var recs []arrow.Record
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	var first int64
	for _, rg := range sf.pf.RowGroups() {
		rows := int(rg.NumRows())
		keys := make([]arrow.Array, len(ixt.Columns))
		for i, c := range ixt.Columns {
			t, _ := indexKeySource(tbl, ixt, i)
			if leaf, ok := sf.leaves[c.Name]; ok {
				keys[i], err = readColumn(rg, leaf, t)
			} else {
				keys[i] = array.MakeArrayOfNull(memory.DefaultAllocator, t.ArrowType(), rows)
			}
			if err != nil {
				releaseArrays(keys)
				return "", err
			}
		}
		recs = append(recs, indexRecord(tbl, ixt, keys, first))
		releaseArrays(keys)
		first += int64(rows)
	}
	if len(recs) == 0 {
		return "", fmt.Errorf("segment %s has no row group", seg.File)
	}
	return writeIndexFile(s.objects, prefix, ixt, ix, seg, recs)
}

// releaseArrays releases the non-nil arrays of arrs.
func releaseArrays(arrs []arrow.Array) {
	for _, a := range arrs {
		if a != nil {
			a.Release()
		}
	}
}

// completeIndexFiles returns segs with each segment's index files those
// of indexes: missing ones built, those of other (dropped) indexes left
// out. Segments already right are returned as they are; changed is true
// when any is not. It runs on the writer, before a manifest listing the
// result is published.
func (ns *namespace) completeIndexFiles(ts *tableState, indexes []*catalog.Index, segs []*Segment) (out []*Segment, changed bool, err error) {
	out = segs
	for i, seg := range segs {
		if sameIndexFiles(seg, indexes) {
			continue
		}
		withFiles := *seg
		withFiles.Indexes = nil
		for _, ix := range indexes {
			file := seg.indexFileOf(ix.ID)
			if file == "" {
				if file, err = ns.store.buildIndexFile(ts.prefix, ts.table, ix, seg); err != nil {
					return nil, false, fmt.Errorf("build index %s of %s.%s: %w", ix.Name, ns.name, ts.table.Name, err)
				}
			}
			withFiles.Indexes = append(withFiles.Indexes, SegmentIndex{Index: ix.ID, File: file})
		}
		if !changed {
			out, changed = slices.Clone(segs), true
		}
		out[i] = &withFiles
	}
	return out, changed, nil
}

// sameIndexFiles reports whether seg has exactly the files of indexes.
func sameIndexFiles(seg *Segment, indexes []*catalog.Index) bool {
	if len(seg.Indexes) != len(indexes) {
		return false
	}
	for i, ix := range indexes {
		if seg.Indexes[i].Index != ix.ID {
			return false
		}
	}
	return true
}

// syncIndexFiles gives the segments of the tables whose indexes changed
// from base to cur the index files of their current indexes, publishing
// a new manifest version per such table (on the writer, after the
// commit that changed them is published; at open, from an empty base,
// for every table with indexes, before the writer starts). A failure is
// only logged by the caller: the next flush or compaction completes the
// files.
func (ns *namespace) syncIndexFiles(base, cur *nsState) error {
	changed := map[string]bool{}
	for name, ix := range cur.indexes {
		if base.indexes[name] != ix {
			changed[ix.Table] = true
		}
	}
	for name, ix := range base.indexes {
		if cur.indexes[name] != ix {
			changed[ix.Table] = true
		}
	}
	for name := range changed {
		ts := ns.state.Load().tables[name]
		if ts == nil || len(ts.manifest.Segments) == 0 {
			continue
		}
		segs, ok, err := ns.completeIndexFiles(ts, indexesOf(ns.state.Load(), ts.table), ts.manifest.Segments)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		m := *ts.manifest
		m.Segments = segs
		if err := ns.republish(ts, &m); err != nil {
			// The files stay: the manifest may be current on disk. If it
			// is not, the orphan sweep at open removes them.
			return err
		}
	}
	return nil
}
