package crashcheck

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

var (
	rounds     = flag.Int("crash.rounds", 50, "kill -9 rounds to run")
	clients    = flag.Int("crash.clients", 4, "concurrent writing clients")
	seed       = flag.Uint64("crash.seed", 1, "seed of the workload and the kill times")
	checkpoint = flag.Bool("crash.checkpoint", true, "run CHECKPOINT concurrently with the clients")
)

func TestMain(m *testing.M) {
	Child()
	os.Exit(m.Run())
}

// TestCrashConsistency runs the workload of the package doc: rounds of
// concurrent transactions ended by kill -9, each followed by a restart
// and an exact comparison of the table with the clients' models.
func TestCrashConsistency(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills server processes")
	}
	// The data directory outlives a failed run, for inspection.
	dir, err := os.MkdirTemp("", "pqdb-crashcheck-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("data directory kept: %s", dir)
		} else {
			os.RemoveAll(dir)
		}
	})
	rng := rand.New(rand.NewPCG(*seed, 0))
	cs := make([]*Client, *clients)
	for i := range cs {
		cs[i] = NewClient(i, *seed)
	}
	flushSizes := []int{40, 150, 1000, 1 << 20}
	for round := 0; round <= *rounds; round++ {
		flush := flushSizes[rng.IntN(len(flushSizes))]
		srv, err := StartServer(dir, flush)
		if err != nil {
			t.Fatal(err)
		}
		fail := func(format string, args ...any) {
			srv.Kill()
			t.Fatalf("seed %d, round %d (flush rows %d): %s", *seed, round, flush, fmt.Sprintf(format, args...))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		admin, err := pgx.Connect(ctx, srv.DSN())
		if err != nil {
			cancel()
			fail("connect: %v", err)
		}
		if round == 0 {
			for _, sql := range Schema {
				if _, err := admin.Exec(ctx, sql); err != nil {
					fail("%s: %v", sql, err)
				}
			}
		}
		if err := verify(ctx, admin, cs); err != nil {
			fail("after restart: %v", err)
		}
		// The history grows with the run: check it every tenth round.
		if round%10 == 0 || round == *rounds {
			if err := CheckHistory(ctx, admin); err != nil {
				fail("after restart: %v", err)
			}
		}
		if _, err := admin.Exec(ctx, "CHECKPOINT"); err != nil {
			fail("CHECKPOINT: %v", err)
		}
		if err := verify(ctx, admin, cs); err != nil {
			fail("after restart and CHECKPOINT: %v", err)
		}
		if round == *rounds {
			admin.Close(ctx)
			cancel()
			srv.Kill()
			break
		}
		if err := runRound(ctx, srv, admin, cs, rng); err != nil {
			fail("%v", err)
		}
		cancel()
	}
	var st Stats
	for _, c := range cs {
		st.Commits += c.stats.Commits
		st.Statements += c.stats.Statements
		st.Copies += c.stats.Copies
		st.Reads += c.stats.Reads
		st.Conflicts += c.stats.Conflicts
	}
	t.Logf("%d rounds, %d clients: %d commits, %d statements (%d COPY, %d checked reads), %d serialization failures",
		*rounds, *clients, st.Commits, st.Statements, st.Copies, st.Reads, st.Conflicts)
}

// runRound runs the clients and the checkpointer until the server is
// killed after a random 0.1–1.5 s.
func runRound(ctx context.Context, srv *Server, admin *pgx.Conn, cs []*Client, rng *rand.Rand) error {
	var killed atomic.Bool
	conns := make([]*pgx.Conn, len(cs))
	for i := range cs {
		c, err := pgx.Connect(ctx, srv.DSN())
		if err != nil {
			return err
		}
		conns[i] = c
	}
	errs := make([]error, len(cs)+1)
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.Run(ctx, conns[i], &killed)
		}()
	}
	if *checkpoint {
		pause := time.Duration(50+rng.IntN(400)) * time.Millisecond
		crng := rand.New(rand.NewPCG(rng.Uint64(), 1)) // rng stays this goroutine's
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !killed.Load() {
				time.Sleep(pause)
				// Checkpoints flush every tail; VACUUM also compacts.
				cmd := "CHECKPOINT"
				if crng.IntN(3) == 0 {
					cmd = "VACUUM cc"
				}
				if _, err := admin.Exec(ctx, cmd); err != nil && !killed.Load() {
					errs[len(cs)] = fmt.Errorf("%s: %w", cmd, err)
					return
				}
			}
		}()
	}
	time.Sleep(time.Duration(100+rng.IntN(1400)) * time.Millisecond)
	killed.Store(true)
	srv.Kill()
	wg.Wait()
	for _, c := range conns {
		c.Close(ctx)
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// verify reads both tables and reconciles them with the clients' models.
func verify(ctx context.Context, conn *pgx.Conn, cs []*Client) error {
	all, err := readRows(ctx, conn, 0, int64(len(cs))*rangeWidth)
	if err != nil {
		return err
	}
	ranges := make([]map[int64]Row, len(cs))
	models := make([]*Model, len(cs))
	for i, c := range cs {
		ranges[i] = map[int64]Row{}
		models[i] = c.Model
	}
	for k, r := range all {
		ranges[k/rangeWidth][k] = r
	}
	counts, err := readCounters(ctx, conn)
	if err != nil {
		return err
	}
	return Reconcile(models, ranges, counts)
}
