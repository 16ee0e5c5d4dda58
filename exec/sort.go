package exec

import (
	"bytes"
	"encoding/binary"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// NewSort orders its whole input by keys (a sink, then a source): it
// materializes the input, encodes normalized keys (see sort_key.go),
// stable-sorts row numbers by them and emits the rows in order, in
// batches. Equal keys keep their input order.
func NewSort(in Operator, keys []SortKey) Operator {
	return &sortOp{in: in, keys: keys}
}

type sortOp struct {
	in   Operator
	keys []SortKey

	ctx     *Context
	sorted  []arrow.Array
	emitted int
	done    bool
	out     *Batch
}

func (s *sortOp) Types() []catalog.Type { return s.in.Types() }

func (s *sortOp) Open(ctx *Context) error {
	s.ctx, s.done, s.emitted = ctx, false, 0
	return s.in.Open(ctx)
}

func (s *sortOp) sortAll() error {
	cols, n, err := materialize(s.ctx, s.in)
	if err != nil {
		return err
	}
	defer releaseAll(cols)
	order, err := sortOrder(s.ctx, s.keys, cols, n)
	if err != nil {
		return err
	}
	s.sorted = make([]arrow.Array, len(cols))
	for c, t := range s.in.Types() {
		s.sorted[c] = take(s.ctx.Mem, t, cols[c], order)
	}
	return nil
}

// sortOrder returns the row numbers of the dense batch cols in key order.
func sortOrder(ctx *Context, keys []SortKey, cols []arrow.Array, n int) ([]int32, error) {
	exprs := make([]Expr, len(keys))
	for i, k := range keys {
		exprs[i] = k.Expr
	}
	kcols, err := evalAll(ctx, exprs, &Batch{Cols: cols, Len: n})
	if err != nil {
		return nil, err
	}
	defer releaseAll(kcols)
	sk := encodeSortKeys(keys, kcols, n)
	// Sort (prefix, row) pairs: the first 8 key bytes as an integer decide
	// most comparisons without touching the arena, and the row number
	// breaks ties, which makes the unstable pdqsort stable.
	entries := make([]sortEntry, n)
	for i := range entries {
		entries[i] = sortEntry{prefix: keyPrefix(sk.key(i)), row: int32(i)}
	}
	slices.SortFunc(entries, func(a, b sortEntry) int {
		if a.prefix != b.prefix {
			if a.prefix < b.prefix {
				return -1
			}
			return 1
		}
		if c := bytes.Compare(sk.key(int(a.row)), sk.key(int(b.row))); c != 0 {
			return c
		}
		return int(a.row - b.row)
	})
	order := make([]int32, n)
	for i, e := range entries {
		order[i] = e.row
	}
	return order, nil
}

type sortEntry struct {
	prefix uint64
	row    int32
}

// keyPrefix is the first 8 bytes of a key, big-endian, zero-padded; equal
// prefixes fall back to comparing whole keys.
func keyPrefix(k []byte) uint64 {
	if len(k) >= 8 {
		return binary.BigEndian.Uint64(k)
	}
	var buf [8]byte
	copy(buf[:], k)
	return binary.BigEndian.Uint64(buf[:])
}

func (s *sortOp) Next() (*Batch, error) {
	s.release()
	if !s.done {
		s.done = true
		if err := s.sortAll(); err != nil {
			return nil, err
		}
	}
	return s.emit()
}

func (s *sortOp) emit() (*Batch, error) {
	if len(s.sorted) == 0 || s.emitted >= s.sorted[0].Len() {
		return nil, nil
	}
	if err := s.ctx.Ctx.Err(); err != nil {
		return nil, err
	}
	total := s.sorted[0].Len()
	end := min(total, s.emitted+s.ctx.MaxBatchRows())
	cols := make([]arrow.Array, len(s.sorted))
	for i, c := range s.sorted {
		cols[i] = array.NewSlice(c, int64(s.emitted), int64(end))
	}
	s.out = &Batch{Cols: cols, Len: end - s.emitted}
	s.emitted = end
	return s.out, nil
}

func (s *sortOp) release() {
	if s.out != nil {
		s.out.Release()
		s.out = nil
	}
}

func (s *sortOp) Close() {
	s.release()
	releaseAll(s.sorted)
	s.sorted = nil
	if s.in != nil {
		s.in.Close()
	}
}
