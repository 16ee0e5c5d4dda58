// Package engine is the session layer between the protocol and the
// planner: one Session per connection holds the settings, the transaction
// state and the open storage transaction, and runs each statement the
// wire layer hands it.
//
// Running a statement: bind it against a snapshot of the catalog taken at
// statement start (the transaction's own view, so a session sees its own
// uncommitted tables and rows), decode the parameters with the types the
// binder settled on, lower the plan to exec operators, and either stream
// the result rows to the client or apply the rows as writes to the
// storage transaction.
//
// Invariants:
//   - Outside a transaction block every statement runs in its own
//     transaction, committed before Execute returns (so a client that saw
//     the command tag will find the rows after a crash) and rolled back
//     on error.
//   - Inside a block, an error marks the block failed; everything but
//     ROLLBACK/COMMIT then gets 25P02 until the block ends, and ending it
//     discards all of its changes.
//   - Errors returned to the wire layer are *pgerr.Error; anything else is
//     a bug and surfaces as XX000.
package engine
