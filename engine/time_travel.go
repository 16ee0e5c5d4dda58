package engine

import (
	"strings"
	"time"

	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// pqdb.as_of makes a session's reads see the database as it was at an
// earlier time (a timestamptz, in the session's TimeZone when it names
// no zone) or commit (an integer: a commit seq, counted per schema, as
// pqdb_history shows them). The catalog stays today's; storage rebuilds
// each table's rows from its retained history (storage/time_travel.go).
// Writes are refused while it is set, as in a read-only transaction.
// RESET pqdb.as_of (or setting '') reads the present again.

const asOfSetting = "pqdb.as_of"

// checkAsOf validates a pqdb.as_of value; it is parsed again, in the
// session's time zone, when a statement reads it.
func checkAsOf(v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	if _, err := parseAsOf(v, time.UTC); err != nil {
		return "", err
	}
	return v, nil
}

// parseAsOf reads a pqdb.as_of value (planner.ParseAsOf).
func parseAsOf(v string, loc *time.Location) (storage.AsOf, error) {
	at, ok := planner.ParseAsOf(v, loc)
	if !ok {
		e := pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", asOfSetting, v)
		e.Hint = "Use a timestamp with time zone or a commit number."
		return storage.AsOf{}, e
	}
	return at, nil
}

// historicSnapshot returns snap reading as of pqdb.as_of when it is set.
func (s *Session) historicSnapshot(snap *storage.Snapshot) (*storage.Snapshot, error) {
	v := s.settings[asOfSetting]
	if v == "" {
		return snap, nil
	}
	at, err := parseAsOf(v, s.location())
	if err != nil {
		return nil, err
	}
	return snap.At(at), nil
}
