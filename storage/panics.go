package storage

import (
	"sync/atomic"

	"github.com/pqdb/pqdb/pgerr"
)

// A panic is a bug, and a bug in one statement, flush or scan must not
// take the server down. Code that runs on the session's own goroutine is
// covered by the protocol layer, which fails the message it was handling;
// a goroutine of its own (a scan's producer, a flush's writers, the
// writer itself) must catch its panics, or the process ends. Each turns
// the panic into an internal error (XX000, its stack in the server log)
// where an error of the same work would go: the scan's next batch, the
// flush's outcome, the statement's or commit's reply. The writer, whose
// state a panic may have left half-changed, stops instead (writer_panic.go).

// catchPanic runs fn and returns its error, or the panic it raised made
// an error.
func catchPanic(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = pgerr.FromPanic(r)
		}
	}()
	return fn()
}

// Sites where tests make a goroutine of storage's panic (panicHook).
const (
	siteScanProducer = "scan producer"  // a scan's read-ahead goroutine, per row group
	siteFlushMarks   = "flush marks"    // a flush's deletion-vector writer
	siteFlushWrite   = "flush write"    // a flush written off the writer
	siteColumnWrite  = "segment column" // a segment writer's column encoder
)

// panicHook, when set (by tests), is called at each site above with its
// name; it panics where a bug would.
var panicHook atomic.Pointer[func(site string)]

// atPanicSite calls panicHook at site.
func atPanicSite(site string) {
	if hook := panicHook.Load(); hook != nil {
		(*hook)(site)
	}
}
