package engine

import (
	"fmt"
	"time"

	"github.com/pqdb/pqdb/pgerr"
)

// A COPY or VACUUM that runs long tells its client how far it got: a
// NOTICE every pqdb.progress_interval (10 s by default, 0 for none),
// sent between batches on the statement's own goroutine, never per row.
// PostgreSQL sends none; the interval is long enough that a statement of
// ordinary length sends none either, and client_min_messages above
// notice silences them like any NOTICE. The wire layer flushes each
// notice as it is sent, as PostgreSQL does, so that the client sees it
// while the statement goes on: during COPY FROM STDIN too, when the
// client writes and the protocol lets the server send notices at any
// time.

// progressIntervalSetting is the setting that paces progress notices.
const progressIntervalSetting = "pqdb.progress_interval"

// progressNotices sends a statement's progress notices to out, at most
// one per interval, the first an interval after the statement started.
type progressNotices struct {
	out   ResultWriter
	every time.Duration
	next  time.Time
}

// progressNotices paces the progress notices of the statement starting
// now. A nil out (COPY inside the server, without a client) sends none.
func (s *Session) progressNotices(out ResultWriter) progressNotices {
	every, _ := parseDuration(s.settings[progressIntervalSetting])
	if out == nil || every <= 0 {
		return progressNotices{}
	}
	return progressNotices{out: out, every: every, next: time.Now().Add(every)}
}

// due reports whether a notice is due now, and if so counts the next
// interval from now.
func (p *progressNotices) due() bool {
	if p.every <= 0 {
		return false
	}
	now := time.Now()
	if now.Before(p.next) {
		return false
	}
	p.next = now.Add(p.every)
	return true
}

// send sends one progress notice.
func (p *progressNotices) send(format string, args ...any) error {
	return p.out.Notice(&pgerr.Error{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: fmt.Sprintf(format, args...)})
}
