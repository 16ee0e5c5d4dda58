package storage

import (
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Conflict is what one proposed row of an INSERT ... ON CONFLICT collides
// with under its arbiter constraints.
type Conflict struct {
	// Holder is the id of the live row (committed, as of now, or the
	// transaction's own) that holds the proposed row's key; -1 if none.
	Holder int64
	// Earlier is the index of an earlier proposed row of the same batch
	// with the same key; -1 if none.
	Earlier int32
}

// Conflicts reports, for every row of rec (columns in tbl.Columns order),
// the live row holding its key under one of the key constraints named by
// arbiters (every key constraint of the table when arbiters is nil), and
// the first earlier row of rec with the same key. A key with a NULL never
// conflicts. Committed rows are those of the latest committed state, not
// of a snapshot: ON CONFLICT decides against what is there now, as in
// PostgreSQL.
func (t *Txn) Conflicts(tbl *catalog.Table, rec arrow.Record, arbiters []string) ([]Conflict, error) {
	if t.done {
		return nil, errTxnDone
	}
	if int(rec.NumCols()) != len(tbl.Columns) {
		return nil, pgerr.New(pgerr.InternalError, "record for %q has %d columns, table has %d", tbl.Name, rec.NumCols(), len(tbl.Columns))
	}
	n := int(rec.NumRows())
	out := make([]Conflict, n)
	for i := range out {
		out[i] = Conflict{Holder: -1, Earlier: -1}
	}
	tt := t.txnTable(tbl)
	ns := t.s.namespace(tt.schema)
	deleted := func(id int64) bool {
		_, ok := tt.deleted[id]
		return ok
	}
	kept := func(int64) bool { return false }
	var kb keyBatch
	cons, err := t.constraints(tt)
	if err != nil {
		return nil, err
	}
	for ci := range cons {
		c := &cons[ci]
		if arbiters != nil && !slices.Contains(arbiters, c.name) {
			continue
		}
		var committed *keyIndex
		if ns != nil && !tt.created {
			var err error
			if committed, err = ns.committedKeyIndex(tbl.ID, c); err != nil {
				return nil, err
			}
		}
		own, err := tt.ownKeys(c)
		if err != nil {
			return nil, err
		}
		keys, err := c.encodeKeys(&kb, rec)
		if err != nil {
			return nil, err
		}
		keys.release() // only the encoded keys are read
		first := make(map[string]int32, n)
		func() {
			if committed != nil {
				ns.keyMu.RLock()
				defer ns.keyMu.RUnlock()
			}
			for i := 0; i < n; i++ {
				if kb.null[i] {
					continue
				}
				k := kb.key(i)
				if j, ok := first[string(k)]; ok {
					if out[i].Earlier < 0 || j < out[i].Earlier {
						out[i].Earlier = j
					}
				} else {
					first[string(k)] = int32(i)
				}
				if out[i].Holder >= 0 {
					continue
				}
				if id, held := own.holder(k, kept); held {
					out[i].Holder = id
				} else if committed != nil {
					if id, held := committed.holder(k, deleted); held {
						out[i].Holder = id
					}
				}
			}
		}()
	}
	return out, nil
}
