package engine

import (
	"context"
	"net"
	"testing"
	"time"
)

// TestConnectionSettings: the idle timeouts and TCP keepalives the
// protocol layer reads follow SET and RESET, in PostgreSQL's units (bare
// numbers are milliseconds for the timeouts, seconds for keepalives), 0
// leaving a keepalive at the system's default.
func TestConnectionSettings(t *testing.T) {
	s := testSession(t)
	if _, set := s.KeepAlives(); set {
		t.Fatal("keepalives set by default")
	}
	if in, idle := s.IdleTimeouts(); in != 0 || idle != 0 {
		t.Fatalf("idle timeouts %v, %v by default", in, idle)
	}
	simple(t, s, `SET idle_in_transaction_session_timeout = 1500; SET idle_session_timeout = '2min'; SET client_connection_check_interval = '250ms'`)
	if in, idle := s.IdleTimeouts(); in != 1500*time.Millisecond || idle != 2*time.Minute {
		t.Fatalf("idle timeouts %v, %v, want 1.5s, 2m", in, idle)
	}
	if got := s.ClientCheckInterval(); got != 250*time.Millisecond {
		t.Fatalf("client_connection_check_interval %v, want 250ms", got)
	}
	simple(t, s, `SET tcp_keepalives_idle = 30; SET tcp_keepalives_count = 4`)
	want := net.KeepAliveConfig{Enable: true, Idle: 30 * time.Second, Interval: -1, Count: 4}
	if got, set := s.KeepAlives(); !set || got != want {
		t.Fatalf("keepalives %+v (%v), want %+v", got, set, want)
	}
	simple(t, s, `SET tcp_keepalives_interval = '1min'; RESET tcp_keepalives_idle; RESET tcp_keepalives_count`)
	want = net.KeepAliveConfig{Enable: true, Idle: -1, Interval: time.Minute, Count: -1}
	if got, set := s.KeepAlives(); !set || got != want {
		t.Fatalf("keepalives %+v (%v), want %+v", got, set, want)
	}
	if got := simple(t, s, `SHOW tcp_keepalives_interval`); got != "1min" {
		t.Fatalf("SHOW tcp_keepalives_interval: %s", got)
	}
	for _, bad := range []string{`SET tcp_keepalives_count = -1`, `SET tcp_keepalives_idle = '5 parsecs'`, `SET idle_session_timeout = 'x'`} {
		stmts, err := s.ParseQuery(bad)
		if err == nil {
			_, err = s.Execute(context.Background(), stmts[0], nil, nil, nil, nil, &rowsWriter{})
			s.EndImplicitTransaction()
		}
		if err == nil {
			t.Errorf("%s succeeded", bad)
		}
	}
}
