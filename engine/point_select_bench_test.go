package engine

import (
	"context"
	"strconv"
	"testing"

	"github.com/pqdb/pqdb/internal/cputime"
)

// BenchmarkPointSelectSession is the engine's share of pgbench -S: a
// prepared `SELECT abalance FROM accounts WHERE aid = $1` bound with a
// text parameter, run in its implicit transaction and ended, over rows
// flushed to a segment ("flushed"), or over a table that a TPC-B run
// left behind: an eighth of the rows updated one per transaction, their
// old versions deleted from the segment, the new ones in later segments
// and the tail ("updated"), or all of them rewritten into one segment in
// key order, as compaction leaves them, with a few more updates in the
// tail ("rewritten"); the protocol around it is left out.
func BenchmarkPointSelectSession(b *testing.B) {
	b.Run("flushed", func(b *testing.B) { benchmarkPointSelect(b, 0, false) })
	b.Run("updated", func(b *testing.B) { benchmarkPointSelect(b, 12_500, false) })
	b.Run("rewritten", func(b *testing.B) { benchmarkPointSelect(b, 12_500, true) })
}

func benchmarkPointSelect(b *testing.B, updates int, rewrite bool) {
	const rows = 100_000
	s := testSessionWith(b, Config{DataDir: b.TempDir()})
	simple(b, s, `CREATE TABLE accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84))`)
	simple(b, s, `INSERT INTO accounts SELECT g, 1, 0, '' FROM generate_series(1, `+strconv.Itoa(rows)+`) g`)
	simple(b, s, `CHECKPOINT`)
	for i := range updates {
		simple(b, s, `UPDATE accounts SET abalance = abalance + 1 WHERE aid = `+strconv.Itoa(i*104729%rows+1))
	}
	if rewrite {
		simple(b, s, `VACUUM FULL accounts`)
		for i := range 100 { // the tail deletes rows again
			simple(b, s, `UPDATE accounts SET abalance = abalance + 1 WHERE aid = `+strconv.Itoa(i*7+1))
		}
	}
	stmts, err := s.Parse(`SELECT abalance FROM accounts WHERE aid = $1`)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	params, _, err := s.Describe(ctx, stmts[0], nil)
	if err != nil {
		b.Fatal(err)
	}
	w := &discardRows{}
	args := [][]byte{nil}
	formats := []int16{0}
	b.ReportAllocs()
	cpu := cputime.Process()
	i := 0
	for b.Loop() {
		i++
		args[0] = strconv.AppendInt(args[0][:0], int64(i*7919%rows+1), 10)
		if err := s.CheckParameters(params, args, formats); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Execute(ctx, stmts[0], params, args, formats, nil, w); err != nil {
			b.Fatal(err)
		}
		if err := s.EndImplicitTransaction(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N), "cpu-ns/op")
}
