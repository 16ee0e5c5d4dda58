package storage

import (
	"os"
	"path/filepath"

	"github.com/pqdb/pqdb/catalog"
)

// TableSize is the bytes t's Parquet segments and their deletion vectors
// take on disk, as pg_relation_size and pg_table_size report a table's
// size. Rows not yet flushed to a segment (the tail, kept in the store's
// SQLite log) are not counted: they belong to no one table's file.
func (s *Snapshot) TableSize(t *catalog.Table) int64 {
	ts := s.tableState(t)
	if ts == nil {
		return 0
	}
	var n int64
	for _, seg := range ts.manifest.Segments {
		for _, f := range []string{seg.File, seg.DeletesFile} {
			if f == "" {
				continue
			}
			if size, err := s.store.objects.size(tableFile(ts.prefix, f)); err == nil {
				n += size
			}
		}
	}
	return n
}

// DatabaseSize is the bytes the store takes: every segment, manifest and
// the SQLite files, as pg_database_size reports.
func (s *Snapshot) DatabaseSize() int64 {
	var n int64
	if !s.store.objects.local(s.store.dir) {
		objects, _ := s.store.objects.list("")
		for _, o := range objects {
			n += o.size
		}
	}
	filepath.WalkDir(s.store.dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
