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
var generated struct {
	sync.Mutex
	done bool
}

// errEnoughOrders stops dbgen once a caller's order limit is reached.
var errEnoughOrders = errors.New("tpch: order limit reached")

// GenerateOptions bounds one generation run.
type GenerateOptions struct {
	// ScaleFactor is the TPC-H scale factor (1 gives 6,001,215 lineitem rows).
	ScaleFactor int64
	// MaxOrders stops after this many orders (0: the whole table). The rows
	// produced are then exactly the first rows of the full table.
	MaxOrders int64
	// BatchRows is the number of rows handed to emit at a time.
	BatchRows int
}

// Generate produces lineitem rows with dbgen and hands them to emit in batches
// of opts.BatchRows rows (the last one may be shorter). emit must not keep the
// slice: it is reused for the next batch. Generate returns the number of rows
// produced. It can run once per process.
func Generate(opts GenerateOptions, emit func([]LineItem) error) (int64, error) {
	if opts.ScaleFactor < 1 {
		return 0, fmt.Errorf("tpch: scale factor must be a positive integer, got %d", opts.ScaleFactor)
	}
	if opts.BatchRows < 1 {
		return 0, fmt.Errorf("tpch: batch size must be positive, got %d", opts.BatchRows)
	}
	generated.Lock()
	defer generated.Unlock()
	if generated.done {
		return 0, errors.New("tpch: dbgen has already run in this process; its global state cannot be reset")
	}
	generated.done = true

	dbgen.InitDbGen(opts.ScaleFactor)
	sink := &lineItemSink{
		emit:      emit,
		maxOrders: opts.MaxOrders,
		batch:     make([]LineItem, 0, opts.BatchRows+8),
		batchRows: opts.BatchRows,
	}
	err := dbgen.DbGen(map[dbgen.Table]dbgen.Loader{dbgen.TLine: sink}, []dbgen.Table{dbgen.TLine})
	// dbgen flattens loader errors into text, so the sink remembers its own.
	if sink.err != nil && !errors.Is(sink.err, errEnoughOrders) {
		return sink.rows, sink.err
	}
	if sink.err == nil && err != nil {
		return sink.rows, err
	}
	if err := sink.flush(); err != nil {
		return sink.rows, err
	}
	return sink.rows, nil
}

// lineItemSink is the dbgen.Loader that turns generated orders into batches of
// LineItem rows.
type lineItemSink struct {
	emit      func([]LineItem) error
	maxOrders int64
	orders    int64
	rows      int64
	batch     []LineItem
	batchRows int
	err       error
}

func (s *lineItemSink) Load(item any) error {
	if s.err != nil {
		return s.err
	}
	order, ok := item.(*dbgen.Order)
	if !ok {
		s.err = fmt.Errorf("tpch: dbgen produced %T, expected an order", item)
		return s.err
	}
	if s.maxOrders > 0 && s.orders >= s.maxOrders {
		s.err = errEnoughOrders
		return s.err
	}
	s.orders++
	for i := range order.Lines {
		row, err := convertLine(&order.Lines[i])
		if err != nil {
			s.err = err
			return err
		}
		s.batch = append(s.batch, row)
		if len(s.batch) >= s.batchRows {
			if err := s.flush(); err != nil {
				s.err = err
				return err
			}
		}
	}
	return nil
}

// Flush is called by dbgen after the table; the final partial batch is emitted
// by Generate instead, where its error can be returned.
func (s *lineItemSink) Flush() error { return nil }

func (s *lineItemSink) flush() error {
	if len(s.batch) == 0 {
		return nil
	}
	if err := s.emit(s.batch); err != nil {
		return err
	}
	s.rows += int64(len(s.batch))
	s.batch = s.batch[:0]
	return nil
}

// convertLine maps dbgen's representation (quantity in units, money and rates
// in hundredths, dates as text) to the stored one.
func convertLine(l *dbgen.LineItem) (LineItem, error) {
	ship, err := parseDays(l.SDate)
	if err != nil {
		return LineItem{}, err
	}
	commit, err := parseDays(l.CDate)
	if err != nil {
		return LineItem{}, err
	}
	receipt, err := parseDays(l.RDate)
	if err != nil {
		return LineItem{}, err
	}
	return LineItem{
		OrderKey:      int64(l.OKey),
		PartKey:       int64(l.PartKey),
		SuppKey:       int64(l.SuppKey),
		LineNumber:    int32(l.LCnt),
		Quantity:      int64(l.Quantity) * 100,
		ExtendedPrice: int64(l.EPrice),
		Discount:      int64(l.Discount),
		Tax:           int64(l.Tax),
		ReturnFlag:    string(rune(l.RFlag)),
		LineStatus:    string(rune(l.LStatus)),
		ShipDate:      ship,
		CommitDate:    commit,
		ReceiptDate:   receipt,
		ShipInstruct:  l.ShipInstruct,
		ShipMode:      l.ShipMode,
		Comment:       l.Comment,
	}, nil
}
