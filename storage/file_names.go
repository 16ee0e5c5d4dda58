package storage

import (
	"strconv"
	"sync/atomic"
	"time"
)

// Immutable files (segments, event files, deletion vectors) are never
// written twice under one name. A flush or compaction whose publish
// failed may still have made its manifest current on disk (the rename
// happened, the directory sync did not), so a retry that rewrote the same
// names would change, or tear on a crash, files a published manifest
// names. Each file therefore gets a name no earlier attempt used: its
// number in the table, then a tag unique in the process and across
// restarts (it starts from the clock when the process starts, and only
// grows).

// lastFileTag is the last tag handed out.
var lastFileTag = func() *atomic.Uint64 {
	var t atomic.Uint64
	t.Store(uint64(time.Now().UnixNano()))
	return &t
}()

// newFileTag returns a tag no other file name gets.
func newFileTag() string { return strconv.FormatUint(lastFileTag.Add(1), 36) }
