package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gocloud.dev/blob"
	"gocloud.dev/blob/memblob"
	"gocloud.dev/blob/s3blob"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/internal/s3test"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/storage/bucket"
)

func openTest(t testing.TB, dir string, opts Options) *Store {
	t.Helper()
	if testObjects == "s3" && opts.CacheSize < 0 {
		// Without the cache every read of a file is a request to the
		// server: minutes for what the other backends check in
		// seconds, on a path that does not depend on the backend.
		t.Skip("reads without the cache, a request per read on S3")
	}
	if opts.Bucket == nil {
		opts.Bucket = testBucket(t, dir)
	}
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	s.awaitSweeps()
	return s
}

// awaitSweeps waits for the orphan sweeps open started: tests look at a
// table's files right after opening it.
func (s *Store) awaitSweeps() {
	for _, ns := range s.sortedNamespaces() {
		ns.sweeping.Wait()
	}
}

// crash stops the store without flushing, as if the process died after
// its last commit: writers stop, SQLite closes, the lock is released.
func (s *Store) crash() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.compactor.stop()
	for _, ns := range s.sortedNamespaces() {
		ns.close()
	}
	s.closeRoles()
	s.files.forget(func(string) bool { return true })
	s.stopLake()
	s.closeBucket()
	s.lock.Close()
}

// allTypesTable has one column of every type storage holds.
func allTypesTable(name string) *catalog.Table {
	return &catalog.Table{
		Schema: "public",
		Name:   name,
		Columns: []catalog.Column{
			{Name: "id", Type: catalog.TypeInt8, NotNull: true},
			{Name: "b", Type: catalog.TypeBool},
			{Name: "i2", Type: catalog.TypeInt2},
			{Name: "i4", Type: catalog.TypeInt4},
			{Name: "f4", Type: catalog.TypeFloat4},
			{Name: "f8", Type: catalog.TypeFloat8},
			{Name: "n5", Type: catalog.NumericType(5, 1)},
			{Name: "n15", Type: catalog.NumericType(15, 2)},
			{Name: "n", Type: catalog.UnconstrainedNumeric(4)},
			{Name: "t", Type: catalog.TypeText},
			{Name: "vc", Type: catalog.VarcharType(20)},
			{Name: "by", Type: catalog.TypeBytea},
			{Name: "d", Type: catalog.TypeDate},
			{Name: "tm", Type: catalog.TypeTime},
			{Name: "ts", Type: catalog.TypeTimestamp},
			{Name: "tz", Type: catalog.TypeTimestampTZ},
			{Name: "iv", Type: catalog.TypeInterval},
			{Name: "u", Type: catalog.TypeUUID},
			{Name: "js", Type: catalog.TypeJSONB},
			{Name: "o", Type: catalog.TypeOid},
			{Name: "vn", Type: catalog.TypeNumeric},
		},
	}
}

// allTypesRecord builds rows [from, from+n) of allTypesTable; every
// nullable column is NULL where row%7 == 3.
func allTypesRecord(tbl *catalog.Table, from, n int) arrow.Record {
	mem := memory.DefaultAllocator
	fields := make([]arrow.Field, len(tbl.Columns))
	for i, c := range tbl.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true}
	}
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
	defer b.Release()
	for r := from; r < from+n; r++ {
		null := r%7 == 3
		for i := range tbl.Columns {
			fb := b.Field(i)
			if i > 0 && null {
				fb.AppendNull()
				continue
			}
			neg := int64(1)
			if r%2 == 1 {
				neg = -1
			}
			switch fb := fb.(type) {
			case *array.Int64Builder:
				fb.Append(int64(r))
			case *array.BooleanBuilder:
				fb.Append(r%3 == 0)
			case *array.Int16Builder:
				fb.Append(int16(neg * int64(r%30000)))
			case *array.Int32Builder:
				fb.Append(int32(neg * int64(r) * 1000))
			case *array.Float32Builder:
				fb.Append(float32(neg) * float32(r) / 4)
			case *array.Float64Builder:
				fb.Append(float64(neg) * float64(r) / 8)
			case *array.Decimal128Builder:
				v := decimal128.FromI64(neg * int64(r) * 12345)
				if tbl.Columns[i].Type.Precision() < 0 {
					v = decimal128.New(neg*int64(r), uint64(r)*977) // beyond int64
				}
				if tbl.Columns[i].Type.Precision() == 5 {
					v = decimal128.FromI64(neg * int64(r%9999))
				}
				fb.Append(v)
			case *array.StringBuilder:
				if tbl.Columns[i].Type.Kind == catalog.JSONB {
					fb.Append(fmt.Sprintf(`{"r": %d}`, r))
				} else {
					fb.Append(fmt.Sprintf("%s-%d-%s", tbl.Columns[i].Name, r, strings.Repeat("x", r%5)))
				}
			case *array.BinaryBuilder:
				if tbl.Columns[i].Type.IsVarNumeric() {
					fb.Append(mustNumeric(varNumericTestText(r)))
					break
				}
				fb.Append([]byte{byte(r), byte(r >> 8), 0, 255})
			case *array.Date32Builder:
				fb.Append(arrow.Date32(neg * int64(r)))
			case *array.Time64Builder:
				fb.Append(arrow.Time64(int64(r) * 1_000_001))
			case *array.TimestampBuilder:
				fb.Append(arrow.Timestamp(neg * int64(r) * 86_400_000_123))
			case *array.MonthDayNanoIntervalBuilder:
				fb.Append(arrow.MonthDayNanoInterval{Months: int32(r), Days: -int32(r), Nanoseconds: int64(r) * 1000})
			case *array.FixedSizeBinaryBuilder:
				var u [16]byte
				u[0], u[15] = byte(r), byte(r>>8)
				fb.Append(u[:])
			case *array.Uint32Builder:
				fb.Append(uint32(r) * 3)
			default:
				panic(fmt.Sprintf("no test values for %T", fb))
			}
		}
	}
	return b.NewRecordBatch()
}

// rowsOf renders each record row as text, keyed by the first column's
// value, with columns separated by '|'.
func rowsOf(recs []arrow.Record) map[string]string {
	out := map[string]string{}
	for _, rec := range recs {
		for r := 0; r < int(rec.NumRows()); r++ {
			var parts []string
			for c := 0; c < int(rec.NumCols()); c++ {
				parts = append(parts, rec.Column(c).ValueStr(r))
			}
			out[parts[0]] = strings.Join(parts, "|")
		}
	}
	return out
}

// eachRecord reads r to its end, handing each record to fn, and closes
// it.
func eachRecord(t testing.TB, r RecordReader, fn func(rec arrow.Record)) {
	t.Helper()
	defer r.Close()
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			return
		}
		fn(rec)
	}
}

// wantScanned fails t unless scanning tbl in snap gives exactly the rows
// of want (rendered as scanAll renders them, by key); when says at what
// point of the test.
func wantScanned(t testing.TB, snap *Snapshot, tbl *catalog.Table, want map[string]string, when string) {
	t.Helper()
	got, _ := scanAll(t, snap, tbl)
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", when, len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("%s: row %s = %.60q, want %.60q", when, k, got[k], v)
		}
	}
}

// scanAll scans every column of tbl and returns the rows rendered by
// rowsOf, with the row id column dropped, and the row ids by key.
func scanAll(t testing.TB, snap *Snapshot, tbl *catalog.Table) (map[string]string, map[string]int64) {
	t.Helper()
	return scanAllWhere(t, snap, tbl, nil)
}

// scanAllWhere is scanAll of a scan with predicates preds (which prune:
// the rows returned are a superset of those that satisfy them).
func scanAllWhere(t testing.TB, snap *Snapshot, tbl *catalog.Table, preds []Predicate) (map[string]string, map[string]int64) {
	t.Helper()
	cols := make([]int, len(tbl.Columns))
	for i := range cols {
		cols[i] = i
	}
	r, err := snap.Scan(tbl, cols, preds)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	defer r.Close()
	rows := map[string]string{}
	ids := map[string]int64{}
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if rec == nil {
			break
		}
		if int(rec.NumCols()) != len(cols)+1 {
			t.Fatalf("scan returned %d columns, want %d", rec.NumCols(), len(cols)+1)
		}
		rid := rec.Column(len(cols)).(*array.Int64)
		for i := 0; i < int(rec.NumRows()); i++ {
			var parts []string
			for c := range cols {
				parts = append(parts, rec.Column(c).ValueStr(i))
			}
			if _, dup := rows[parts[0]]; dup {
				t.Fatalf("row %s returned twice", parts[0])
			}
			rows[parts[0]] = strings.Join(parts, "|")
			ids[parts[0]] = rid.Value(i)
		}
	}
	return rows, ids
}

func sortedKeysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want SQLSTATE %s", code)
	}
	if got := pgerr.CodeOf(err); got != code {
		t.Fatalf("got error %v (SQLSTATE %s), want SQLSTATE %s", err, got, code)
	}
}

func mustCreate(t testing.TB, s *Store, tbl *catalog.Table) {
	t.Helper()
	tx := s.Begin()
	if err := tx.CreateTable(tbl); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

func mustInsert(t testing.TB, s *Store, tbl *catalog.Table, rec arrow.Record) {
	t.Helper()
	tx := s.Begin()
	if err := tx.Insert(tbl, rec); err != nil {
		t.Fatalf("Insert: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

// varNumericTestText is the text of allTypesTable's var numeric value of
// row r: special values, display scales 0 to 5, a few hundred-digit ones.
func varNumericTestText(r int) string {
	switch r % 13 {
	case 0:
		return "NaN"
	case 1:
		return "Infinity"
	case 2:
		return "-Infinity"
	case 5:
		return "-" + strings.Repeat("9", 100+r%50) + "." + strings.Repeat("1", r%40)
	}
	return fmt.Sprintf("%d.%s%d", (r-600)*r, strings.Repeat("0", r%5), r%10)
}

// mustNumeric parses numeric_in text into the numeric encoding.
func mustNumeric(s string) []byte {
	b, err := numeric.Parse(nil, s)
	if err != nil {
		panic(fmt.Sprintf("numeric %q: %v", s, err))
	}
	return b
}

// kvSegments gives kv table tbl segs segments of rows rows each, keys
// counting from 0 and values "s0", "s1", ... by segment, each committed
// and checkpointed alone.
func kvSegments(t testing.TB, s *Store, tbl *catalog.Table, segs, rows int) {
	t.Helper()
	for seg := 0; seg < segs; seg++ {
		mustInsert(t, s, tbl, kvRows(rows, int64(seg*rows), fmt.Sprint("s", seg)))
		if err := s.Checkpoint(); err != nil {
			t.Fatal(err)
		}
	}
}

// localFile is the path of file, a table file of ts, in the local
// directory of s's objects. A test that reads or changes table files
// itself is skipped on an object store.
func localFile(t testing.TB, s *Store, ts *tableState, file string) string {
	t.Helper()
	if s.objects.root == "" {
		t.Skipf("reads the table's files in the data directory; the tables are on %s", testObjects)
	}
	return s.objects.path(tableFile(ts.prefix, file))
}

// testObjects is where the stores of openTest keep their tables: in the
// data directory (""), in memory ("mem") or on an S3 server started for
// the test binary ("s3"): $PQDB_TEST_OBJECTS, so that the suite runs on
// each backend. TestMain reads it, so that go test's cache knows it.
var testObjects string

// testS3 is the S3 server of the test binary, with testObjects "s3".
var testS3 struct {
	server *s3test.Server
	bucket *blob.Bucket
}

// childObjectsEnv hands a child process (a kill -9 test's) the URL of
// its parent's bucket for the data directory.
const childObjectsEnv = "PQDB_TEST_OBJECTS_URL"

func TestMain(m *testing.M) {
	testObjects = os.Getenv("PQDB_TEST_OBJECTS")
	if os.Getenv(childObjectsEnv) != "" {
		os.Exit(m.Run()) // a child: openChild opens the parent's bucket
	}
	switch testObjects {
	case "", "mem":
		os.Exit(m.Run())
	case "s3":
		srv, err := s3test.StartMain()
		if err != nil {
			fmt.Fprintf(os.Stderr, "PQDB_TEST_OBJECTS=s3: %v\n", err)
			os.Exit(1)
		}
		ctx := context.Background()
		if _, err := srv.Client().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("storage")}); err == nil {
			testS3.bucket, err = s3blob.OpenBucket(ctx, srv.Client(), "storage", nil)
		}
		if err != nil {
			srv.Stop()
			fmt.Fprintf(os.Stderr, "PQDB_TEST_OBJECTS=s3: %v\n", err)
			os.Exit(1)
		}
		testS3.server = srv
		code := m.Run()
		testS3.bucket.Close()
		srv.Stop()
		os.Exit(code)
	default:
		fmt.Fprintf(os.Stderr, "PQDB_TEST_OBJECTS=%q: want mem or s3\n", testObjects)
		os.Exit(2)
	}
}

// testBuckets holds the bucket of each data directory while its test
// runs, so that a store reopened on the directory finds its tables, and
// on S3 its URL, for child processes.
var testBuckets struct {
	sync.Mutex
	byDir map[string]*blob.Bucket
	urls  map[string]string
	n     int
}

// childEnv is the environment of a child process that opens the store in
// dir with openChild: the test's own, and on S3 the bucket's URL and
// credentials. A child cannot share a mem:// bucket: the test is skipped.
func childEnv(t testing.TB, dir string) []string {
	env := os.Environ()
	switch testObjects {
	case "mem":
		t.Skip("a child process cannot share the parent's mem:// bucket")
	case "s3":
		testBucket(t, dir)
		testBuckets.Lock()
		url := testBuckets.urls[dir]
		testBuckets.Unlock()
		env = append(append(env, testS3.server.Env()...), childObjectsEnv+"="+url)
	}
	return env
}

// openChild opens the store in dir in a child process, on the parent's
// bucket when it handed one down (childEnv).
func openChild(dir string, opts Options) (*Store, error) {
	if url := os.Getenv(childObjectsEnv); url != "" {
		b, err := bucket.Open(context.Background(), url)
		if err != nil {
			return nil, err
		}
		opts.Bucket = b
	}
	return Open(dir, opts)
}

// testBucket is the bucket of the tables of the store in dir (nil: the
// directory itself).
func testBucket(t testing.TB, dir string) *blob.Bucket {
	if testObjects == "" {
		return nil
	}
	testBuckets.Lock()
	defer testBuckets.Unlock()
	if b := testBuckets.byDir[dir]; b != nil {
		return b
	}
	var b *blob.Bucket
	if testObjects == "mem" {
		b = memblob.OpenBucket(nil)
	} else {
		testBuckets.n++
		prefix := fmt.Sprintf("t%d", testBuckets.n)
		b = blob.PrefixedBucket(testS3.bucket, prefix+"/")
		if testBuckets.urls == nil {
			testBuckets.urls = map[string]string{}
		}
		testBuckets.urls[dir] = testS3.server.URL("storage/" + prefix)
	}
	if testBuckets.byDir == nil {
		testBuckets.byDir = map[string]*blob.Bucket{}
	}
	testBuckets.byDir[dir] = b
	t.Cleanup(func() {
		testBuckets.Lock()
		delete(testBuckets.byDir, dir)
		delete(testBuckets.urls, dir)
		testBuckets.Unlock()
	})
	return b
}

// localObjects is an object store over the local directory dir.
func localObjects(tb testing.TB, dir string) *objectStore {
	b, err := bucket.OpenDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.Close() })
	return newObjectStore(b)
}

// testObjectStore is the object store of the tables of the store in dir,
// as the tests' stores open it.
func testObjectStore(t testing.TB, dir string) *objectStore {
	if b := testBucket(t, dir); b != nil {
		return newObjectStore(b)
	}
	return localObjects(t, dir)
}

// testTablePrefix is the key prefix of tbl's objects in the store in dir:
// below its schema's directory name (with a tag on an object store; the
// newest such prefix).
func testTablePrefix(t testing.TB, dir string, tbl *catalog.Table) string {
	t.Helper()
	names, err := testObjectStore(t, dir).children("")
	if err != nil {
		t.Fatal(err)
	}
	schema := ""
	for _, n := range names {
		if n == dirName(tbl.Schema) || strings.HasPrefix(n, dirName(tbl.Schema)+"-") {
			schema = n
		}
	}
	if schema == "" {
		schema = dirName(tbl.Schema)
	}
	return schema + "/" + strconv.FormatInt(tbl.ID, 10)
}

// tableObjects returns the names, relative to the table's prefix, of
// tbl's objects in the store in dir under sub (a table's subdirectory).
func tableObjects(t testing.TB, dir string, tbl *catalog.Table, sub string) []string {
	t.Helper()
	prefix := testTablePrefix(t, dir, tbl) + "/"
	entries, err := testObjectStore(t, dir).list(prefix + sub + "/")
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = strings.TrimPrefix(e.key, prefix)
	}
	return names
}

// tableObjectExists reports whether file, relative to tbl's prefix, is an
// object of the store in dir.
func tableObjectExists(t testing.TB, dir string, tbl *catalog.Table, file string) bool {
	t.Helper()
	_, err := testObjectStore(t, dir).size(testTablePrefix(t, dir, tbl) + "/" + file)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return err == nil
}
