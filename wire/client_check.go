package wire

import (
	"time"

	"github.com/pqdb/pqdb/pgerr"
)

// client_connection_check_interval (PostgreSQL 14): a statement whose
// client went away runs on until it next writes to the socket, which a
// long aggregate or a COPY TO a server file may not do for a long time,
// holding its snapshot, locks and memory all the while. With the setting
// above 0, the connection looks at its socket that often while a
// statement runs, without reading from it, and when the client has hung
// up ends the statement (the connection then ends too: nobody is there).
// The look is a poll for the peer's hang-up (peerHungUp); where the system
// has none, the setting checks nothing.

// errClientGone ends a statement whose client hung up.
var errClientGone = pgerr.New(pgerr.ConnectionFailure, "connection to client lost")

// clientCheck watches the socket while one statement runs.
type clientCheck struct {
	stop chan struct{}
	done chan struct{}
}

// startClientCheck starts watching for the client's hang-up every
// interval while the statement begun runs; endClientCheck stops it.
func (c *conn) startClientCheck() {
	cs, ok := c.session.(ConnectionSettings)
	if !ok {
		return
	}
	interval := cs.ClientCheckInterval()
	if interval <= 0 {
		return
	}
	cancel := c.cancelStatement
	check := &clientCheck{stop: make(chan struct{}), done: make(chan struct{})}
	c.clientCheck = check
	go func() {
		defer close(check.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-check.stop:
				return
			case <-t.C:
				if peerHungUp(c.raw) {
					c.log.Info("wire: client hung up while a statement ran")
					cancel(errClientGone)
					return
				}
			}
		}
	}()
}

// endClientCheck stops the watch startClientCheck started, if any.
func (c *conn) endClientCheck() {
	if check := c.clientCheck; check != nil {
		close(check.stop)
		<-check.done
		c.clientCheck = nil
	}
}
