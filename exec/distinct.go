package exec

import "github.com/pqdb/pqdb/catalog"

// NewDistinct passes on the first occurrence of every distinct row (all
// columns; NULLs equal one another). It streams: each batch is narrowed
// to the rows whose key the hash table had not seen.
func NewDistinct(in Operator) Operator { return &distinctOp{in: in} }

type distinctOp struct {
	in     Operator
	ctx    *Context
	table  *hashTable
	groups []int32
	out    Batch
}

func (d *distinctOp) Types() []catalog.Type { return d.in.Types() }

func (d *distinctOp) Open(ctx *Context) error {
	d.ctx = ctx
	d.table = newHashTable(d.in.Types())
	return d.in.Open(ctx)
}

func (d *distinctOp) Next() (*Batch, error) {
	for {
		b, err := d.in.Next()
		if err != nil || b == nil {
			return nil, err
		}
		if err := d.ctx.Ctx.Err(); err != nil {
			return nil, err
		}
		rows := rowsOf(b)
		d.groups = growTo(d.groups[:0], len(rows))
		before := d.table.len()
		d.table.find(b.Cols, rows, d.groups, true)
		keep := d.table.firstOfNewGroups(nil, rows, d.groups, before)
		if len(keep) == 0 {
			continue
		}
		d.out = Batch{Cols: b.Cols, Len: b.Len, Sel: keep}
		return &d.out, nil
	}
}

func (d *distinctOp) Close() {
	d.table = nil
	d.in.Close()
}
