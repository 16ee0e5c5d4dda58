package storage

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// pkIndex maps the encoded primary key of every committed live row of a
// table to its row id. It is built on first use by scanning the table and
// then maintained by each commit, on the writer goroutine, under pkMu.
type pkIndex struct {
	keys map[string]int64
	byID map[int64]string
}

// appendKey appends an order-free, unambiguous encoding of the key
// columns of row i of rec to buf.
func appendKey(buf []byte, rec arrow.Record, cols []int, i int) []byte {
	for _, c := range cols {
		arr := rec.Column(c)
		switch a := arr.(type) {
		case *array.String:
			buf = binary.AppendUvarint(buf, uint64(a.ValueLen(i)))
			buf = append(buf, a.Value(i)...)
		case *array.Binary:
			v := a.Value(i)
			buf = binary.AppendUvarint(buf, uint64(len(v)))
			buf = append(buf, v...)
		case *array.Boolean:
			if a.Value(i) {
				buf = append(buf, 1)
			} else {
				buf = append(buf, 0)
			}
		default:
			w := arr.DataType().(arrow.FixedWidthDataType).BitWidth() / 8
			raw := fixedBytes(arr, w)
			buf = append(buf, raw[i*w:(i+1)*w]...)
		}
	}
	return buf
}

// keyDetail renders row i's key for the DETAIL of a unique violation.
func keyDetail(tbl *catalog.Table, rec arrow.Record, i int) string {
	names := make([]string, len(tbl.PrimaryKey))
	vals := make([]string, len(tbl.PrimaryKey))
	for j, c := range tbl.PrimaryKey {
		names[j] = tbl.Columns[c].Name
		vals[j] = rec.Column(c).ValueStr(i)
	}
	return fmt.Sprintf("Key (%s)=(%s) already exists.", strings.Join(names, ", "), strings.Join(vals, ", "))
}

func uniqueViolation(tbl *catalog.Table, rec arrow.Record, i int) error {
	e := pgerr.New(pgerr.UniqueViolation, "duplicate key value violates unique constraint %q", tbl.Name+"_pkey")
	e.Detail = keyDetail(tbl, rec, i)
	return e
}

// ensurePK builds the primary-key index of a table if needed (writer
// goroutine).
func (ns *namespace) ensurePK(id int64) error {
	ns.pkMu.RLock()
	built := ns.pk[id] != nil
	ns.pkMu.RUnlock()
	if built {
		return nil
	}
	ts := ns.state.Load().byID[id]
	if ts == nil || len(ts.table.PrimaryKey) == 0 {
		return nil
	}
	idx := &pkIndex{keys: map[string]int64{}, byID: map[int64]string{}}
	r, err := newScan(ns.store, ts, nil, ts.table.PrimaryKey, nil)
	if err != nil {
		return err
	}
	defer r.Close()
	cols := make([]int, len(ts.table.PrimaryKey))
	for i := range cols {
		cols[i] = i
	}
	var buf []byte
	for {
		rec, err := r.Next()
		if err != nil {
			return err
		}
		if rec == nil {
			break
		}
		ids := rec.Column(len(cols)).(*array.Int64).Int64Values()
		for i := 0; i < int(rec.NumRows()); i++ {
			buf = appendKey(buf[:0], rec, cols, i)
			k := string(buf)
			idx.keys[k] = ids[i]
			idx.byID[ids[i]] = k
		}
	}
	ns.pkMu.Lock()
	ns.pk[id] = idx
	ns.pkMu.Unlock()
	return nil
}

// checkPK verifies that the rows tc inserts do not duplicate a committed
// key, other than keys of rows tc deletes (writer goroutine).
func (ns *namespace) checkPK(tc *tableCommit) error {
	ns.pkMu.RLock()
	defer ns.pkMu.RUnlock()
	idx := ns.pk[tc.table.ID] // nil for a table not yet published
	seen := map[string]bool{}
	var buf []byte
	for _, rec := range tc.inserts {
		for i := 0; i < int(rec.NumRows()); i++ {
			buf = appendKey(buf[:0], rec, tc.table.PrimaryKey, i)
			if seen[string(buf)] {
				return uniqueViolation(tc.table, rec, i)
			}
			if idx == nil {
				seen[string(buf)] = true
				continue
			}
			if r, ok := idx.keys[string(buf)]; ok {
				if _, replaced := slices.BinarySearch(tc.deletes, r); !replaced {
					return uniqueViolation(tc.table, rec, i)
				}
			}
			seen[string(buf)] = true
		}
	}
	return nil
}

// maintainPK applies a commit's change to the table's key index and
// reports whether there was an index to change.
func (ns *namespace) maintainPK(id int64, tc *tableCommit) bool {
	if len(tc.table.PrimaryKey) == 0 {
		return false
	}
	ns.pkMu.Lock()
	defer ns.pkMu.Unlock()
	idx := ns.pk[id]
	if idx == nil {
		return false
	}
	for _, r := range tc.deletes {
		if k, ok := idx.byID[r]; ok {
			delete(idx.byID, r)
			if idx.keys[k] == r {
				delete(idx.keys, k)
			}
		}
	}
	var buf []byte
	ncol := len(tc.table.Columns)
	for _, rec := range tc.inserts {
		ids := rec.Column(ncol).(*array.Int64).Int64Values()
		for i := range ids {
			buf = appendKey(buf[:0], rec, tc.table.PrimaryKey, i)
			k := string(buf)
			idx.keys[k] = ids[i]
			idx.byID[ids[i]] = k
		}
	}
	return true
}

// committedKeyOwner returns the row id holding key among committed rows
// (building the index through the writer on first use).
func (ns *namespace) committedKeyOwner(id int64, key []byte) (int64, bool, error) {
	ns.pkMu.RLock()
	idx := ns.pk[id]
	if idx != nil {
		r, ok := idx.keys[string(key)]
		ns.pkMu.RUnlock()
		return r, ok, nil
	}
	ns.pkMu.RUnlock()
	if err := ns.do(func() error { return ns.ensurePK(id) }); err != nil {
		return 0, false, err
	}
	ns.pkMu.RLock()
	defer ns.pkMu.RUnlock()
	if idx = ns.pk[id]; idx == nil {
		return 0, false, nil
	}
	r, ok := idx.keys[string(key)]
	return r, ok, nil
}
