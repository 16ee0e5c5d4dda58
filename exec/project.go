package exec

import (
	"github.com/pqdb/pqdb/catalog"
)

// NewProject computes one output column per expression. The input's
// selection vector carries over, so a filter below costs no copy.
func NewProject(in Operator, exprs []Expr) Operator {
	return &projectOp{in: in, exprs: exprs, types: typesOf(exprs)}
}

type projectOp struct {
	in    Operator
	exprs []Expr
	types []catalog.Type
	ctx   *Context
	out   *Batch
}

func (p *projectOp) Types() []catalog.Type { return p.types }

func (p *projectOp) Open(ctx *Context) error {
	p.ctx = ctx
	return p.in.Open(ctx)
}

func (p *projectOp) Next() (*Batch, error) {
	p.release()
	b, err := p.in.Next()
	if err != nil || b == nil {
		return nil, err
	}
	if err := p.ctx.Ctx.Err(); err != nil {
		return nil, err
	}
	cols, err := evalAll(p.ctx, p.exprs, b)
	if err != nil {
		return nil, err
	}
	p.out = &Batch{Cols: cols, Len: b.Len, Sel: b.Sel}
	return p.out, nil
}

func (p *projectOp) release() {
	if p.out != nil {
		p.out.Release()
		p.out = nil
	}
}

func (p *projectOp) Close() {
	p.release()
	p.in.Close()
}
