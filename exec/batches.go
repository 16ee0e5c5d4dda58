package exec

import "github.com/pqdb/pqdb/catalog"

// NewBatches returns the given batches, in order, as an operator: rows a
// consumer computed ahead, such as the engine's locking queries, which
// hold all their rows until every row is locked. The batches stay the
// caller's to release.
func NewBatches(types []catalog.Type, batches []*Batch) Operator {
	return &batchesOp{types: types, batches: batches}
}

type batchesOp struct {
	types   []catalog.Type
	batches []*Batch
	next    int
}

func (o *batchesOp) Types() []catalog.Type { return o.types }

func (o *batchesOp) Open(*Context) error {
	o.next = 0
	return nil
}

func (o *batchesOp) Next() (*Batch, error) {
	for o.next < len(o.batches) {
		b := o.batches[o.next]
		o.next++
		if b.NumRows() > 0 {
			return b, nil
		}
	}
	return nil, nil
}

func (o *batchesOp) Close() {}
