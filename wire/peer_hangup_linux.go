package wire

import (
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// peerHungUp reports whether the peer of conn closed its end: the socket
// polls ready with POLLRDHUP or POLLHUP. It reads nothing, so the
// connection's reader is undisturbed.
func peerHungUp(conn net.Conn) bool {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	hungUp := false
	rc.Control(func(fd uintptr) {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLRDHUP}}
		if n, err := unix.Poll(fds, 0); err == nil && n > 0 {
			hungUp = fds[0].Revents&(unix.POLLRDHUP|unix.POLLHUP|unix.POLLERR) != 0
		}
	})
	return hungUp
}
