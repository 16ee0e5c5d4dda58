package tpch

import (
	"errors"
	"fmt"
	"io"
	"os"
	"testing"
)

// fixtureOrders is the number of orders in the test data: the orders and
// lineitem row counts of SF 0.01 (15,000 and about 60,000), which the dbgen
// port cannot generate itself because it only takes whole scale factors. It
// covers every return flag, line status and query date range.
const fixtureOrders = 15000

// fixture is the one dbgen run of the test binary (dbgen runs once per
// process): all eight tables of SF1, orders and lineitem cut after the first
// fixtureOrders orders, as Parquet files, with lineitem also as the rows read
// back from its file.
var fixture struct {
	files map[string]string
	rows  map[string]int64
	lines []LineItem
	// cleanup stops what tests started for the whole binary (a server).
	cleanup []func()
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tpch-test-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code, err := runWithFixture(m, dir)
	os.RemoveAll(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fixture:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func runWithFixture(m *testing.M, dir string) (int, error) {
	// A batch size that does not divide the row counts exercises the short
	// final batches.
	rows, err := WriteTables(dir, GenerateOptions{ScaleFactor: 1, MaxOrders: fixtureOrders, BatchRows: 1000})
	if err != nil {
		return 0, err
	}
	fixture.rows = rows
	fixture.files = map[string]string{}
	for _, t := range Tables {
		fixture.files[t.Name()] = TableFile(dir, t.Name(), 1)
	}
	if fixture.lines, err = readAll[LineItem](fixture.files["lineitem"], -1); err != nil {
		return 0, err
	}
	if int64(len(fixture.lines)) != rows["lineitem"] {
		return 0, fmt.Errorf("wrote %d lineitem rows, read back %d", rows["lineitem"], len(fixture.lines))
	}
	code := m.Run()
	for _, f := range fixture.cleanup {
		f()
	}
	return code, nil
}

// readAll reads the first limit rows of a Parquet file (all of them when limit
// is negative).
func readAll[T any](path string, limit int) ([]T, error) {
	r, err := OpenParquet[T](path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []T
	buf := make([]T, 777)
	for limit < 0 || len(out) < limit {
		k, err := r.Read(buf)
		out = append(out, buf[:k]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
