package engine

import (
	"math"
	"net"
	"strconv"
	"time"
)

// Some settings govern the connection rather than statements, and the
// protocol layer acts on them while it waits for the client's next
// command (wire.ConnectionSettings): idle_in_transaction_session_timeout
// and idle_session_timeout end a session left idle in a transaction, or
// idle outside one, for longer; tcp_keepalives_idle, _interval and _count
// set the socket's keepalives (0, as in PostgreSQL, leaves the system's
// default); client_connection_check_interval is how often a running
// statement's connection looks for the client's hang-up. They are read again only after a SET changed a setting.

// connectionSettings are those settings as read at settingsVersion version.
type connectionSettings struct {
	version           uint64
	read              bool
	idleInTransaction time.Duration
	idle              time.Duration
	clientCheck       time.Duration
	keepAlive         net.KeepAliveConfig
}

// connection returns the connection settings, read again if a setting
// changed since.
func (s *Session) connection() *connectionSettings {
	c := &s.conn
	if c.read && c.version == s.settingsVersion {
		return c
	}
	c.idleInTransaction, _ = parseDuration(s.settings["idle_in_transaction_session_timeout"])
	c.idle, _ = parseDuration(s.settings["idle_session_timeout"])
	c.clientCheck, _ = parseDuration(s.settings["client_connection_check_interval"])
	idle, _ := parseDurationIn(s.settings["tcp_keepalives_idle"], time.Second)
	interval, _ := parseDurationIn(s.settings["tcp_keepalives_interval"], time.Second)
	count, _ := strconv.Atoi(s.settings["tcp_keepalives_count"]) // canonical: checkKeepAliveCount
	c.keepAlive = net.KeepAliveConfig{Enable: true, Idle: systemDefault(idle), Interval: systemDefault(interval), Count: systemDefault(count)}
	c.version, c.read = s.settingsVersion, true
	return c
}

// systemDefault maps a keepalive setting of 0 (the system's default) to
// net.KeepAliveConfig's "leave it unchanged", -1.
func systemDefault[T time.Duration | int](v T) T {
	if v == 0 {
		return -1
	}
	return v
}

// IdleTimeouts returns idle_in_transaction_session_timeout and
// idle_session_timeout; 0 is none.
func (s *Session) IdleTimeouts() (inTransaction, idle time.Duration) {
	c := s.connection()
	return c.idleInTransaction, c.idle
}

// ClientCheckInterval returns client_connection_check_interval; 0 is
// never.
func (s *Session) ClientCheckInterval() time.Duration { return s.connection().clientCheck }

// KeepAlives returns the TCP keepalives the session's settings ask for;
// false when they leave every one at the system's default.
func (s *Session) KeepAlives() (net.KeepAliveConfig, bool) {
	c := s.connection()
	k := c.keepAlive
	return k, k.Idle >= 0 || k.Interval >= 0 || k.Count >= 0
}

// checkKeepAliveCount accepts tcp_keepalives_count: 0 (the system's
// default) up to PostgreSQL's maximum.
var checkKeepAliveCount = checkInt("tcp_keepalives_count", 0, math.MaxInt32)
