package storage

import (
	"bytes"
	"errors"
	"io"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/pqdb/pqdb/catalog"
)

// Segments write byte-string columns (text, varchar, name, bytea, enums)
// dictionary encoded: each column chunk holds a dictionary page of its
// distinct values and data pages of codes into it, unless the dictionary
// outgrew the writer's limit and the chunk fell back to plain pages. A
// comparison predicate (=, IN, <, <=, >, >=: LIKE 'prefix%' arrives as a
// range) on such a chunk is decided on the dictionary's values once per
// chunk, not on every row:
//
//   - The dictionary is read (through the segment cache) after the
//     statistics, bloom filter and page index left the row group, and
//     when no dictionary value satisfies the predicate the row group is
//     skipped (counted as RowGroupsDictionarySkipped among
//     RowGroupsSkipped).
//   - Otherwise the flags of the codes whose values satisfy it are kept,
//     and before the other columns are decoded the predicate's column is
//     read as codes only: rows whose code is not flagged (and NULL rows,
//     which satisfy no comparison) are dropped from the row ranges the
//     group reads (RowsDictionaryFiltered), and the column itself is
//     gathered from the dictionary for the surviving rows alone, so the
//     values of rejected rows are never copied. The other columns then
//     decode only the pages holding surviving rows, cut to those rows
//     (byte strings copying only theirs: range_decode.go). When more
//     than half the rows match (judged after codeSample rows, and at the
//     end), cutting them out of every column would cost more than the
//     executor's filter saves, and the pass gives up: the group is read
//     as it would be without it.
//
// Only a chunk whose page encoding statistics show every data page
// dictionary encoded is filtered this way. Byte strings compare
// byte-wise under every collation pqdb has, so a value the predicate
// rejects fails the executor's filter too, which still runs on every row
// a scan returns. Options.NoPruning and Options.NoDictionaryFilter turn
// it off.

var (
	errPageLevels      = errors.New("page holds fewer values than its definition levels")
	errDictionaryIndex = errors.New("dictionary index out of range")
	// errCodesGiveUp stops a codeSelector's pass over the pages.
	errCodesGiveUp = errors.New("the codes do not pay")
)

// codeSample is the rows a codeSelector takes before it judges whether
// more than half of them matching makes it give up.
const codeSample = 4096

// dictionaryFilter is the verdict of one predicate on the dictionary of
// its column's chunk in the current row group: match[code] tells whether
// the code's value satisfies the predicate.
type dictionaryFilter struct {
	leaf  int
	t     catalog.Type
	match []bool
}

// dictionaryFilterable reports whether a predicate with op on a column of
// type t can be decided on the values of the column's dictionary.
func dictionaryFilterable(t catalog.Type, op CompareOp) bool {
	switch op {
	case Eq, In, Lt, Le, Gt, Ge:
	default:
		return false // IS [NOT] NULL: the dictionary holds no NULLs
	}
	switch t.Kind {
	case catalog.Text, catalog.Varchar, catalog.Name, catalog.Bytea, catalog.Enum:
	case catalog.Bpchar:
		// Only equalities reach here (bpchar_predicate.go), on padded
		// values.
	default:
		return false
	}
	if layoutOf(t) != physBytes || domainOf(t) != domBytes {
		return false
	}
	id := t.ArrowType().ID()
	return id == arrow.STRING || id == arrow.BINARY
}

// allDictionaryPages reports whether the column chunk md has a dictionary
// page and its page encoding statistics show every data page dictionary
// encoded; a chunk that fell back to plain pages, or whose writer left
// the statistics out, is not.
func allDictionaryPages(md *format.ColumnMetaData) bool {
	if md.DictionaryPageOffset <= 0 || md.DictionaryPageOffset >= md.DataPageOffset || len(md.EncodingStats) == 0 {
		return false
	}
	dict := false
	for _, s := range md.EncodingStats {
		switch s.PageType {
		case format.DictionaryPage:
			dict = dict || s.Count > 0
		case format.DataPage, format.DataPageV2:
			if s.Count > 0 && s.Encoding != format.RLEDictionary && s.Encoding != format.PlainDictionary {
				return false
			}
		}
	}
	return dict
}

// dictionaryMatches flags the dictionary values (data, split at offs) that
// satisfy p, a comparison in the byte-string domain: each value is
// checked as a page of one row whose min and max are the value, which
// excludes decides exactly.
func dictionaryMatches(p *boundedPredicate, data []byte, offs []uint32) []bool {
	n := len(offs) - 1
	match := make([]bool, max(n, 0))
	for k := range n {
		v := bound{b: data[offs[k]:offs[k+1]]}
		cb := columnBounds{rows: 1, has: true, min: v, max: v}
		match[k] = !p.excludes(&cb)
	}
	return match
}

// dictionaryFilters reads the dictionaries of the predicates' columns in
// row group g of the current segment file (cols from pruneColumns) and
// keeps their verdicts in r.dictFilters for narrow; skip is true when a
// dictionary holds no value its predicate admits.
func (r *scanReader) dictionaryFilters(g int, rg parquet.RowGroup, cols []pruneColumn) (skip bool, err error) {
	if r.store.opts.NoDictionaryFilter {
		return false, nil
	}
	md := r.file.pf.Metadata()
	chunks := rg.ColumnChunks()
	start := len(r.dictFilters)
	for i := range r.preds {
		p := &r.preds[i]
		t := r.ts.table.Columns[p.column].Type
		leaf := cols[i].leaf
		if leaf < 0 || leaf >= len(chunks) || g >= len(md.RowGroups) || !dictionaryFilterable(t, p.op) {
			continue
		}
		cmd := &md.RowGroups[g].Columns[leaf].MetaData
		if !allDictionaryPages(cmd) {
			continue
		}
		chunk, ok := chunks[leaf].(*parquet.FileColumnChunk)
		if !ok {
			continue
		}
		match, err := readDictionaryMatches(chunk, cmd, r.file.reader(r.counts), r.counts, p)
		if err != nil {
			return false, err
		}
		if match == nil {
			continue
		}
		// Predicates on one column (a range's two ends) make one filter.
		f := r.dictionaryFilterOf(leaf, t, start)
		if f == nil {
			r.dictFilters = append(r.dictFilters, dictionaryFilter{leaf: leaf, t: t, match: match})
			f = &r.dictFilters[len(r.dictFilters)-1]
		} else if len(f.match) == len(match) {
			for k, m := range match {
				f.match[k] = f.match[k] && m
			}
		}
		if !slices.Contains(f.match, true) {
			r.dictFilters = r.dictFilters[:start]
			r.counts.dictionarySkip()
			return true, nil
		}
	}
	// When every value matches, only NULL rows fail: not worth a pass
	// over the codes.
	r.dictFilters = slices.DeleteFunc(r.dictFilters, func(f dictionaryFilter) bool { return !slices.Contains(f.match, false) })
	return false, nil
}

// dictionaryFilterOf returns the filter of column leaf among
// r.dictFilters[start:], or nil.
func (r *scanReader) dictionaryFilterOf(leaf int, t catalog.Type, start int) *dictionaryFilter {
	for i := start; i < len(r.dictFilters); i++ {
		if f := &r.dictFilters[i]; f.leaf == leaf && f.t == t {
			return f
		}
	}
	return nil
}

// readDictionaryMatches reads the dictionary page of chunk (its metadata
// md) through file, which it reads no further than the first data page,
// and flags its values that satisfy p; nil when it has no dictionary.
func readDictionaryMatches(chunk *parquet.FileColumnChunk, md *format.ColumnMetaData, file io.ReaderAt, counts *ScanCounts, p *boundedPredicate) ([]bool, error) {
	pages := chunk.PagesFrom(&countingFile{r: file, limit: md.DataPageOffset, counts: counts})
	defer pages.Close()
	dict, err := pages.ReadDictionary()
	if err != nil || dict == nil {
		return nil, err
	}
	data, offs := dictionaryValues(dict)
	return dictionaryMatches(p, data, offs), nil
}

// codeSelector consumes data pages of a dictionary-encoded column chunk,
// the first at row row: it keeps the rows of from (sorted, disjoint row
// ranges) whose code is flagged in match, gathering their values.
type codeSelector struct {
	match []bool
	// verdicts is match as 0 and 1 (selectInRange); short and
	// shortLen are the matching values of the chunk's dictionary,
	// padded, when shortFit (shortValues).
	verdicts     []uint8
	short        [][16]byte
	shortLen     []uint8
	shortChecked bool
	shortFit     bool
	from         []rowRange

	row  int64 // the row of the next page's first value
	j    int   // the range of from that row is in or before
	base int   // rows of from before range j
	n    int   // rows consumed, for decodeRun
	seen int   // rows of from in the pages consumed

	keep    []int32 // positions in from's rows of the kept rows
	ranges  []rowRange
	offsets []int32
	data    []byte
}

func (s *codeSelector) decodedRows() int { return s.n }

// reserve sizes the selector's lists for rows rows taken uniformly from
// the dictionary, with a quarter to spare: one allocation each where
// appending would copy them a dozen times over a row group.
func (s *codeSelector) reserve(rows int64) {
	matched := 0
	for _, m := range s.match {
		if m {
			matched++
		}
	}
	n := int(rows*int64(matched)/int64(max(len(s.match), 1))*5/4) + 16
	// A range starts at each kept row that follows a dropped one.
	runs := int(int64(n)*int64(len(s.match)-matched)/int64(max(len(s.match), 1))) + 16
	s.keep = make([]int32, 0, n)
	s.ranges = make([]rowRange, 0, runs)
	s.offsets = make([]int32, 1, n+1)
}

func (s *codeSelector) page(page parquet.Page) error {
	rows := int(page.NumValues())
	start := s.row
	s.row += int64(rows)
	s.n += rows
	dc := page.Dictionary()
	if dc == nil {
		return errCodesGiveUp // a plain page
	}
	dictData, dictOffs := dictionaryValues(dc)
	if len(dictOffs)-1 != len(s.match) {
		return errCodesGiveUp // not the dictionary the verdicts are about
	}
	if s.data == nil {
		// As many values as reserve expects, of the matching values'
		// mean length.
		size, matched := 0, 0
		for code, m := range s.match {
			if m {
				size += int(dictOffs[code+1] - dictOffs[code])
				matched++
			}
		}
		s.data = make([]byte, 0, cap(s.keep)*size/max(matched, 1))
	}
	vals := page.Data()
	codes := vals.Int32()
	defs := page.DefinitionLevels()
	for s.j < len(s.from) && start >= s.from[s.j].hi {
		s.base += int(s.from[s.j].hi - s.from[s.j].lo)
		s.j++
	}
	// (A nullable column's page has levels even when it holds no NULL.)
	if (len(defs) == 0 || bytes.IndexByte(defs, 0) < 0) && len(codes) == rows {
		// The page's rows in each range of from that overlaps it.
		end := start + int64(rows)
		for s.j < len(s.from) && s.from[s.j].lo < end {
			lo, hi := max(start, s.from[s.j].lo), min(end, s.from[s.j].hi)
			if err := s.selectInRange(lo, codes[lo-start:hi-start], dictData, dictOffs); err != nil {
				return err
			}
			if s.from[s.j].hi > end {
				break // the range goes on in the next page
			}
			s.base += int(s.from[s.j].hi - s.from[s.j].lo)
			s.j++
		}
	} else if err := s.selectRows(start, rows, codes, defs, dictData, dictOffs); err != nil {
		return err
	}
	s.seen += int(rangeOverlap(s.from, start, start+int64(rows)))
	if s.seen >= codeSample && len(s.keep) > s.seen/2 {
		return errCodesGiveUp // most rows match: see selectByCodes
	}
	return nil
}

// selectInRange is page's loop for the rows of a page without NULLs
// that lie in one range of from (the whole page when from is the whole
// row group): codes are theirs, from row start on, and s.j is their
// range. Whether a row matches is the data here, not a branch: a
// third of the rows matching (TPC-H Q12's two ship modes of seven)
// mispredicted a branch on every other row. Every row's position is
// written and the count advances by its code's verdict; the kept rows'
// ranges and values follow from the positions.
func (s *codeSelector) selectInRange(start int64, codes []int32, dictData []byte, dictOffs []uint32) error {
	if len(s.verdicts) != len(s.match) {
		s.verdicts = make([]uint8, len(s.match))
		for k, m := range s.match {
			if m {
				s.verdicts[k] = 1
			}
		}
	}
	verdicts := s.verdicts
	first := len(s.keep)
	keep := slices.Grow(s.keep, len(codes))[:first+len(codes)]
	out := keep[first:]
	pos := int32(s.base + int(start-s.from[s.j].lo))
	n := 0
	for i, code := range codes {
		if uint(code) >= uint(len(verdicts)) {
			return errDictionaryIndex
		}
		out[n] = pos + int32(i)
		n += int(verdicts[code])
	}
	s.keep = keep[:first+n]
	// A kept row at position p is row start + (p - pos).
	for _, p := range out[:n] {
		row := start + int64(p-pos)
		if k := len(s.ranges); k > 0 && s.ranges[k-1].hi == row {
			s.ranges[k-1].hi++
		} else {
			s.ranges = append(s.ranges, rowRange{row, row + 1})
		}
	}
	if s.shortValues(dictData, dictOffs) {
		// Each value one 16-byte store into the slack past the data,
		// which then grows by its length: a call to copy per row cost
		// more than the rest of the selection.
		data := slices.Grow(s.data, n*16+16)
		for _, p := range out[:n] {
			code := codes[p-pos]
			at := len(data)
			*(*[16]byte)(data[at : at+16]) = s.short[code]
			data = data[:at+int(s.shortLen[code])]
			s.offsets = append(s.offsets, int32(len(data)))
		}
		s.data = data
		return nil
	}
	for _, p := range out[:n] {
		code := codes[p-pos]
		s.data = append(s.data, dictData[dictOffs[code]:dictOffs[code+1]]...)
		s.offsets = append(s.offsets, int32(len(s.data)))
	}
	return nil
}

// shortValues prepares s.short and s.shortLen, the matching dictionary
// values padded to 16 bytes, and reports whether every one fits. The
// chunk has one dictionary: its first page decides for all.
func (s *codeSelector) shortValues(dictData []byte, dictOffs []uint32) bool {
	if s.shortChecked {
		return s.shortFit
	}
	s.shortChecked = true
	s.short, s.shortLen = make([][16]byte, len(s.match)), make([]uint8, len(s.match))
	for code, m := range s.match {
		if !m {
			continue
		}
		v := dictData[dictOffs[code]:dictOffs[code+1]]
		if len(v) > 16 {
			return false
		}
		copy(s.short[code][:], v)
		s.shortLen[code] = uint8(len(v))
	}
	s.shortFit = true
	return true
}

// selectRows is page's loop for any page: rows rows from start, their
// codes (one per non-NULL row) and levels (none: no NULL).
func (s *codeSelector) selectRows(start int64, rows int, codes []int32, defs []byte, dictData []byte, dictOffs []uint32) error {
	c := 0 // codes of the page's values before row i
	for i := range rows {
		if len(defs) > 0 && defs[i] == 0 {
			continue // NULL: satisfies no comparison
		}
		if c >= len(codes) {
			return errPageLevels
		}
		code := codes[c]
		c++
		if code < 0 || int(code) >= len(s.match) {
			return errDictionaryIndex
		}
		if !s.match[code] {
			continue
		}
		row := start + int64(i)
		for s.j < len(s.from) && row >= s.from[s.j].hi {
			s.base += int(s.from[s.j].hi - s.from[s.j].lo)
			s.j++
		}
		if s.j == len(s.from) || row < s.from[s.j].lo {
			continue // in a page read, not in a range asked for
		}
		s.keep = append(s.keep, int32(s.base+int(row-s.from[s.j].lo)))
		if n := len(s.ranges); n > 0 && s.ranges[n-1].hi == row {
			s.ranges[n-1].hi++
		} else {
			s.ranges = append(s.ranges, rowRange{row, row + 1})
		}
		s.data = append(s.data, dictData[dictOffs[code]:dictOffs[code+1]]...)
		s.offsets = append(s.offsets, int32(len(s.data)))
	}
	return nil
}

// rangeOverlap is the number of rows of ranges (sorted, disjoint) in
// [lo, hi).
func rangeOverlap(ranges []rowRange, lo, hi int64) int64 {
	i := firstEndingAfter(ranges, 0, lo)
	var n int64
	for ; i < len(ranges) && ranges[i].lo < hi; i++ {
		n += min(ranges[i].hi, hi) - max(ranges[i].lo, lo)
	}
	return n
}

// column is the gathered values of the kept rows, as an array of type dt
// (a string or binary type) without NULLs.
func (s *codeSelector) column(dt arrow.DataType) arrow.Array {
	data := array.NewData(dt, len(s.keep), []*memory.Buffer{nil, memory.NewBufferBytes(int32Bytes(s.offsets)), memory.NewBufferBytes(s.data)}, nil, 0, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// selectByCodes narrows rr's row ranges to the rows whose code in the
// column of f is flagged, decoding that column's codes over the pages
// holding rr's ranges, and keeps the column, gathered for those rows, for
// readColumn. ok is false when the chunk has no page index, turns out
// to hold a plain page, or more than half the rows match: then nothing
// changes.
func (rr *rowGroupReader) selectByCodes(f *dictionaryFilter) (ok bool, err error) {
	rows := rr.rg.NumRows()
	from := rr.ranges
	if from == nil {
		from = []rowRange{{0, rows}}
	}
	locs := pageLocations(rr.pf, rr.g, f.leaf)
	chunk, isFile := rr.rg.ColumnChunks()[f.leaf].(*parquet.FileColumnChunk)
	if locs == nil || !isFile {
		return false, nil
	}
	runs := pageRuns(locs, from, rows)
	sel := codeSelector{match: f.match, from: from}
	sel.reserve(rangeRows(from))
	read := 0
	for _, run := range runs {
		sel.row = run.lo
		if err := rr.decodeRun(&sel, chunk, locs, run); err != nil {
			if errors.Is(err, errCodesGiveUp) {
				return false, nil
			}
			return false, err
		}
		read += run.last - run.first + 1
	}
	rr.counts.pages(read, len(locs)-read)
	total := rangeRows(from)
	if int64(len(sel.keep)) > total/2 {
		// Cutting most rows out of every column costs more than the
		// few dropped save: the column is decoded as usual.
		return false, nil
	}
	rr.counts.dictionaryFiltered(total - int64(len(sel.keep)))
	if int64(len(sel.keep)) < total {
		rr.narrowKept(sel.keep)
		rr.ranges = sel.ranges
		if rr.ranges == nil {
			rr.ranges = []rowRange{} // no row: read none
		}
		if len(from) == 1 && from[0].lo == 0 {
			// The kept positions are row numbers: cutToRanges's list.
			rr.rangeRows, rr.rangesListed = sel.keep, rr.ranges
		}
	}
	rr.selected = append(rr.selected, narrowedColumn{leaf: f.leaf, t: f.t, arr: sel.column(f.t.ArrowType())})
	return true, nil
}

// narrowKept narrows the columns rr already holds (narrowRanges' and
// selectByCodes') to the rows at positions keep of those they hold.
func (rr *rowGroupReader) narrowKept(keep []int32) {
	cut := func(nc *narrowedColumn) {
		if nc.keep == nil {
			nc.keep = keep
			return
		}
		k := make([]int32, len(keep))
		for i, p := range keep {
			k[i] = nc.keep[p]
		}
		nc.keep = k
	}
	if rr.narrowed != nil {
		cut(rr.narrowed)
	}
	for i := range rr.selected {
		cut(&rr.selected[i])
	}
}

// selectedColumn returns column leaf of type t when selectByCodes kept it.
func (rr *rowGroupReader) selectedColumn(leaf int, t catalog.Type) arrow.Array {
	for i := range rr.selected {
		nc := &rr.selected[i]
		if nc.leaf != leaf || nc.t != t {
			continue
		}
		if nc.keep == nil {
			nc.arr.Retain()
			return nc.arr
		}
		return takeArray(nc.arr, nc.keep)
	}
	return nil
}

// releaseSelected drops the columns selectByCodes kept.
func (rr *rowGroupReader) releaseSelected() {
	for _, nc := range rr.selected {
		nc.arr.Release()
	}
	rr.selected = nil
}

// dictionaryFiltered reports whether a dictionary filter of the current
// row group reads column leaf.
func (r *scanReader) dictionaryFiltered(leaf int) bool {
	for i := range r.dictFilters {
		if r.dictFilters[i].leaf == leaf {
			return true
		}
	}
	return false
}

// dictionaryValues returns the byte-string values of dict, one after
// another in data, split at offs.
func dictionaryValues(dict parquet.Dictionary) (data []byte, offs []uint32) {
	vals := dict.Page().Data()
	return vals.ByteArray()
}
