package storage

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// numTable is (id int8 not null, x numeric) with x var-scale numeric.
func numTable(name string) *catalog.Table {
	return &catalog.Table{Schema: "public", Name: name, Columns: []catalog.Column{
		{Name: "id", Type: catalog.TypeInt8, NotNull: true},
		{Name: "x", Type: catalog.TypeNumeric},
	}}
}

// numRecord builds rows (from+i, texts[i]) of a numTable-shaped table;
// "NULL" is NULL.
func numRecord(tbl *catalog.Table, from int, texts ...string) arrow.Record {
	mem := memory.DefaultAllocator
	ib, xb := array.NewInt64Builder(mem), array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	for i, s := range texts {
		ib.Append(int64(from + i))
		if s == "NULL" {
			xb.AppendNull()
		} else {
			xb.Append(mustNumeric(s))
		}
	}
	return array.NewRecordBatch(tailSchemaNoRowID(tbl), []arrow.Array{ib.NewArray(), xb.NewArray()}, int64(len(texts)))
}

// varNumericSamples are inputs with the numeric_out text they store as.
var varNumericSamples = []struct{ in, out string }{
	{"0", "0"},
	{"1.5", "1.5"},
	{"1.50", "1.50"},
	{"-1.25", "-1.25"},
	{"0.000", "0.000"},
	{"-0", "0"},
	{"-0.00", "0.00"},
	{"  12.3400  ", "12.3400"},
	{"1e-20", "0.00000000000000000001"},
	{"1.5e3", "1500"},
	{"123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"},
	{"-" + strings.Repeat("9", 400), "-" + strings.Repeat("9", 400)},
	{strings.Repeat("12345", 60) + "." + strings.Repeat("0", 50) + "1", strings.Repeat("12345", 60) + "." + strings.Repeat("0", 50) + "1"},
	{"0." + strings.Repeat("0", 300) + "7", "0." + strings.Repeat("0", 300) + "7"},
	{"NaN", "NaN"},
	{"nan", "NaN"},
	{"Infinity", "Infinity"},
	{"-inf", "-Infinity"},
	{"NULL", "NULL"},
}

// numValues scans tbl and returns x's text and encoding by id.
func numValues(t *testing.T, snap *Snapshot, tbl *catalog.Table) (map[int64]string, map[int64][]byte) {
	t.Helper()
	r, err := snap.Scan(tbl, []int{0, 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	texts, encs := map[int64]string{}, map[int64][]byte{}
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			return texts, encs
		}
		ids, xs := rec.Column(0).(*array.Int64), rec.Column(1).(*array.Binary)
		for i := 0; i < int(rec.NumRows()); i++ {
			id := ids.Value(i)
			if _, dup := texts[id]; dup {
				t.Fatalf("row %d returned twice", id)
			}
			if xs.IsNull(i) {
				texts[id] = "NULL"
				continue
			}
			texts[id] = numeric.String(xs.Value(i))
			encs[id] = bytes.Clone(xs.Value(i))
		}
	}
}

func TestVarNumericRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{RowGroupRows: 7})
	tbl := numTable("nums")
	mustCreate(t, s, tbl)
	// 10 copies of the samples, so that they spread over row groups (and
	// dictionary and plain pages) in different orders and with NULLs.
	want := map[int64]string{}
	var ins []string
	for c := 0; c < 10; c++ {
		for j := range varNumericSamples {
			k := (j*7 + c) % len(varNumericSamples)
			want[int64(len(ins))] = varNumericSamples[k].out
			ins = append(ins, varNumericSamples[k].in)
		}
	}
	half := len(ins) / 2
	mustInsert(t, s, tbl, numRecord(tbl, 0, ins[:half]...))
	check := func(stage string, s *Store) {
		t.Helper()
		texts, encs := numValues(t, s.Snapshot(), tbl)
		if len(texts) != len(want) {
			t.Fatalf("%s: %d rows, want %d", stage, len(texts), len(want))
		}
		for id, w := range want {
			if texts[id] != w {
				t.Fatalf("%s: row %d is %.60q, want %.60q", stage, id, texts[id], w)
			}
			if w != "NULL" && !bytes.Equal(encs[id], mustNumeric(w)) {
				t.Fatalf("%s: row %d encoding %x, want %x", stage, id, encs[id], mustNumeric(w))
			}
		}
	}
	// First half flushed, second half in the tail.
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	mustInsert(t, s, tbl, numRecord(tbl, half, ins[half:]...))
	check("segment and tail", s)
	s.crash()

	s = openTest(t, dir, Options{RowGroupRows: 7})
	check("replayed", s)
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	ts := s.namespace("public").state.Load().tables["nums"]
	if len(ts.inserts) != 0 || len(ts.manifest.Segments) != 2 || len(ts.manifest.Segments[1].RowGroups) < 3 {
		t.Fatalf("after checkpoint: %d tail batches, manifest %+v", len(ts.inserts), ts.manifest)
	}
	check("segments", s)
	// Updates and deletes of flushed rows keep the other values intact.
	tx := s.Begin()
	_, ids := scanAll(t, s.Snapshot(), tbl)
	if err := tx.Update(tbl, []int64{ids["1"]}, numRecord(tbl, 1, "-7.000")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Delete(tbl, []int64{ids["2"]}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	want[1] = "-7.000"
	delete(want, 2)
	check("updated", s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, Options{})
	defer s.Close()
	check("reopened", s)
}

// A flushed var numeric column is a plain Parquet STRING column of
// numeric_out text.
func TestVarNumericSegmentIsText(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := numTable("nums")
	var ins, outs []string
	for _, v := range varNumericSamples {
		ins, outs = append(ins, v.in), append(outs, v.out)
	}
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, numRecord(tbl, 0, ins...))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	ts := s.namespace("public").state.Load().tables["nums"]
	f, err := os.Open(localFile(t, s, ts, ts.manifest.Segments[0].File))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	leaf, ok := pf.Schema().Lookup("x")
	if !ok {
		t.Fatal("no column x")
	}
	typ := leaf.Node.Type()
	if typ.Kind() != parquet.ByteArray {
		t.Errorf("physical type %v, want BYTE_ARRAY", typ.Kind())
	}
	if _, ok := typ.LogicalType().Value.(*format.StringType); !ok {
		t.Errorf("logical type %v, want STRING", typ.LogicalType())
	}
	if !leaf.Node.Optional() {
		t.Error("nullable column is not optional")
	}
	idCol, _ := pf.Schema().Lookup("id")
	r := parquet.NewReader(f, pf.Schema())
	defer r.Close()
	rows := make([]parquet.Row, len(outs)+1)
	n, _ := r.ReadRows(rows)
	if n != len(outs) {
		t.Fatalf("read %d rows, want %d", n, len(outs))
	}
	for _, row := range rows[:n] {
		id, text := int64(-1), ""
		for _, v := range row {
			switch v.Column() {
			case idCol.ColumnIndex:
				id = v.Int64()
			case leaf.ColumnIndex:
				if v.IsNull() {
					text = "NULL"
				} else {
					text = string(v.ByteArray())
				}
			}
		}
		if id < 0 || int(id) >= len(outs) || text != outs[id] {
			t.Fatalf("row %d: x %.60q, want %.60q", id, text, outs[max(id, 0)])
		}
	}
}

// Statistics of a var numeric column are in numeric order, so pruning
// never drops a row that a comparison would keep, whatever the strings'
// byte order says ("10" < "9.5" < "NaN").
func TestVarNumericPruning(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 2})
	defer s.Close()
	tbl := numTable("nums")
	mustCreate(t, s, tbl)
	segs := [][]string{
		{"10", "9.5", "100", "-1", "NaN", "Infinity"},
		{"-1", "9", "8.999", "NULL", "9.000", "-Infinity"},
		{"-5", "-1.5", "NULL", "-100"},
		{"1e3", "99.99", "9.0001", "0.5"},
		{"NaN", "NULL", "NaN"},
	}
	all := map[int64]string{}
	id := 0
	for _, vals := range segs {
		mustInsert(t, s, tbl, numRecord(tbl, id, vals...))
		for _, v := range vals {
			all[int64(id)] = v
			id++
		}
		if err := s.Checkpoint(); err != nil {
			t.Fatal(err)
		}
	}
	// A tail that statistics never prune.
	mustInsert(t, s, tbl, numRecord(tbl, id, "12", "-12"))
	all[int64(id)], all[int64(id+1)] = "12", "-12"

	// The manifest keeps numeric-order bounds as numeric_out text.
	ts := s.namespace("public").state.Load().tables["nums"]
	rg := ts.manifest.Segments[0].RowGroups
	if st := rg[0].Columns[1]; st.Min != "9.5" || st.Max != "10" {
		t.Errorf("row group 0 bounds %+v, want 9.5 .. 10", st)
	}
	if st := rg[1].Columns[1]; st.Min != "-1" || st.Max != "100" {
		t.Errorf("row group 1 bounds %+v, want -1 .. 100", st)
	}
	// NaN sorts above Infinity.
	if st := rg[2].Columns[1]; st.Min != "Infinity" || st.Max != "NaN" {
		t.Errorf("row group 2 bounds %+v, want Infinity .. NaN", st)
	}

	ops := []struct {
		op   CompareOp
		name string
		ok   func(c int) bool
	}{
		{Gt, ">", func(c int) bool { return c > 0 }},
		{Ge, ">=", func(c int) bool { return c >= 0 }},
		{Lt, "<", func(c int) bool { return c < 0 }},
		{Le, "<=", func(c int) bool { return c <= 0 }},
		{Eq, "=", func(c int) bool { return c == 0 }},
	}
	values := []string{"9", "9.00", "9.5", "10", "100", "-1", "0", "-Infinity", "Infinity", "NaN", "1000.0"}
	snap := s.Snapshot()
	skipped := int64(0)
	for _, o := range ops {
		for _, v := range values {
			pred := []Predicate{{Column: 1, Op: o.op, Value: mustNumeric(v)}}
			before := s.Stats()
			r, err := snap.Scan(tbl, []int{0, 1}, pred)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[int64]bool{}
			for {
				rec, err := r.Next()
				if err != nil {
					t.Fatal(err)
				}
				if rec == nil {
					break
				}
				for _, rid := range rec.Column(0).(*array.Int64).Int64Values() {
					seen[rid] = true
				}
			}
			r.Close()
			after := s.Stats()
			skipped += after.RowGroupsSkipped - before.RowGroupsSkipped + after.SegmentsSkipped - before.SegmentsSkipped
			for rid, x := range all {
				if x != "NULL" && o.ok(numeric.Compare(mustNumeric(x), mustNumeric(v))) && !seen[rid] {
					t.Errorf("x %s %s: row %d (x = %s) pruned", o.name, v, rid, x)
				}
			}
			// Partitioned scans prune the same way.
			parts := partitionRowsCols(t, snap, tbl, []int{0, 1}, pred, 3)
			for rid, x := range all {
				if x != "NULL" && o.ok(numeric.Compare(mustNumeric(x), mustNumeric(v))) && !parts[rid] {
					t.Errorf("partitioned x %s %s: row %d (x = %s) pruned", o.name, v, rid, x)
				}
			}
		}
	}
	if skipped == 0 {
		t.Error("no segment or row group was ever skipped")
	}

	// x > 9 over the first segment's row groups: ('10', '9.5') and
	// ('100', '-1') and ('NaN', 'Infinity') all hold a match (byte-wise,
	// "10" < "9" and "-1" < "9"); the second segment (-Infinity .. 9.000)
	// and the third (-100 .. -1.5) are skipped as a whole.
	before := s.Stats()
	n := countRows(t, snap, tbl, []int{1}, []Predicate{{Column: 1, Op: Gt, Value: mustNumeric("9")}})
	after := s.Stats()
	if got := after.SegmentsSkipped - before.SegmentsSkipped; got != 2 {
		t.Errorf("x > 9 skipped %d segments, want 2", got)
	}
	if n < 10 {
		t.Errorf("x > 9 read %d rows", n)
	}
	// Integers and unusable values: an int64 bound prunes like the
	// numeric; a decimal128 or text value prunes nothing.
	if got := countRows(t, snap, tbl, []int{1}, []Predicate{{Column: 1, Op: Lt, Value: int64(-2)}}); got >= len(all) {
		t.Errorf("x < -2 (int64) read all %d rows", got)
	}
	for _, v := range []catalog.Datum{"9", 9.0, []byte{1, 2, 3}} {
		if got := countRows(t, snap, tbl, []int{1}, []Predicate{{Column: 1, Op: Gt, Value: v}}); got != len(all) {
			t.Errorf("x > %#v read %d rows, want all %d", v, got, len(all))
		}
	}
}

// partitionRowsCols reads every partition of a scan and returns the ids
// (column 0) it yields.
func partitionRowsCols(t *testing.T, snap *Snapshot, tbl *catalog.Table, cols []int, preds []Predicate, n int) map[int64]bool {
	t.Helper()
	readers, err := snap.ScanPartitions(tbl, cols, preds, n)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for _, r := range readers {
		for {
			rec, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if rec == nil {
				break
			}
			for _, id := range rec.Column(0).(*array.Int64).Int64Values() {
				if seen[id] {
					t.Fatalf("row %d returned by two partitions", id)
				}
				seen[id] = true
			}
		}
		r.Close()
	}
	return seen
}

// Equal numerics are one key whatever their display scale.
func TestVarNumericKeys(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	pk := &catalog.Table{Schema: "public", Name: "pk", Columns: []catalog.Column{
		{Name: "x", Type: catalog.TypeNumeric},
		{Name: "id", Type: catalog.TypeInt8, NotNull: true},
	}, PrimaryKey: []int{0}}
	mustCreate(t, s, pk)
	// pkRecord builds rows (texts[i], i) of pk.
	pkRecord := func(texts ...string) arrow.Record {
		mem := memory.DefaultAllocator
		xb, ib := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary), array.NewInt64Builder(mem)
		for i, s := range texts {
			xb.Append(mustNumeric(s))
			ib.Append(int64(i))
		}
		return array.NewRecordBatch(tailSchemaNoRowID(pk), []arrow.Array{xb.NewArray(), ib.NewArray()}, int64(len(texts)))
	}
	mustInsert(t, s, pk, pkRecord("1.5", "0", "NaN", "-Infinity", strings.Repeat("7", 300)+".5"))
	dup := func(stage, text, shown string) {
		t.Helper()
		tx := s.Begin()
		defer tx.Rollback()
		err := tx.Insert(pk, pkRecord(text))
		wantCode(t, err, pgerr.UniqueViolation)
		if d := pgerr.From(err).Detail; d != "Key (x)=("+shown+") already exists." {
			t.Fatalf("%s: detail %q", stage, d)
		}
	}
	check := func(stage string) {
		t.Helper()
		dup(stage, "1.50", "1.50")
		dup(stage, "1.500000", "1.500000")
		dup(stage, "-0.000", "0.000")
		dup(stage, "nan", "NaN")
		dup(stage, "-inf", "-Infinity")
		dup(stage, strings.Repeat("7", 300)+".50", strings.Repeat("7", 300)+".50")
		// Values that differ are different keys.
		tx := s.Begin()
		defer tx.Rollback()
		if err := tx.Insert(pk, pkRecord("1.51", "1.05", "15", "Infinity", "0.0000000001", strings.Repeat("7", 300)+".51")); err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
		// Within one batch, too.
		err := tx.Insert(pk, pkRecord("2.5", "2.50"))
		wantCode(t, err, pgerr.UniqueViolation)
	}
	check("tail")
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	check("segment")
	s.crash()
	s = openTest(t, dir, Options{})
	defer s.Close()
	check("reopened")

	// A unique index over (x, id) on a table with NULLs.
	tbl := numTable("u")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, numRecord(tbl, 0, "1.5", "NULL", "2.25"))
	tx := s.Begin()
	if err := tx.CreateIndex(uniqueIndex(tbl, "u_x_key", "x")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tx = s.Begin()
	defer tx.Rollback()
	if err := tx.Insert(tbl, numRecord(tbl, 10, "NULL", "3")); err != nil {
		t.Fatal(err)
	}
	wantUnique(t, tx.Insert(tbl, numRecord(tbl, 20, "2.2500")), `duplicate key value violates unique constraint "u_x_key"`, "Key (x)=(2.2500) already exists.")
	// Creating a unique index over equal values of different scales fails.
	tx2 := s.Begin()
	defer tx2.Rollback()
	if err := tx2.Insert(tbl, numRecord(tbl, 30, "7.0")); err != nil {
		t.Fatal(err)
	}
	other := numTable("v")
	if err := tx2.CreateTable(other); err != nil {
		t.Fatal(err)
	}
	if err := tx2.Insert(other, numRecord(other, 0, "7", "7.00")); err != nil {
		t.Fatal(err)
	}
	err := tx2.CreateIndex(uniqueIndex(other, "v_x_key", "x"))
	wantCode(t, err, pgerr.UniqueViolation)
	if d := pgerr.From(err).Detail; d != "Key (x)=(7) is duplicated." && d != "Key (x)=(7.00) is duplicated." {
		t.Fatalf("detail %q", d)
	}
}

// Bytes that are not a canonical numeric encoding are refused.
func TestVarNumericRejectsBadEncoding(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := numTable("nums")
	mustCreate(t, s, tbl)
	for _, bad := range [][]byte{{1, 2, 3}, {0, 1, 0, 0, 0x40, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0x12, 0x34, 0, 0}} {
		mem := memory.DefaultAllocator
		ib, xb := array.NewInt64Builder(mem), array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
		ib.Append(1)
		xb.Append(bad)
		rec := array.NewRecordBatch(tailSchemaNoRowID(tbl), []arrow.Array{ib.NewArray(), xb.NewArray()}, 1)
		tx := s.Begin()
		wantCode(t, tx.Insert(tbl, rec), pgerr.InternalError)
		tx.Rollback()
	}
}

// Printing and parsing var numerics allocates nothing once the buffers
// are warm.
func TestVarNumericNoAllocs(t *testing.T) {
	tbl := numTable("nums")
	var texts []string
	for i := 0; i < 1000; i++ {
		texts = append(texts, fmt.Sprintf("%d.%02d", i*7919-3000000, i%100))
	}
	texts = append(texts, "NaN", "-Infinity", "NULL", "0.000")
	rec := numRecord(tbl, 0, texts...)
	arr := rec.Column(1).(*array.Binary)
	n := arr.Len()
	var vals []parquet.Value
	var scratch []byte
	null := parquet.NullValue().Level(0, 0, 1)
	write := func() {
		vals, scratch = appendVarNumericValues(vals[:0], scratch[:0], arr, 0, n, null, 1, 1)
	}
	write()
	if a := testing.AllocsPerRun(20, write); a != 0 {
		t.Errorf("flush conversion: %v allocations per run", a)
	}
	// The texts as one page of plain values.
	var data []byte
	offs := []uint32{0}
	for _, v := range vals {
		if !v.IsNull() {
			data = append(data, v.ByteArray()...)
			offs = append(offs, uint32(len(data)))
		}
	}
	var p varNumericParser
	parse := func() {
		if _, _, err := p.parse(data, offs); err != nil {
			t.Fatal(err)
		}
	}
	parse()
	if a := testing.AllocsPerRun(20, parse); a != 0 {
		t.Errorf("scan conversion: %v allocations per run", a)
	}
	got, gotOffs, _ := p.parse(data, offs)
	j := 0
	for i := 0; i < n; i++ {
		if arr.IsNull(i) {
			continue
		}
		if v := got[gotOffs[j]:gotOffs[j+1]]; !bytes.Equal(v, arr.Value(i)) {
			t.Fatalf("value %d: %x, want %x", i, v, arr.Value(i))
		}
		j++
	}
}

// The scan reads var numeric text from plain and dictionary pages, many
// pages per column chunk, with NULLs (as other writers may lay them out).
func TestVarNumericReadPages(t *testing.T) {
	var texts []string
	for i := 0; i < 5000; i++ {
		switch {
		case i%9 == 4:
			texts = append(texts, "NULL")
		case i%17 == 0:
			texts = append(texts, "NaN")
		default:
			texts = append(texts, fmt.Sprintf("%d.%0*d", i%23-11, i%4, i%7))
		}
	}
	schema := parquet.NewSchema("t", parquet.Group{
		"p": parquet.Optional(parquet.Encoded(parquet.String(), &parquet.Plain)),
		"d": parquet.Optional(parquet.Encoded(parquet.String(), &parquet.RLEDictionary)),
	})
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, schema, parquet.PageBufferSize(128))
	for _, name := range []string{"d", "p"} {
		leaf, _ := schema.Lookup(name)
		vals := make([]parquet.Value, len(texts))
		for i, s := range texts {
			if s == "NULL" {
				vals[i] = parquet.NullValue().Level(0, 0, leaf.ColumnIndex)
			} else {
				vals[i] = parquet.ByteArrayValue([]byte(s)).Level(0, 1, leaf.ColumnIndex)
			}
		}
		// Written in small pieces: a page is cut between writes.
		for lo := 0; lo < len(vals); lo += 100 {
			if _, err := w.ColumnWriters()[leaf.ColumnIndex].WriteRowValues(vals[lo:min(lo+100, len(vals))]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rg := pf.RowGroups()[0]
	for _, name := range []string{"d", "p"} {
		leaf, _ := schema.Lookup(name)
		pages, dict := 0, false
		pr := rg.ColumnChunks()[leaf.ColumnIndex].Pages()
		for {
			page, err := pr.ReadPage()
			if err != nil {
				break
			}
			pages++
			dict = dict || page.Dictionary() != nil
			parquet.Release(page)
		}
		pr.Close()
		if pages < 3 || dict != (name == "d") {
			t.Fatalf("%s: %d pages, dictionary %v", name, pages, dict)
		}
		arr, err := readColumn(rg, leaf.ColumnIndex, catalog.TypeNumeric)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		a := arr.(*array.Binary)
		if a.Len() != len(texts) {
			t.Fatalf("%s: %d values", name, a.Len())
		}
		for i, s := range texts {
			if s == "NULL" {
				if a.IsValid(i) {
					t.Fatalf("%s: value %d not NULL", name, i)
				}
				continue
			}
			if !bytes.Equal(a.Value(i), mustNumeric(s)) {
				t.Fatalf("%s: value %d is %s, want %s", name, i, numeric.String(a.Value(i)), s)
			}
		}
		arr.Release()
	}
	// Text that is no number is a read error, not a wrong value.
	bad := parquet.NewSchema("t", parquet.Group{"x": parquet.String()})
	buf.Reset()
	w = parquet.NewWriter(&buf, bad)
	leaf, _ := bad.Lookup("x")
	if _, err := w.ColumnWriters()[leaf.ColumnIndex].WriteRowValues([]parquet.Value{parquet.ByteArrayValue([]byte("1.5x")).Level(0, 0, leaf.ColumnIndex)}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	pf, err = parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readColumn(pf.RowGroups()[0], leaf.ColumnIndex, catalog.TypeNumeric); err == nil {
		t.Fatal("reading 1.5x as numeric succeeded")
	}
}
