package storage

// Transaction ids number a store's transactions, as PostgreSQL's xids do:
// txid_current returns one, and the commit log and history record which
// transaction committed what. A transaction takes its id on first use (a
// read-only one usually never does), and ids are never reused: each
// commit stores its id, and open raises the counter past every stored
// one. An id taken by a transaction that rolled back leaves a gap.

// firstTxID is where ids start, where a new PostgreSQL cluster's first
// transactions are.
const firstTxID = 731

// ID returns the transaction's id, assigning the next one on first call.
func (t *Txn) ID() int64 {
	if id := t.id.Load(); id != 0 {
		return id
	}
	t.id.CompareAndSwap(0, t.s.NewTransactionID())
	return t.id.Load()
}

// NewTransactionID hands out a transaction id for work that runs outside
// a Txn.
func (s *Store) NewTransactionID() int64 { return s.nextTxID.Add(1) - 1 }

// raiseTxID makes the next transaction id at least next.
func (s *Store) raiseTxID(next int64) { raiseCounter(&s.nextTxID, next) }
