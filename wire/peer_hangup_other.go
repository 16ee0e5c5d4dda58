//go:build !linux

package wire

import "net"

// peerHungUp has no poll for a peer's hang-up to ask here: it reports
// none, and client_connection_check_interval checks nothing.
func peerHungUp(net.Conn) bool { return false }
