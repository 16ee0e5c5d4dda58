package storage

import (
	"slices"
	"strconv"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Computed keys: a unique index whose key columns include expressions
// (lower(email)) or which has a predicate (WHERE deleted_at IS NULL)
// keys its rows by values storage cannot compute, knowing no SQL. The
// layer that does gives it, through Options.IndexKeys, a function that
// computes a batch's key columns and which rows the index holds; storage
// encodes and compares those keys as it does a plain index's columns,
// and a row the predicate leaves out holds no key (like a NULL one).

// IndexKeys computes the keys of one index over batches of its table's
// rows.
type IndexKeys struct {
	// Names are the key columns as a unique violation's detail names
	// them: email, lower(email), (a + b).
	Names []string
	// Types are the key columns' types.
	Types []catalog.Type
	// Compute returns, for rec (the table's columns in order, maybe
	// followed by others), one array of rec's length per key column, and
	// which rows the index holds (nil for all). The caller releases the
	// arrays.
	Compute func(rec arrow.Record) (keys []arrow.Array, holds []bool, err error)
}

// IndexKeysFunc makes the IndexKeys of index ix of table tbl; cat is the
// catalog of ix's schema to resolve names in.
type IndexKeysFunc func(cat *Snapshot, tbl *catalog.Table, ix *catalog.Index) (*IndexKeys, error)

// compiledKeys caches the IndexKeys of computed indexes by index id, for
// the definitions they were made for (catalog objects never change once
// stored, so identity is enough).
type compiledKeys struct {
	mu   sync.Mutex
	byID map[int64]compiledKey
}

type compiledKey struct {
	ix   *catalog.Index
	tbl  *catalog.Table
	keys *IndexKeys
}

// indexKeys returns the IndexKeys of ix, a computed index of tbl in
// state st, made once per definition.
func (s *Store) indexKeys(st *nsState, tbl *catalog.Table, ix *catalog.Index) (*IndexKeys, error) {
	s.compiled.mu.Lock()
	c, ok := s.compiled.byID[ix.ID]
	s.compiled.mu.Unlock()
	if ok && c.ix == ix && c.tbl == tbl {
		return c.keys, nil
	}
	if s.opts.IndexKeys == nil {
		return nil, pgerr.Unsupported("index \"%s\" needs expressions computed, which this store cannot", ix.Name)
	}
	keys, err := s.opts.IndexKeys(&Snapshot{store: s, spaces: map[string]*nsState{st.name: st}}, tbl, ix)
	if err != nil {
		return nil, err
	}
	s.compiled.mu.Lock()
	if s.compiled.byID == nil {
		s.compiled.byID = map[int64]compiledKey{}
	}
	s.compiled.byID[ix.ID] = compiledKey{ix: ix, tbl: tbl, keys: keys}
	s.compiled.mu.Unlock()
	return keys, nil
}

// computedConstraint is the key constraint of the computed unique index
// ix of tbl. Its key index is its own (sig names the index), and it
// reads every column of the table.
func computedConstraint(tbl *catalog.Table, ix *catalog.Index, keys *IndexKeys) keyConstraint {
	cols := make([]int, len(tbl.Columns))
	for i := range cols {
		cols[i] = i
	}
	return keyConstraint{name: ix.Name, id: ix.ID, cols: cols, names: keys.Names, types: keys.Types,
		sig: "\x00index " + strconv.FormatInt(ix.ID, 10), computed: keys}
}

// keyed is a batch's key columns as they were encoded: the record they
// are columns cols of, which renders a violation's key.
type keyed struct {
	rec  arrow.Record
	cols []int
}

func (k keyed) release() { k.rec.Release() }

// encodeKeys encodes into kb the keys of the rows of rec: the columns
// cols of rec (types types), or with computed set, the keys it computes
// from rec, the table's columns. A row a computed index does not hold
// has a NULL key, which never conflicts.
func encodeKeys(kb *keyBatch, computed *IndexKeys, rec arrow.Record, cols []int, types []catalog.Type) (keyed, error) {
	if computed == nil {
		kb.encode(rec, cols, types)
		rec.Retain()
		return keyed{rec: rec, cols: cols}, nil
	}
	arrs, holds, err := computed.Compute(rec)
	if err != nil {
		return keyed{}, err
	}
	fields := make([]arrow.Field, len(arrs))
	pos := make([]int, len(arrs))
	for i, a := range arrs {
		if holds != nil {
			// The values of rows the index does not hold may be
			// anything: they are NULL keys.
			arrs[i] = withNulls(a, holds)
			a.Release()
		}
		fields[i] = arrow.Field{Name: strconv.Itoa(i), Type: arrs[i].DataType(), Nullable: true}
		pos[i] = i
	}
	krec := array.NewRecord(arrow.NewSchema(fields, nil), arrs, rec.NumRows())
	for _, a := range arrs {
		a.Release()
	}
	kb.encode(krec, pos, types)
	return keyed{rec: krec, cols: pos}, nil
}

// withNulls is a with its rows that holds leaves out made NULL.
func withNulls(a arrow.Array, holds []bool) arrow.Array {
	d := a.Data()
	n, off := d.Len(), d.Offset()
	bm := make([]byte, bitutil.BytesForBits(int64(off+n)))
	nulls := 0
	for i := range n {
		if holds[i] && a.IsValid(i) {
			bitutil.SetBit(bm, off+i)
		} else {
			nulls++
		}
	}
	bufs := slices.Clone(d.Buffers())
	bufs[0] = memory.NewBufferBytes(bm)
	var nd arrow.ArrayData
	if dict := d.Dictionary(); dict != nil {
		nd = array.NewDataWithDictionary(d.DataType(), n, bufs, nulls, off, dict.(*array.Data))
	} else {
		nd = array.NewData(d.DataType(), n, bufs, d.Children(), nulls, off)
	}
	defer nd.Release()
	return array.MakeFromData(nd)
}

// encodeKeys encodes the keys of c of the rows of rec (see the function).
func (c *keyConstraint) encodeKeys(kb *keyBatch, rec arrow.Record) (keyed, error) {
	return encodeKeys(kb, c.computed, rec, c.cols, c.types)
}
