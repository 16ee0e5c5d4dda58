package storage

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// nsCommit is the part of one transaction that touches one namespace.
type nsCommit struct {
	ddl    []*ddlOp
	tables []*tableCommit
}

// tableCommit is the net row change of a transaction to one table.
type tableCommit struct {
	table *catalog.Table
	// deletes are committed row ids the transaction deleted (or replaced),
	// sorted; bases[i] is the seq of the snapshot deletes[i] was read in.
	deletes []int64
	bases   []uint64
	inserts []arrow.Record // table columns + _row_id
}

func (tc *tableCommit) insertedRows() int64 {
	var n int64
	for _, r := range tc.inserts {
		n += r.NumRows()
	}
	return n
}

// commit applies c as the next commit of the namespace (writer goroutine).
// It validates the change against the latest state, writes all its
// events in one synchronous SQLite transaction, and only then publishes
// the new state.
func (ns *namespace) commit(c *nsCommit) error {
	st := ns.state.Load()
	nst := st.clone()
	for _, op := range c.ddl {
		if err := nst.apply(op); err != nil {
			return err
		}
	}
	seq := st.seq + 1
	for _, tc := range c.tables {
		if nst.byID[tc.table.ID] == nil {
			return pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", tc.table.Name)
		}
		if ld := ns.lastDelete[tc.table.ID]; ld != nil {
			for i, r := range tc.deletes {
				if ld[r] > tc.bases[i] {
					return pgerr.New(pgerr.TRSerializationFailure, "could not serialize access due to concurrent update")
				}
			}
		}
		if len(tc.table.PrimaryKey) > 0 && len(tc.inserts) > 0 {
			if err := ns.checkPK(nst.byID[tc.table.ID], tc); err != nil {
				return err
			}
		}
	}

	if err := ns.persist(st, nst, seq, c); err != nil {
		return pgerr.New(pgerr.IoError, "could not commit to %s: %v", ns.name, err)
	}

	nst.seq = seq
	for _, tc := range c.tables {
		id := tc.table.ID
		ts := *nst.byID[id]
		if len(tc.deletes) > 0 {
			ts.deletes = append(ts.deletes, tailDelete{seq: seq, ids: tc.deletes})
			ts.tailRows += int64(len(tc.deletes))
			ld := ns.lastDelete[id]
			if ld == nil {
				ld = map[int64]uint64{}
				ns.lastDelete[id] = ld
			}
			for _, r := range tc.deletes {
				ld[r] = seq
			}
		}
		for _, rec := range tc.inserts {
			rec.Retain()
			ts.inserts = append(ts.inserts, tailInsert{seq: seq, rec: rec})
			ts.tailRows += rec.NumRows()
		}
		nst.byID[id] = &ts
		nst.tables[ts.table.Name] = &ts
		ns.maintainPK(id, tc)
	}
	ns.state.Store(nst)

	for id, ts := range st.byID {
		if nst.byID[id] == nil {
			ns.dropTableFiles(id, ts)
		}
	}
	return nil
}

// persist writes the commit's events and catalog changes in one SQLite
// transaction, which is durable when it returns.
func (ns *namespace) persist(st, nst *nsState, seq uint64, c *nsCommit) (err error) {
	tx, err := ns.db.Begin()
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	now := time.Now().UnixMicro()
	ord := 0
	event := func(op int, table int64, ids, payload []byte) error {
		ord++
		_, err := tx.Exec(`INSERT INTO events(seq, ord, ts, op, table_id, row_ids, payload) VALUES(?, ?, ?, ?, ?, ?, ?)`,
			seq, ord, now, op, table, ids, payload)
		return err
	}
	for _, op := range c.ddl {
		js, err := json.Marshal(ddlHistory(op))
		if err != nil {
			return err
		}
		if err := event(opDDL, ddlObjectID(op), nil, js); err != nil {
			return err
		}
	}
	if err := persistCatalogDiff(tx, st, nst); err != nil {
		return err
	}
	for _, tc := range c.tables {
		if len(tc.deletes) > 0 {
			if err := event(opDelete, tc.table.ID, encodeIDs(tc.deletes), nil); err != nil {
				return err
			}
		}
		for _, rec := range tc.inserts {
			payload, err := encodeRecord(rec)
			if err != nil {
				return err
			}
			if err := event(opInsert, tc.table.ID, nil, payload); err != nil {
				return err
			}
		}
	}
	if err := writeMeta(tx, "seq", int64(seq)); err != nil {
		return err
	}
	if err := writeMeta(tx, "next_row_id", ns.nextRowID.Load()); err != nil {
		return err
	}
	if err := writeMeta(tx, "next_object_id", ns.store.nextObjectID.Load()); err != nil {
		return err
	}
	return tx.Commit()
}

// persistCatalogDiff stores the objects that differ between st and nst.
func persistCatalogDiff(tx *sql.Tx, st, nst *nsState) error {
	for id, ts := range st.byID {
		if nst.byID[id] == nil {
			if err := deleteObject(tx, id); err != nil {
				return err
			}
			if _, err := tx.Exec(`DELETE FROM events WHERE table_id = ? AND op IN (?, ?)`, id, opInsert, opDelete); err != nil {
				return err
			}
			_ = ts
		}
	}
	for id, ts := range nst.byID {
		if st.byID[id] == nil {
			if err := putObject(tx, id, kindTable, ts.table.Name, ts.table); err != nil {
				return err
			}
		}
	}
	for name, v := range st.views {
		if nv := nst.views[name]; nv == nil || nv.ID != v.ID {
			if err := deleteObject(tx, v.ID); err != nil {
				return err
			}
		}
	}
	for name, v := range nst.views {
		if ov := st.views[name]; ov == nil || ov.ID != v.ID {
			if err := putObject(tx, v.ID, kindView, v.Name, v); err != nil {
				return err
			}
		}
	}
	for name, ix := range st.indexes {
		if nx := nst.indexes[name]; nx == nil || nx.ID != ix.ID {
			if err := deleteObject(tx, ix.ID); err != nil {
				return err
			}
		}
	}
	for name, ix := range nst.indexes {
		if ox := st.indexes[name]; ox == nil || ox.ID != ix.ID {
			if err := putObject(tx, ix.ID, kindIndex, ix.Name, ix); err != nil {
				return err
			}
		}
	}
	return nil
}

// ddlHistory is the JSON recorded in the event log for a catalog change.
func ddlHistory(op *ddlOp) any {
	kinds := map[ddlKind]string{
		ddlCreateTable: "create_table", ddlDropTable: "drop_table",
		ddlCreateView: "create_view", ddlDropView: "drop_view",
		ddlCreateIndex: "create_index", ddlDropIndex: "drop_index",
	}
	h := map[string]any{"op": kinds[op.kind]}
	switch {
	case op.table != nil:
		h["table"] = op.table
	case op.view != nil:
		h["view"] = op.view
	case op.index != nil:
		h["index"] = op.index
	default:
		h["name"] = op.name
		h["id"] = op.id
	}
	return h
}

func ddlObjectID(op *ddlOp) int64 {
	switch {
	case op.table != nil:
		return op.table.ID
	case op.view != nil:
		return op.view.ID
	case op.index != nil:
		return op.index.ID
	}
	return op.id
}

// dropTableFiles removes a dropped table's files and in-memory indexes.
// The catalog change is already durable, and open removes directories of
// unknown tables, so a failure here only delays the cleanup.
func (ns *namespace) dropTableFiles(id int64, ts *tableState) {
	delete(ns.lastDelete, id)
	delete(ns.flushDue, id)
	ns.pkMu.Lock()
	delete(ns.pk, id)
	ns.pkMu.Unlock()
	prefix := ts.dir + string(filepath.Separator)
	ns.store.files.forget(func(p string) bool { return strings.HasPrefix(p, prefix) })
	os.RemoveAll(ts.dir)
}

// sortedKeys returns the keys of m in ascending order.
func sortedKeys(m map[int64]uint64) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
