package storage

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/pqdb/pqdb/catalog"
)

// writerDBName is the SQLite file of a namespace.
const writerDBName = "writer.sqlite"

// Event operations in the events table.
const (
	opInsert = 1 // payload: Arrow IPC stream of one record (columns + _row_id)
	opDelete = 2 // row_ids: sorted little-endian int64s
	opDDL    = 3 // payload: JSON of the catalog change, for history
	// opBulkManifest: payload: JSON of the manifest a bulk commit wrote
	// the flush of its table for, to publish (bulk_commit.go); its seq is
	// the manifest's FlushedSeq.
	opBulkManifest = 4
	// opChange: row_ids and payload, a commit's deleted row ids of a
	// table and its first batch of inserted rows in one event, as
	// opDelete and opInsert would hold them: an UPDATE's old and new
	// versions, logged as one row rather than two (pgbench's TPC-B
	// commits three of them).
	opChange = 5
)

// opList is ops as an SQL condition on the events' op.
func opList(ops ...int) string {
	s := "op IN ("
	for i, op := range ops {
		if i > 0 {
			s += ", "
		}
		s += strconv.Itoa(op)
	}
	return s + ")"
}

var (
	// tailOps are the events a table's tail is replayed from.
	tailOps = opList(opInsert, opDelete, opChange)
	// flushedOps are the events of a table that a flush of its tail (or
	// the publication of a bulk commit's manifest) makes deletable.
	flushedOps = opList(opInsert, opDelete, opChange, opBulkManifest)
)

// dbSchema is a namespace database's tables. The events table has no
// index by table: its rows are the unflushed tail and the catalog's
// history, read by table only when a table replays at open or a flush
// deletes its events, while an index by (table_id, seq) cost every
// commit a page per table it changed in the WAL (a quarter of the pages
// of a pgbench TPC-B commit). Databases made with it lose it at open.
const dbSchema = `
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS objects(
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	def TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events(
	seq INTEGER NOT NULL,
	ord INTEGER NOT NULL,
	ts INTEGER NOT NULL,
	op INTEGER NOT NULL,
	table_id INTEGER NOT NULL,
	row_ids BLOB,
	payload BLOB,
	PRIMARY KEY(seq, ord));
DROP INDEX IF EXISTS events_by_table;
CREATE TABLE IF NOT EXISTS commits(
	seq INTEGER PRIMARY KEY,
	ts INTEGER NOT NULL,
	txid INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS namespace(name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sequence_values(
	id INTEGER PRIMARY KEY,
	last INTEGER NOT NULL,
	called INTEGER NOT NULL);
`

// openWriterDB opens (creating if needed) a namespace's SQLite database.
func openWriterDB(path string) (*sql.DB, error) { return openSQLite(path, dbSchema) }

// openSQLite opens (creating if needed) a SQLite database and creates
// the tables of schema. WAL with synchronous=FULL syncs the log on every
// commit, so a commit that returned survives kill -9 and power loss. The
// one connection holds the file in exclusive locking mode, set before
// WAL so that the WAL index lives in its memory, not in a shared file.
func openSQLite(path, schema string) (*sql.DB, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=auto_vacuum(INCREMENTAL)&_pragma=locking_mode(EXCLUSIVE)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("initialize %s: %w", path, err)
	}
	return db, nil
}

func readMeta(q interface {
	QueryRow(string, ...any) *sql.Row
}, key string) (int64, error) {
	var v int64
	err := q.QueryRow(`SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

func writeMeta(tx *sql.Tx, key string, v int64) error {
	_, err := tx.Exec(upsertMetaSQL, key, v)
	return err
}

// Catalog objects are stored as JSON of the catalog structs.
const (
	kindTable    = "table"
	kindView     = "view"
	kindSchema   = "schema"
	kindIndex    = "index"
	kindSequence = "sequence"
	kindType     = "type"
)

func putObject(tx *sql.Tx, id int64, kind, name string, def any) error {
	js, err := json.Marshal(def)
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT OR REPLACE INTO objects(id, kind, name, def) VALUES(?, ?, ?, ?)`, id, kind, name, string(js))
	return err
}

func deleteObject(tx *sql.Tx, id int64) error {
	_, err := tx.Exec(`DELETE FROM objects WHERE id = ?`, id)
	return err
}

// loadObjects reads the catalog of a namespace into st.
func loadObjects(db *sql.DB, st *nsState) error {
	rows, err := db.Query(`SELECT kind, def FROM objects ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, def string
		if err := rows.Scan(&kind, &def); err != nil {
			return err
		}
		switch kind {
		case kindTable:
			t := new(catalog.Table)
			if err := json.Unmarshal([]byte(def), t); err != nil {
				return err
			}
			ts := newTableState(st.prefix, t)
			st.tables[t.Name] = ts
			st.byID[t.ID] = ts
		case kindSchema:
			if err := loadSchemaDef(st, def); err != nil {
				return err
			}
		case kindView:
			v := new(catalog.View)
			if err := json.Unmarshal([]byte(def), v); err != nil {
				return err
			}
			st.views[v.Name] = v
		case kindIndex:
			ix := new(catalog.Index)
			if err := json.Unmarshal([]byte(def), ix); err != nil {
				return err
			}
			st.indexes[ix.Name] = ix
		case kindSequence:
			seq := new(catalog.Sequence)
			if err := json.Unmarshal([]byte(def), seq); err != nil {
				return err
			}
			st.sequences[seq.Name] = seq
		case kindType:
			u := new(catalog.UserType)
			if err := json.Unmarshal([]byte(def), u); err != nil {
				return err
			}
			st.types[u.Name] = u
		}
	}
	return rows.Err()
}

// decodeRecord reads the single record of an Arrow IPC stream.
func decodeRecord(data []byte) (arrow.Record, error) {
	r, err := ipc.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer r.Release()
	if !r.Next() {
		if err := r.Err(); err != nil {
			return nil, err
		}
		return nil, errors.New("empty insert event")
	}
	rec := r.RecordBatch()
	rec.Retain()
	return rec, nil
}

func encodeIDs(ids []int64) []byte {
	b := make([]byte, 8*len(ids))
	for i, id := range ids {
		binary.LittleEndian.PutUint64(b[i*8:], uint64(id))
	}
	return b
}

func decodeIDs(b []byte) ([]int64, error) {
	if len(b)%8 != 0 {
		return nil, errors.New("corrupt row id list of " + strconv.Itoa(len(b)) + " bytes")
	}
	ids := make([]int64, len(b)/8)
	for i := range ids {
		ids[i] = int64(binary.LittleEndian.Uint64(b[i*8:]))
	}
	return ids, nil
}
