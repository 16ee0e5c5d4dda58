package exec

import "github.com/pqdb/pqdb/catalog"

// xidCompareKernel is the comparison of the transaction and command id
// types PostgreSQL 15 has, and refuses the others: xid has = and <> with
// xid and with integer (xideqint4, which compares the integer's bits as
// an xid), cid only =. They have no order: transaction ids wrap around.
// xid8, tid and pg_lsn have every comparison, which the int64 kernels
// compute (type_xid.go). ok is false when neither side is xid or cid.
func xidCompareKernel(op BinaryOp, lt, rt catalog.Type) (k binaryKernel, ok bool, err error) {
	if lt.Kind != catalog.Xid && lt.Kind != catalog.Cid && rt.Kind != catalog.Xid && rt.Kind != catalog.Cid {
		return nil, false, nil
	}
	exists := false
	switch lt.Kind {
	case catalog.Xid:
		exists = (rt.Kind == catalog.Xid || rt.Kind == catalog.Int4) && (op == OpEq || op == OpNe)
	case catalog.Cid:
		exists = rt.Kind == catalog.Cid && op == OpEq
	}
	if !exists {
		return nil, true, errOperatorDoesNotExist(op.String(), lt, rt)
	}
	// An int4 column's values are read as the uint32 of their bits.
	return orderedCompare[uint32](op), true, nil
}
