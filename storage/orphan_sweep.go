package storage

import (
	"database/sql"
	"errors"
	"log/slog"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// A flush, compaction or history rewrite writes its files before it
// publishes the manifest that names them. One that fails, or that a crash
// cuts off, leaves files no manifest names: orphans. Finding them takes a
// listing of the table's objects, which on a bucket of millions of
// objects is a listing of everything, so it is neither done at every open
// nor on the open path:
//
//   - A schema's database says whether a sweep is due (sweepDueKey). Open
//     sets it, since the process may die with files unpublished; a clean
//     Close clears it when the sweep it was due (if any) finished and
//     nothing failed in a way that could leave files behind (the
//     objectStore's mayHaveLeftFiles, which failed object operations,
//     flushes, compactions and index builds set).
//   - A due sweep runs after open, in a goroutine of its own, one table
//     at a time, while the writer already serves commits. It deletes
//     only files an earlier process wrote: a file's name ends in its tag
//     (file_names.go), and tags only grow, so a file whose tag is not
//     below the store's first tag (Store.firstFileTag) belongs to this
//     process and may be one a flush is writing now. Of the earlier
//     files, no manifest this process publishes can name one the current
//     manifest or a retained version does not already name (manifests
//     derive from the current one), so the versions are listed before the
//     current manifest is read, and the objects after.

// sweepDueKey is the meta key that is 1 while a schema may hold orphans.
const sweepDueKey = "sweep_due"

// startSweep marks the schema as possibly holding orphans until a clean
// close, and starts the sweep its last run left due.
func (ns *namespace) startSweep() error {
	var due int64
	err := ns.db.QueryRow(`SELECT value FROM meta WHERE key = ?`, sweepDueKey).Scan(&due)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		due = 1 // a schema from before the key existed
	case err != nil:
		return err
	}
	if _, err := ns.db.Exec(upsertMetaSQL, sweepDueKey, 1); err != nil {
		return err
	}
	if due == 0 {
		ns.swept.Store(true)
		return nil
	}
	ns.sweeping.Add(1)
	go func() {
		defer ns.sweeping.Done()
		ns.sweep()
	}()
	return nil
}

// sweep deletes the orphans of every table, stopping early when the
// writer stops; it records success in ns.swept.
func (ns *namespace) sweep() {
	err := catchPanic(func() error {
		for id := range ns.state.Load().byID {
			if ns.quitting() {
				return errStoreClosed
			}
			if err := ns.sweepOrphans(id); err != nil {
				slog.Warn("removing unreferenced table files failed; retried at the next start",
					"schema", ns.name, "table", ns.tableName(id), "err", err)
				return err
			}
		}
		return nil
	})
	ns.swept.Store(err == nil)
}

// sweepOrphans deletes the files of table id that no retained manifest
// version names and an earlier process wrote: segments, deletion
// vectors, event files and index files of a flush or compaction that
// failed or was cut off before it published, and the temporary files of
// renames an older version of pqdb published by.
func (ns *namespace) sweepOrphans(id int64) error {
	ts := ns.state.Load().byID[id]
	if ts == nil {
		return nil // dropped meanwhile: its objects go with it
	}
	ns.store.stats.orphanSweeps.Add(1)
	versions, err := ns.manifestVersions(ts)
	if err != nil {
		return err
	}
	if ts = ns.state.Load().byID[id]; ts == nil {
		return nil
	}
	named, err := ns.filesOf(ts, versions, true)
	if err != nil {
		return err
	}
	objects, err := ns.store.objects.list(ts.prefix + "/")
	if err != nil {
		return err
	}
	for _, obj := range objects {
		rel := strings.TrimPrefix(obj.key, ts.prefix+"/")
		sub, name, _ := strings.Cut(rel, "/")
		orphan := !named[rel] && fileTag(name) < ns.store.firstFileTag
		switch sub {
		case manifestDir:
			orphan = path.Ext(name) == ".tmp"
		case segmentDataDir, deletesDir, eventsDir, indexDir:
		default:
			orphan = false // not a table file
		}
		if !orphan {
			continue
		}
		if ns.quitting() {
			return errStoreClosed
		}
		if err := ns.store.objects.remove(obj.key); err != nil {
			return err
		}
	}
	return nil
}

// fileTag is the tag a table file's name ends with (file_names.go), or 0
// for a name without one (written before files had tags).
func fileTag(name string) uint64 {
	stem := name
	if i := strings.IndexByte(stem, '.'); i >= 0 {
		stem = stem[:i]
	}
	i := strings.LastIndexByte(stem, '-')
	if i < 0 {
		return 0
	}
	tag, err := strconv.ParseUint(stem[i+1:], 36, 64)
	if err != nil {
		return 0
	}
	return tag
}

// recordSweep clears the schema's sweep_due when it holds no orphans of
// this or an earlier run: the sweep due at open finished, and nothing
// failed that could have left files behind. It runs at a clean close,
// once the writer and the sweep have stopped.
func (ns *namespace) recordSweep() {
	if !ns.swept.Load() || ns.store.objects.mayHaveLeftFiles.Load() {
		return
	}
	if _, err := ns.db.Exec(upsertMetaSQL, sweepDueKey, 0); err != nil {
		slog.Warn("recording a clean close failed; unreferenced files are looked for at the next start", "schema", ns.name, "err", err)
	}
}

// sweepState is a namespace's part of the above.
type sweepState struct {
	// swept is set once no orphans of an earlier run can remain.
	swept atomic.Bool
	// sweeping counts the running sweep, which close waits for.
	sweeping sync.WaitGroup
}
