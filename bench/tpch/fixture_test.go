package tpch

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// fixtureOrders keeps the generated prefix of lineitem small enough for fast
// tests while covering every return flag, line status and Q1/Q6 date range.
const fixtureOrders = 4000

// fixture is the one dbgen run of the test binary (dbgen runs once per
// process): the first fixtureOrders orders of SF1 lineitem, as a Parquet file
// and as the rows read back from it.
var fixture struct {
	path string
	rows []LineItem
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
	fixture.path = filepath.Join(dir, "lineitem.parquet")
	// A batch size that does not divide the row count exercises the short
	// final batch.
	n, err := WriteLineItemParquet(fixture.path, GenerateOptions{ScaleFactor: 1, MaxOrders: fixtureOrders, BatchRows: 1000})
	if err != nil {
		return 0, err
	}
	r, err := OpenLineItemParquet(fixture.path)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	buf := make([]LineItem, 777)
	for {
		k, err := r.Read(buf)
		fixture.rows = append(fixture.rows, buf[:k]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	if int64(len(fixture.rows)) != n {
		return 0, fmt.Errorf("wrote %d rows, read back %d", n, len(fixture.rows))
	}
	return m.Run(), nil
}
