package server

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/pqdb/pqdb/internal/cputime"
)

// BenchmarkTPCBTransaction runs pgbench's TPC-B-like transaction (its
// five statements between BEGIN and END, prepared by pgx's statement
// cache) over the wire, one client, on pgbench's tables at scale 1 (one
// branch, ten tellers, 100k accounts) loaded and flushed by CHECKPOINT.
// cpu-ns/op is the process's CPU per transaction, the client's
// included: pgbench's throughput on the benchmark machine is bound by
// the server's CPU per transaction, which this isolates from the other
// clients' and the scheduler's noise. Run it for a few thousand
// transactions (-benchtime 5000x) so that the tables' tails fill and
// flush as they do under pgbench.
func BenchmarkTPCBTransaction(b *testing.B) {
	c := context.Background()
	conn := benchConnection(b)
	const branches, tellers, accounts = 1, 10, 100000
	for _, q := range []string{
		`CREATE TABLE pgbench_branches (bid int PRIMARY KEY, bbalance int, filler char(88))`,
		`CREATE TABLE pgbench_tellers (tid int PRIMARY KEY, bid int, tbalance int, filler char(84))`,
		`CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84))`,
		`CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))`,
		`INSERT INTO pgbench_branches SELECT g, 0, '' FROM generate_series(1, 1) g`,
		`INSERT INTO pgbench_tellers SELECT g, (g - 1) / 10 + 1, 0, '' FROM generate_series(1, 10) g`,
		`INSERT INTO pgbench_accounts SELECT g, (g - 1) / 100000 + 1, 0, '' FROM generate_series(1, 100000) g`,
		`CHECKPOINT`,
	} {
		if _, err := conn.Exec(c, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	cpu := cputime.Process()
	for b.Loop() {
		aid, tid, bid := rng.IntN(accounts)+1, rng.IntN(tellers)+1, rng.IntN(branches)+1
		delta := rng.IntN(10001) - 5000
		tx, err := conn.Begin(c)
		if err != nil {
			b.Fatal(err)
		}
		var balance int32
		for _, step := range []func() error{
			func() error {
				_, err := tx.Exec(c, `UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2`, delta, aid)
				return err
			},
			func() error {
				return tx.QueryRow(c, `SELECT abalance FROM pgbench_accounts WHERE aid = $1`, aid).Scan(&balance)
			},
			func() error {
				_, err := tx.Exec(c, `UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2`, delta, tid)
				return err
			},
			func() error {
				_, err := tx.Exec(c, `UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2`, delta, bid)
				return err
			},
			func() error {
				_, err := tx.Exec(c, `INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)`, tid, bid, aid, delta)
				return err
			},
		} {
			if err := step(); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N), "cpu-ns/op")
}
