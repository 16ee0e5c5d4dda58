package server

import (
	"context"
	"testing"
)

// BenchmarkPointLookup measures `SELECT ... WHERE pk = $1` over the wire
// (pgx's extended protocol, one parameter) on a table of 1M rows flushed
// to Parquet by CHECKPOINT: the OLTP read path that row-group, page-index
// and bloom-filter pruning make cheap.
func BenchmarkPointLookup(b *testing.B) {
	c := context.Background()
	conn := benchConnection(b)
	const rows = 1 << 20
	for _, q := range []string{
		`CREATE TABLE accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84))`,
		`INSERT INTO accounts SELECT g, g / 100000, 0, '' FROM generate_series(1, 1048576) g`,
		`CHECKPOINT`,
	} {
		if _, err := conn.Exec(c, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	b.ResetTimer()
	var balance int32
	for i := 0; i < b.N; i++ {
		aid := int32(i*7919%rows + 1)
		if err := conn.QueryRow(c, `SELECT abalance FROM accounts WHERE aid = $1`, aid).Scan(&balance); err != nil {
			b.Fatal(err)
		}
	}
}
