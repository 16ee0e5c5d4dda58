package tpch

import (
	"errors"
	"fmt"
	"sync"

	"github.com/pingcap/go-tpc/tpch/dbgen"
)

// generated guards dbgen's process-global state: its distributions are
// appended to on every initialisation and its random streams advance as rows
// are made, so a second generation in the same process would be wrong data.
// That is why one Generate call makes every table a run needs.
var generated struct {
	sync.Mutex
	done bool
}

// GenerateOptions bounds one generation run.
type GenerateOptions struct {
	// ScaleFactor is the TPC-H scale factor (1 gives 6,001,215 lineitem rows).
	// The dbgen port only supports whole scale factors.
	ScaleFactor int64
	// MaxOrders stops orders and lineitem after this many orders (0: the whole
	// tables). The rows produced are then exactly the first rows of the full
	// tables, and every key they hold exists in the other tables, which are
	// always generated whole.
	MaxOrders int64
	// BatchRows is the number of rows handed to an emitter at a time.
	BatchRows int
}

// Emitters receive the generated rows of each table in batches of at most
// GenerateOptions.BatchRows rows (the last one may be shorter). An emitter
// must not keep the slice: it is reused for the next batch. A nil emitter
// skips its table, unless it is generated anyway for its partner (part with
// partsupp, orders with lineitem), whose rows come from the same dbgen items.
type Emitters struct {
	Region   func([]Region) error
	Nation   func([]Nation) error
	Supplier func([]Supplier) error
	Customer func([]Customer) error
	Part     func([]Part) error
	PartSupp func([]PartSupp) error
	Orders   func([]Order) error
	LineItem func([]LineItem) error
}

// Generate runs dbgen once for every table that has an emitter and returns the
// rows produced per table name. It can run once per process.
func Generate(opts GenerateOptions, em Emitters) (map[string]int64, error) {
	if opts.ScaleFactor < 1 {
		return nil, fmt.Errorf("tpch: scale factor must be a positive integer, got %d", opts.ScaleFactor)
	}
	if opts.BatchRows < 1 {
		return nil, fmt.Errorf("tpch: batch size must be positive, got %d", opts.BatchRows)
	}
	generated.Lock()
	defer generated.Unlock()
	if generated.done {
		return nil, errors.New("tpch: dbgen has already run in this process; its global state cannot be reset")
	}
	generated.done = true
	dbgen.InitDbGen(opts.ScaleFactor)

	rows := map[string]int64{}
	n := opts.BatchRows
	// Each dbgen table draws from its own random streams, so the order of the
	// runs does not change any row; orders come last because a MaxOrders stop
	// ends their run early.
	runs := []struct {
		table dbgen.Table
		sinks map[dbgen.Table]batchSink
	}{
		{dbgen.TRegion, map[dbgen.Table]batchSink{dbgen.TRegion: newSink("region", em.Region, regionsOf, n, 0)}},
		{dbgen.TNation, map[dbgen.Table]batchSink{dbgen.TNation: newSink("nation", em.Nation, nationsOf, n, 0)}},
		{dbgen.TSupp, map[dbgen.Table]batchSink{dbgen.TSupp: newSink("supplier", em.Supplier, suppliersOf, n, 0)}},
		{dbgen.TCust, map[dbgen.Table]batchSink{dbgen.TCust: newSink("customer", em.Customer, customersOf, n, 0)}},
		{dbgen.TPartPsupp, map[dbgen.Table]batchSink{
			dbgen.TPart:  newSink("part", em.Part, partsOf, n, 0),
			dbgen.TPsupp: newSink("partsupp", em.PartSupp, partSuppsOf, n, 0),
		}},
		{dbgen.TOrderLine, map[dbgen.Table]batchSink{
			dbgen.TOrder: newSink("orders", em.Orders, ordersOf, n, opts.MaxOrders),
			dbgen.TLine:  newSink("lineitem", em.LineItem, lineItemsOf, n, opts.MaxOrders),
		}},
	}
	for _, run := range runs {
		wanted := false
		loaders := map[dbgen.Table]dbgen.Loader{}
		for t, s := range run.sinks {
			wanted = wanted || s.wanted()
			loaders[t] = s
		}
		if !wanted {
			continue
		}
		err := dbgen.DbGen(loaders, []dbgen.Table{run.table})
		for _, s := range run.sinks {
			// dbgen flattens loader errors into text, so each sink
			// remembers its own.
			if serr := s.finish(); serr != nil {
				return rows, serr
			}
			if s.wanted() {
				rows[s.tableName()] = s.rowCount()
			}
		}
		if err != nil && !stoppedAtLimit(run.sinks) {
			return rows, err
		}
	}
	return rows, nil
}

// stoppedAtLimit reports whether dbgen's error is only a sink ending the run
// at its MaxOrders limit.
func stoppedAtLimit(sinks map[dbgen.Table]batchSink) bool {
	for _, s := range sinks {
		if s.reachedLimit() {
			return true
		}
	}
	return false
}

// dbgenItem checks the type of an item dbgen hands to a loader.
func dbgenItem[T any](item any) (*T, error) {
	v, ok := item.(*T)
	if !ok {
		return nil, fmt.Errorf("tpch: dbgen produced %T, expected %T", item, v)
	}
	return v, nil
}
