package wire

import (
	"net"
	"syscall"
	"testing"
	"time"
)

// TestKeepAlivesSetOnTheSocket: the keepalives a session asks for
// (tcp_keepalives_idle, _interval, _count) are set on its socket before
// the wait for its next command.
func TestKeepAlivesSetOnTheSocket(t *testing.T) {
	b := newFakeBackend()
	b.keepAlive = net.KeepAliveConfig{Enable: true, Idle: 42 * time.Second, Interval: 7 * time.Second, Count: 3}
	ts := startServer(t, b)
	c := ts.startup(t)
	selectOne(t, c)
	selectOne(t, c) // the server has waited for a command since the first
	ts.mu.Lock()
	conns := ts.snapshotConns()
	ts.mu.Unlock()
	if len(conns) != 1 {
		t.Fatalf("%d connections", len(conns))
	}
	raw, err := conns[0].raw.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]int{}
	raw.Control(func(fd uintptr) {
		for _, opt := range []int{syscall.TCP_KEEPIDLE, syscall.TCP_KEEPINTVL, syscall.TCP_KEEPCNT} {
			got[opt], _ = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, opt)
		}
	})
	if got[syscall.TCP_KEEPIDLE] != 42 || got[syscall.TCP_KEEPINTVL] != 7 || got[syscall.TCP_KEEPCNT] != 3 {
		t.Fatalf("keepalive idle, interval, count = %d, %d, %d; want 42, 7, 3",
			got[syscall.TCP_KEEPIDLE], got[syscall.TCP_KEEPINTVL], got[syscall.TCP_KEEPCNT])
	}
}
