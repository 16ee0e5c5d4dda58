package exec

import "github.com/pqdb/pqdb/catalog"

// NewUnion concatenates its inputs (UNION ALL), or removes duplicate rows
// across all of them when all is false (UNION). Inputs must have the same
// column types; the first input's types are the output's.
func NewUnion(inputs []Operator, all bool) Operator {
	u := &unionAllOp{inputs: inputs}
	if all {
		return u
	}
	return NewDistinct(u)
}

type unionAllOp struct {
	inputs []Operator
	ctx    *Context
	cur    int
}

func (u *unionAllOp) Types() []catalog.Type { return u.inputs[0].Types() }

func (u *unionAllOp) Open(ctx *Context) error {
	u.ctx, u.cur = ctx, 0
	for _, in := range u.inputs {
		if err := in.Open(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (u *unionAllOp) Next() (*Batch, error) {
	for u.cur < len(u.inputs) {
		b, err := u.inputs[u.cur].Next()
		if err != nil {
			return nil, err
		}
		if b != nil {
			return b, nil
		}
		u.cur++
	}
	return nil, nil
}

func (u *unionAllOp) Close() {
	for _, in := range u.inputs {
		in.Close()
	}
}
