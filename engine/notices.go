package engine

import (
	"slices"
	"strings"

	"github.com/pqdb/pqdb/pgerr"
)

// sendNotices sends, in order, the notices binding a statement raised
// (planner.Bound.Notices, AlterTableStep.Notices): the engine sends them
// before it runs what was bound, as PostgreSQL raises them while it
// analyzes the statement.
func sendNotices(out ResultWriter, notices []*pgerr.Error) error {
	for _, n := range notices {
		if err := out.Notice(n); err != nil {
			return err
		}
	}
	return nil
}

// messageLevels are client_min_messages' values, from the least severe.
var messageLevels = []string{"debug5", "debug4", "debug3", "debug2", "debug1", "log", "notice", "warning", "error"}

// checkMessageLevel reads a client_min_messages value.
func checkMessageLevel(v string) (string, error) {
	if l := strings.ToLower(v); slices.Contains(messageLevels, l) {
		return l, nil
	}
	e := pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"client_min_messages\": \"%s\"", v)
	e.Hint = "Available values: " + strings.Join(messageLevels, ", ") + "."
	return "", e
}

// noticeFilter passes on to the client only the notices client_min_messages
// lets through: those at least as severe as its level, and INFO always,
// as in PostgreSQL.
type noticeFilter struct {
	ResultWriter
	min int // index in messageLevels
}

// filterNotices wraps out in the session's client_min_messages, or
// returns it as is when every notice pqdb raises goes through.
func (s *Session) filterNotices(out ResultWriter) ResultWriter {
	min := s.minMessageLevel()
	if min <= slices.Index(messageLevels, "notice") {
		return out
	}
	return noticeFilter{ResultWriter: out, min: min}
}

func (f noticeFilter) Notice(n *pgerr.Error) error {
	severity := strings.ToLower(n.Severity)
	if severity != "info" && slices.Index(messageLevels, severity) < f.min {
		return nil
	}
	return f.ResultWriter.Notice(n)
}
