package storage

import (
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// ErrConcurrentDelete is ErrConcurrentUpdate (errors.Is matches it, so
// READ COMMITTED statements run again on it) for a row that a concurrent
// commit deleted rather than updated; PostgreSQL words its 40001 so.
var ErrConcurrentDelete error = concurrentDelete{pgerr.New(pgerr.TRSerializationFailure, "could not serialize access due to concurrent delete")}

type concurrentDelete struct{ err *pgerr.Error }

func (c concurrentDelete) Error() string      { return c.err.Message }
func (c concurrentDelete) Unwrap() error      { return c.err }
func (concurrentDelete) Is(target error) bool { return target == ErrConcurrentUpdate }

// rowGone marks a last-deletion seq in namespace.lastDelete whose commit
// deleted the row for good (no new version under its id). Commit seqs
// stay far below it (pendingSeqBase).
const rowGone = uint64(1) << 63

// changedAfter returns the error of a row whose last deletion is
// lastDelete (0: none; see rowGone) for a statement that read it in
// snapshot seq base: nil if the deletion is not newer than base.
func changedAfter(lastDelete, base uint64) error {
	switch {
	case lastDelete&^rowGone <= base:
		return nil
	case lastDelete&rowGone != 0:
		return ErrConcurrentDelete
	}
	return ErrConcurrentUpdate
}

// goneRows reports, for each of the sorted committed row ids a commit
// deletes, whether the commit deletes it for good: no record of inserts
// (columns then _row_id at ncol) holds a new version under its id. It
// returns nil when deletes is empty.
func goneRows(deletes []int64, inserts []arrow.Record, ncol int) []bool {
	if len(deletes) == 0 {
		return nil
	}
	gone := make([]bool, len(deletes))
	var kept []int64
	for _, rec := range inserts {
		kept = append(kept, rec.Column(ncol).(*array.Int64).Int64Values()...)
	}
	slices.Sort(kept)
	j := 0
	for i, id := range deletes {
		for j < len(kept) && kept[j] < id {
			j++
		}
		gone[i] = j == len(kept) || kept[j] != id
	}
	return gone
}

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
// PostgreSQL. A key held by a commit still in flight is looked up again
// once that commit settled (cross_commit_keys.go).
func (t *Txn) Conflicts(tbl *catalog.Table, rec arrow.Record, arbiters []string) ([]Conflict, error) {
	if t.done {
		return nil, errTxnDone
	}
	for {
		ns, epoch := t.s.keyEpochOf(tbl.Schema)
		out, err := t.conflictsNow(tbl, rec, arbiters)
		if err != nil || ns == nil || !slices.ContainsFunc(out, func(c Conflict) bool { return c.Holder >= 0 }) || ns.keysStableSince(epoch) {
			return out, err
		}
	}
}

func (t *Txn) conflictsNow(tbl *catalog.Table, rec arrow.Record, arbiters []string) ([]Conflict, error) {
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
	deleted := tt.deleted.has
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
		own, err := tt.ownKeys(c)
		if err != nil {
			return nil, err
		}
		keys, err := c.encodeKeys(&kb, rec)
		if err != nil {
			return nil, err
		}
		var held []int64
		if ns != nil && !tt.created {
			held, err = ns.committedHolders(tbl.ID, c, &kb, keys, n, deleted, nil)
		}
		keys.release()
		if err != nil {
			return nil, err
		}
		first := make(map[string]int32, n)
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
			if id, ok, err := own.lookup(k, kept); err != nil {
				return nil, err
			} else if ok {
				out[i].Holder = id
			} else if held != nil && held[i] >= 0 {
				out[i].Holder = held[i]
			}
		}
	}
	return out, nil
}
