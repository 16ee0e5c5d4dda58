package server

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/pqdb/pqdb/catalog"
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

// TestJSONBOverTheWire: jsonb in binary is jsonb_send's version byte 1
// and the text, both ways; the server stores the canonical text whatever
// the client sent, reads json's binary form as its text, and rejects an
// unknown version (XX000, jsonb_recv's elog) and an empty value (08P01)
// as PostgreSQL does. pgx's own jsonb codec, which sends binary when the
// parameter's type is known, round-trips a document used in @>.
func TestJSONBOverTheWire(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE jw (id int, doc jsonb, raw json)`)
	pc := conn.PgConn()
	oids := []uint32{catalog.OIDInt4, catalog.OIDJsonb, catalog.OIDJson}
	binary := []int16{1, 1, 1}
	res := pc.ExecParams(ctx(t), "INSERT INTO jw VALUES ($1, $2, $3)",
		[][]byte{{0, 0, 0, 1}, []byte("\x01{\"b\": [1, 2.50], \"a\": 1.0, \"b\": 3}"), []byte(` {"k":1, "k":2} `)},
		oids, binary, nil).Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	res = pc.ExecParams(ctx(t), "SELECT doc, raw, doc -> 'a' FROM jw", nil, nil, nil, []int16{1, 1, 0}).Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if len(res.Rows) != 1 || string(res.Rows[0][0]) != "\x01{\"a\": 1.0, \"b\": 3}" || string(res.Rows[0][1]) != ` {"k":1, "k":2} ` || string(res.Rows[0][2]) != "1.0" {
		t.Fatalf("binary results: %q", res.Rows)
	}
	for _, c := range []struct {
		value []byte
		code  string
	}{
		{[]byte("\x02{}"), "XX000"},
		{[]byte{}, "08P01"},
		{[]byte("\x01{\"a\" 1}"), "22P02"},
	} {
		res := pc.ExecParams(ctx(t), "SELECT $1::jsonb", [][]byte{c.value}, []uint32{catalog.OIDJsonb}, []int16{1}, nil).Read()
		if sqlstate(res.Err) != c.code {
			t.Errorf("jsonb_recv(%q): %v, want %s", c.value, res.Err, c.code)
		}
	}

	// pgx's codecs: a map parameter (sent in binary as jsonb), a
	// document read back into a map.
	var id int32
	var got map[string]any
	if err := conn.QueryRow(ctx(t), "SELECT id, doc FROM jw WHERE doc @> $1", map[string]any{"b": 3}).Scan(&id, &got); err != nil {
		t.Fatal(err)
	}
	if id != 1 || got["a"] != 1.0 || got["b"] != 3.0 {
		t.Fatalf("doc @> $1: %d %v", id, got)
	}
	var n int
	if err := conn.QueryRow(ctx(t), "SELECT count(*) FROM jw WHERE doc = $1", `{"b": 3.00, "a": 1}`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("doc = $1 (text): %d %v", n, err)
	}
}
