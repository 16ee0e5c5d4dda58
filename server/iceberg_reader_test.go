package server

import (
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	iceio "github.com/apache/iceberg-go/io"
	_ "github.com/apache/iceberg-go/io/gocloud/s3" // s3:// for LoadFS
	"github.com/apache/iceberg-go/table"
	"gocloud.dev/blob"

	"github.com/pqdb/pqdb/internal/s3test"
	"github.com/pqdb/pqdb/storage"
	"github.com/pqdb/pqdb/storage/bucket"
	"github.com/pqdb/pqdb/storage/iceberg"
)

// TestIcebergReaderAfterMixedWorkload: after inserts, updates, deletes,
// flushes and a compaction through pgx, with the tables on S3 and
// --iceberg, iceberg-go's own scan of the table (an engine that knows
// nothing of pqdb) returns exactly pqdb's SELECT *, an array column as
// an Iceberg list.
func TestIcebergReaderAfterMixedWorkload(t *testing.T) {
	s3, data := s3TablesOn(t)
	cfg := Config{DataDir: data, WALDir: t.TempDir(), Storage: storage.Options{Iceberg: true}}
	srv, connect := startServerWith(t, cfg)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE orders (id int PRIMARY KEY, customer text, tags text[], amount numeric(12,2), qty bigint)",
		"INSERT INTO orders SELECT g, 'c' || (g % 97), ARRAY['t' || (g % 5)], g * 1.25, g % 13 FROM generate_series(1, 20000) g",
		"CHECKPOINT",
		"UPDATE orders SET amount = amount + 1, customer = 'moved' WHERE id % 11 = 0",
		"DELETE FROM orders WHERE id % 7 = 0",
		"CHECKPOINT",
		"INSERT INTO orders SELECT g, NULL, NULL, NULL, NULL FROM generate_series(20001, 20500) g",
		"UPDATE orders SET qty = qty * 2 WHERE id BETWEEN 5000 AND 5100",
		"DELETE FROM orders WHERE id BETWEEN 20400 AND 20450",
		"CHECKPOINT",
		"VACUUM orders",
		"UPDATE orders SET customer = 'late' WHERE id % 1000 = 1",
		"CHECKPOINT")
	want := rowsText(t, conn, "SELECT * FROM orders ORDER BY id")
	if len(want) != 20000-20000/7+500-51 {
		t.Fatalf("pqdb has %d rows", len(want))
	}
	if err := srv.Close(); err != nil { // publishes what is due
		t.Fatal(err)
	}

	ctx := context.Background()
	b, err := bucket.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	root := bucket.URI(data)
	location := icebergLocation(t, b)
	meta, err := iceberg.NewPublisher(b, root).CurrentMetadataURI(ctx, location)
	if err != nil || meta == "" {
		t.Fatalf("no Iceberg metadata at %s: %v", location, err)
	}
	fsys, err := iceio.LoadFS(ctx, map[string]string{
		iceio.S3EndpointURL:     s3.Endpoint,
		iceio.S3Region:          s3test.Region,
		iceio.S3AccessKeyID:     s3test.AccessKey,
		iceio.S3SecretAccessKey: s3test.SecretKey,
	}, root)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := table.NewFromLocation(ctx, table.Identifier{"public", "orders"}, meta,
		func(context.Context) (iceio.IO, error) { return fsys, nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	at, err := tbl.Scan().ToArrowTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer at.Release()
	if got, want := at.Schema().String(), "schema:\n  fields: 5\n    - id: type=int32\n    - customer: type=utf8, nullable\n    - tags: type=list<element: utf8, nullable>, nullable\n    - amount: type=decimal(12, 2), nullable\n    - qty: type=int64, nullable"; !strings.HasPrefix(got, want) {
		t.Fatalf("Iceberg schema read as\n%s\nwant\n%s", got, want)
	}
	var got [][]string
	tr := array.NewTableReader(at, 4096)
	defer tr.Release()
	for tr.Next() {
		rec := tr.RecordBatch()
		for i := range int(rec.NumRows()) {
			row := make([]string, rec.NumCols())
			for c := range row {
				switch col := rec.Column(c).(type) {
				case *array.List: // as PostgreSQL prints a text[] of plain words
					lo, hi := col.ValueOffsets(i)
					var elems []string
					for k := lo; k < hi; k++ {
						elems = append(elems, col.ListValues().ValueStr(int(k)))
					}
					row[c] = "{" + strings.Join(elems, ",") + "}"
				case *array.Decimal128: // ValueStr drops the scale's trailing zeros
					row[c] = col.Value(i).ToString(col.DataType().(*arrow.Decimal128Type).Scale)
				default:
					row[c] = col.ValueStr(i)
				}
				if rec.Column(c).IsNull(i) {
					row[c] = "NULL"
				}
			}
			got = append(got, row)
		}
	}
	if err := tr.Err(); err != nil {
		t.Fatal(err)
	}
	id := func(row []string) int {
		n, err := strconv.Atoi(row[0])
		if err != nil {
			t.Fatalf("id %q: %v", row[0], err)
		}
		return n
	}
	slices.SortFunc(got, func(a, b []string) int { return id(a) - id(b) })
	if len(got) != len(want) {
		t.Fatalf("iceberg-go read %d rows, pqdb has %d", len(got), len(want))
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Fatalf("row %d: iceberg-go read %v, pqdb has %v", i, got[i], want[i])
		}
	}
}

// icebergLocation is the location of the one Iceberg table in b: the
// prefix of its version hint.
func icebergLocation(t *testing.T, b *blob.Bucket) string {
	t.Helper()
	var found []string
	it := b.List(nil)
	for {
		obj, err := it.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if loc, ok := strings.CutSuffix(obj.Key, "/metadata/version-hint.text"); ok {
			found = append(found, loc)
		}
	}
	if len(found) != 1 {
		t.Fatalf("Iceberg tables in the bucket: %v", found)
	}
	return found[0]
}
