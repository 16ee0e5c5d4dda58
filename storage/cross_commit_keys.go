package storage

import "github.com/pqdb/pqdb/pgerr"

// Keys in flight.
//
// The writer adds a commit's keys to the namespace's key indexes when it
// validates the commit (prepare), before the commit is durable and
// published, and removes them again if it is undone: a group whose write
// fails, or a cross-schema part that is aborted after other namespaces
// were prepared (cross_commit.go), which can take a while. A session that
// finds one of its keys taken in the committed index meanwhile cannot
// tell a published key from one in flight, so the writer keeps an epoch,
// odd while commits are in flight, and a channel closed when they settle.
// A session that saw a taken key re-checks once the epoch was even and
// unchanged across its check, waiting for the in-flight commits to be
// published or undone first: it then reports a key of an aborted part
// as free, and one of a committed part as taken.

// unsettleKeys marks the start of a commit's changes to the key indexes.
// Only the writer calls it.
func (ns *namespace) unsettleKeys() {
	ch := make(chan struct{})
	ns.keysSettled.Store(&ch)
	ns.keyEpoch.Add(1)
}

// settleKeys marks the key indexes as holding only published keys again.
// Only the writer calls it.
func (ns *namespace) settleKeys() {
	ns.keyEpoch.Add(1)
	if ch := ns.keysSettled.Load(); ch != nil {
		close(*ch)
	}
}

// keysStableSince reports whether no commit was in flight while a check
// that started at key epoch e ran; if one was, it first waits for the
// commits in flight to settle, and the caller checks again.
func (ns *namespace) keysStableSince(e uint64) bool {
	now := ns.keyEpoch.Load()
	if now == e && e%2 == 0 {
		return true
	}
	if now%2 == 1 {
		if ch := ns.keysSettled.Load(); ch != nil {
			<-*ch
		}
	}
	return false
}

// keyEpochOf returns the key epoch of namespace ns (0 when it does not
// exist yet: no commit can be in flight there).
func (s *Store) keyEpochOf(name string) (*namespace, uint64) {
	ns := s.namespace(name)
	if ns == nil {
		return nil, 0
	}
	return ns, ns.keyEpoch.Load()
}

// settledKeyCheck runs check until its result does not depend on keys of
// commits in flight in namespace name: a unique violation found while a
// commit was in flight is checked again once it settled.
func (s *Store) settledKeyCheck(name string, check func() error) error {
	for {
		ns, epoch := s.keyEpochOf(name)
		err := check()
		if ns == nil || pgerr.CodeOf(err) != pgerr.UniqueViolation || ns.keysStableSince(epoch) {
			return err
		}
	}
}
