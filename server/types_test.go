package server

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

func TestAllTypesBinaryRoundTrip(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE ty (u uuid, j jsonb, js json, b bytea, iv interval, tm time, ts timestamp, tz timestamptz, o oid, n numeric(20,5), f4 real, c char(3))`)
	u := pgtype.UUID{Bytes: [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, Valid: true}
	ts := time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC)
	_, err := conn.Exec(ctx(t), "INSERT INTO ty VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
		u, map[string]any{"a": 1.0}, `{"b": [1, 2]}`, []byte{0, 255}, pgtype.Interval{Months: 14, Days: 3, Microseconds: 5000000, Valid: true},
		pgtype.Time{Microseconds: 3723000000, Valid: true}, ts, ts, uint32(42), "12345.67891", float32(1.5), "ab")
	if err != nil {
		t.Fatal(err)
	}
	var (
		gu  pgtype.UUID
		gj  map[string]any
		gjs string
		gb  []byte
		giv pgtype.Interval
		gtm pgtype.Time
		gts time.Time
		gtz time.Time
		go_ uint32
		gn  pgtype.Numeric
		gf  float32
		gc  string
	)
	err = conn.QueryRow(ctx(t), "SELECT * FROM ty").Scan(&gu, &gj, &gjs, &gb, &giv, &gtm, &gts, &gtz, &go_, &gn, &gf, &gc)
	if err != nil {
		t.Fatal(err)
	}
	if gu != u || gj["a"] != 1.0 || gjs != `{"b": [1, 2]}` || string(gb) != "\x00\xff" || giv.Months != 14 || giv.Days != 3 || giv.Microseconds != 5000000 ||
		gtm.Microseconds != 3723000000 || !gts.Equal(ts) || !gtz.Equal(ts) || go_ != 42 || gf != 1.5 || gc != "ab " {
		t.Fatalf("round trip: %v %v %q %v %+v %+v %v %v %v %v %q", gu, gj, gjs, gb, giv, gtm, gts, gtz, go_, gf, gc)
	}
	if v, _ := gn.Value(); v != "12345.67891" {
		t.Fatalf("numeric: %v", v)
	}
}
