package pgregex

import "unicode/utf8"

// NFAs of AST fragments and their simulation over a string.
//
// A fragment compiles to a Thompson NFA whose accepting state is the
// program's last instruction. Simulation keeps the set of live states
// (no priorities: only which end positions are reachable matters, as
// with PostgreSQL's DFAs). Constraints are evaluated at the current
// position against the whole string, whatever part of it is being
// matched.

const (
	iRune   = iota // consume one character of set
	iFork          // epsilon to each of outs
	iAssert        // zero-width constraint arg
	iLook          // lookaround constraint arg
)

type inst struct {
	op   uint8
	arg  int32
	set  *charSet
	outs []int32 // iRune: one successor; iFork: any number
}

type prog struct {
	insts  []inst
	start  int32
	accept int32
}

// maxStates bounds a program; larger expressions are "too big".
const maxStates = 200000

type compiler struct {
	p     *prog
	count *int
}

func (c *compiler) add(op uint8) int32 {
	c.p.insts = append(c.p.insts, inst{op: op})
	*c.count++
	return int32(len(c.p.insts) - 1)
}

// frag compiles n, returning its entry and exit (a fork to nowhere yet).
func (c *compiler) frag(n *node) (int32, int32, error) {
	if *c.count > maxStates {
		return 0, 0, errTooBig
	}
	switch n.kind {
	case nSet:
		s := c.add(iRune)
		e := c.add(iFork)
		c.p.insts[s].set = n.set
		c.p.insts[s].outs = []int32{e}
		return s, e, nil
	case nEmpty:
		s := c.add(iFork)
		return s, s, nil
	case nAssert, nLook:
		op := uint8(iAssert)
		arg := int32(n.assert)
		if n.kind == nLook {
			op, arg = iLook, int32(n.look)
		}
		s := c.add(op)
		e := c.add(iFork)
		c.p.insts[s].arg = arg
		c.p.insts[s].outs = []int32{e}
		return s, e, nil
	case nGroup:
		return c.frag(n.subs[0])
	case nCat:
		if len(n.subs) == 0 {
			s := c.add(iFork)
			return s, s, nil
		}
		var start, end int32 = -1, -1
		for _, sub := range n.subs {
			s, e, err := c.frag(sub)
			if err != nil {
				return 0, 0, err
			}
			if start < 0 {
				start = s
			} else {
				c.link(end, s)
			}
			end = e
		}
		return start, end, nil
	case nAlt:
		s := c.add(iFork)
		e := c.add(iFork)
		for _, sub := range n.subs {
			bs, be, err := c.frag(sub)
			if err != nil {
				return 0, 0, err
			}
			c.link(s, bs)
			c.link(be, e)
		}
		return s, e, nil
	case nRep:
		s := c.add(iFork)
		cur := s
		for k := 0; k < n.min; k++ {
			bs, be, err := c.frag(n.subs[0])
			if err != nil {
				return 0, 0, err
			}
			c.link(cur, bs)
			cur = be
		}
		e := c.add(iFork)
		switch {
		case n.max == dupInf:
			loop := c.add(iFork)
			bs, be, err := c.frag(n.subs[0])
			if err != nil {
				return 0, 0, err
			}
			c.link(cur, loop)
			c.link(loop, bs)
			c.link(be, loop)
			c.link(loop, e)
		default:
			for k := n.min; k < n.max; k++ {
				bs, be, err := c.frag(n.subs[0])
				if err != nil {
					return 0, 0, err
				}
				c.link(cur, bs)
				c.link(cur, e)
				cur = be
			}
			c.link(cur, e)
		}
		return s, e, nil
	}
	panic("pgregex: unknown node")
}

func (c *compiler) link(from, to int32) {
	in := &c.p.insts[from]
	in.outs = append(in.outs, to)
}

func compileProg(n *node, count *int) (*prog, error) {
	p := &prog{}
	c := compiler{p: p, count: count}
	s, e, err := c.frag(n)
	if err != nil {
		return nil, err
	}
	p.start, p.accept = s, e
	return p, nil
}

// ---- simulation ----

// sparseSet is a set of state numbers with O(1) insert, test and clear.
type sparseSet struct {
	dense  []int32
	sparse []int32
}

func (s *sparseSet) resize(n int) {
	if cap(s.sparse) < n {
		s.sparse = make([]int32, n)
		s.dense = make([]int32, 0, n)
	}
	s.sparse = s.sparse[:n]
	s.dense = s.dense[:0]
}

func (s *sparseSet) has(i int32) bool {
	j := s.sparse[i]
	return j < int32(len(s.dense)) && s.dense[j] == i
}

func (s *sparseSet) add(i int32) {
	s.sparse[i] = int32(len(s.dense))
	s.dense = append(s.dense, i)
}

// sim holds the scratch space of one simulation.
type sim struct {
	cur, next sparseSet
	stack     []int32
	// starts of threads, by state, for the unanchored search
	curStart, nextStart []int
}

// context answers constraints and lookarounds at a position.
type context interface {
	assert(k assertKind, pos int) bool
	look(i int, pos int) bool
}

// closure adds state st and everything reachable from it by epsilon moves
// at pos to set; start is recorded per state when starts is not nil.
func (s *sim) closure(p *prog, set *sparseSet, st int32, pos int, ctx context, starts []int, start int) {
	s.stack = append(s.stack[:0], st)
	for len(s.stack) > 0 {
		x := s.stack[len(s.stack)-1]
		s.stack = s.stack[:len(s.stack)-1]
		if set.has(x) {
			continue
		}
		set.add(x)
		if starts != nil {
			starts[x] = start
		}
		in := &p.insts[x]
		switch in.op {
		case iFork:
			for k := len(in.outs) - 1; k >= 0; k-- {
				s.stack = append(s.stack, in.outs[k])
			}
		case iAssert:
			if ctx.assert(assertKind(in.arg), pos) {
				s.stack = append(s.stack, in.outs[0])
			}
		case iLook:
			if ctx.look(int(in.arg), pos) {
				s.stack = append(s.stack, in.outs[0])
			}
		}
	}
}

// step moves every rune state of cur over r into next (at pos, the
// position after r).
func (s *sim) step(p *prog, r rune, pos int, ctx context, withStarts bool) {
	s.next.dense = s.next.dense[:0]
	for _, x := range s.cur.dense {
		in := &p.insts[x]
		if in.op == iRune && in.set.contains(r) {
			start := 0
			if withStarts {
				start = s.curStart[x]
			}
			var st []int
			if withStarts {
				st = s.nextStart
			}
			s.closure(p, &s.next, in.outs[0], pos, ctx, st, start)
		}
	}
	s.cur, s.next = s.next, s.cur
	s.curStart, s.nextStart = s.nextStart, s.curStart
}

func (s *sim) reset(p *prog, withStarts bool) {
	n := len(p.insts)
	s.cur.resize(n)
	s.next.resize(n)
	if withStarts {
		if cap(s.curStart) < n {
			s.curStart = make([]int, n)
			s.nextStart = make([]int, n)
		}
		s.curStart = s.curStart[:n]
		s.nextStart = s.nextStart[:n]
	}
}

func decode(text []byte, pos int) (rune, int) {
	c := text[pos]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRune(text[pos:])
}

// ends runs p anchored at begin over text[:limit] and calls found for each
// position where it accepts, in increasing order, until found returns
// false.
func (s *sim) ends(p *prog, text []byte, begin, limit int, ctx context, found func(pos int) bool) {
	s.reset(p, false)
	s.closure(p, &s.cur, p.start, begin, ctx, nil, 0)
	pos := begin
	for {
		if s.cur.has(p.accept) && !found(pos) {
			return
		}
		if pos >= limit || len(s.cur.dense) == 0 {
			return
		}
		r, w := decode(text, pos)
		pos += w
		s.step(p, r, pos, ctx, false)
	}
}

// longest is the end of the longest match of p from begin not past limit,
// or -1.
func (s *sim) longest(p *prog, text []byte, begin, limit int, ctx context) int {
	best := -1
	s.ends(p, text, begin, limit, ctx, func(pos int) bool { best = pos; return true })
	return best
}

// shortest is the end of the shortest match of p from begin ending in
// [min, max], or -1.
func (s *sim) shortest(p *prog, text []byte, begin, min, max int, ctx context) int {
	best := -1
	s.ends(p, text, begin, max, ctx, func(pos int) bool {
		if pos >= min {
			best = pos
			return false
		}
		return true
	})
	return best
}

// leftmost finds the earliest position at or after from where p matches,
// or -1. With any, it returns as soon as some match is known to exist
// (the position returned is then meaningless but not -1).
func (s *sim) leftmost(p *prog, text []byte, from int, ctx context, any bool) int {
	s.reset(p, true)
	best := -1
	pos := from
	inject := func() {
		if best < 0 {
			s.closure(p, &s.cur, p.start, pos, ctx, s.curStart, pos)
		}
	}
	inject()
	for {
		if s.cur.has(p.accept) {
			st := s.curStart[p.accept]
			if best < 0 || st < best {
				best = st
			}
			if any {
				return best
			}
		}
		if best >= 0 {
			// threads that started after best cannot do better
			keep := s.cur.dense[:0]
			for _, x := range s.cur.dense {
				if s.curStart[x] < best {
					keep = append(keep, x)
				}
			}
			// rebuild the sparse index for the kept states
			s.cur.dense = keep
			for i, x := range keep {
				s.cur.sparse[x] = int32(i)
			}
		}
		if pos >= len(text) || len(s.cur.dense) == 0 && best >= 0 {
			return best
		}
		r, w := decode(text, pos)
		pos += w
		s.step(p, r, pos, ctx, true)
		inject()
	}
}
