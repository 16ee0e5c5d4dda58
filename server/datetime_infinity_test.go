package server

import (
	"strings"
	"testing"
)

// generate_series over timestamps refuses an infinite bound (PostgreSQL
// 15 adds steps until memory runs out, so there is nothing to compare
// with).
func TestTimestampSeriesInfiniteBound(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	for _, c := range []struct{ sql, msg string }{
		{"SELECT * FROM generate_series('infinity'::timestamp, 'infinity'::timestamp, interval '1 day') LIMIT 2", "start value cannot be infinity"},
		{"SELECT * FROM generate_series(timestamptz '2020-01-01 00:00+00', 'infinity', interval '1 month') LIMIT 2", "stop value cannot be infinity"},
		{"SELECT generate_series('-infinity'::timestamp, timestamp '2020-01-01', interval '1 hour') LIMIT 2", "start value cannot be infinity"},
	} {
		_, err := conn.Exec(ctx(t), c.sql)
		if sqlstate(err) != "22023" || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v, want 22023 %s", c.sql, err, c.msg)
		}
	}
}
