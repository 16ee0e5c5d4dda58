package wire

// TransactionAborter is implemented by a Session that must hear about
// errors it did not raise itself: an unknown portal, a Bind with the wrong
// number of parameters, a portal that cannot be run. In PostgreSQL every
// ERROR inside a transaction block aborts the block, and those errors
// never pass through the Session's methods.
//
// After sending an ERROR, the wire layer calls AbortTransaction if
// TxStatus still reports 'T'; the Session should then behave as after a
// failed statement (TxStatus 'E' until ROLLBACK). After a panic in one of
// the Session's own methods (panic.go) it calls AbortTransaction whatever
// the status, since the method's own error handling never ran: the
// implicit transaction must roll back too. The interface is
// optional so that Session stays as backend.go defines it.
type TransactionAborter interface {
	AbortTransaction()
}
