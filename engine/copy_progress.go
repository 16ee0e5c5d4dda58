package engine

import (
	"io"
	"slices"
	"sync/atomic"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/catalog/pgcatalog"
	"github.com/pqdb/pqdb/planner"
)

// pg_stat_progress_copy shows every running COPY: its table, direction
// and kind, the bytes it read or wrote (and a file's size) and the rows.
// The session's goroutine counts them as it goes (atomics, once per read,
// write or batch, never per row); other sessions read them through the
// session's activity.

// copyProgress is one running COPY's figures.
type copyProgress struct {
	relid         uint32
	command, kind string
	total         int64
	bytes, tuples atomic.Int64
	// table names the COPY's table in its progress notices ("" for a
	// query's rows).
	table   string
	notices progressNotices
}

// startCopyProgress shows a COPY of table t (nil: of a query) until
// endCopyProgress, and sends its progress notices to out. file is the
// server file it reads or writes ("" for the client's pipe), total that
// file's size when known.
func (s *Session) startCopyProgress(t *catalog.Table, command, file string, total int64, out ResultWriter) *copyProgress {
	p := &copyProgress{command: command, kind: "PIPE", total: total, notices: s.progressNotices(out)}
	if file != "" {
		p.kind = "FILE"
	}
	if t != nil {
		p.relid = uint32(t.ID)
		p.table = t.Name
	}
	if v, ok := activities.Load(s); ok {
		a := v.(*activity)
		a.mu.Lock()
		a.copy = p
		a.mu.Unlock()
	}
	return p
}

// advance records that the COPY has copied rows rows in all, and sends a
// progress notice when one is due.
func (p *copyProgress) advance(rows int64) error {
	p.tuples.Store(rows)
	if !p.notices.due() {
		return nil
	}
	what := p.command
	if p.table != "" {
		what += " \"" + p.table + "\""
	}
	// A Parquet file's COPY counts rows, not bytes.
	bytes := p.bytes.Load()
	if bytes == 0 {
		return p.notices.send("%s: %d rows so far", what, rows)
	}
	done := "read"
	if p.command == "COPY TO" {
		done = "written"
	}
	return p.notices.send("%s: %d rows so far, %s %s", what, rows, sizePretty(bytes), done)
}

// endCopyProgress ends what startCopyProgress showed.
func (s *Session) endCopyProgress() {
	if v, ok := activities.Load(s); ok {
		a := v.(*activity)
		a.mu.Lock()
		a.copy = nil
		a.mu.Unlock()
	}
}

// scannedTable is the table a COPY ... TO reads whole (COPY t TO), nil
// for a query's rows.
func scannedTable(root planner.Node) *catalog.Table {
	if s, ok := root.(*planner.Scan); ok {
		return s.Table
	}
	return nil
}

// countingReader counts the bytes read through it in n.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(b []byte) (int, error) {
	k, err := c.r.Read(b)
	c.n.Add(int64(k))
	return k, err
}

// countingWriter counts the bytes written through it in n.
type countingWriter struct {
	w io.WriteCloser
	n *atomic.Int64
}

func (c countingWriter) Write(b []byte) (int, error) {
	k, err := c.w.Write(b)
	c.n.Add(int64(k))
	return k, err
}

func (c countingWriter) Close() error { return c.w.Close() }

// CopyProgress lists the COPY statements running in the server's
// sessions.
func (d sessionDatabase) CopyProgress() []pgcatalog.CopyProgress {
	var out []pgcatalog.CopyProgress
	for _, s := range d.s.eng.sessionList() {
		v, ok := activities.Load(s)
		if !ok {
			continue
		}
		a := v.(*activity)
		a.mu.Lock()
		p := a.copy
		a.mu.Unlock()
		if p == nil {
			continue
		}
		out = append(out, pgcatalog.CopyProgress{PID: s.info.ProcessID, Database: s.info.Database, RelID: p.relid,
			Command: p.command, Type: p.kind, BytesProcessed: p.bytes.Load(), BytesTotal: p.total, TuplesProcessed: p.tuples.Load()})
	}
	slices.SortFunc(out, func(a, b pgcatalog.CopyProgress) int { return int(a.PID) - int(b.PID) })
	return out
}
