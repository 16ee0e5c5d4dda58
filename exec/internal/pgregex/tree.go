package pgregex

// The subre tree, built from the AST as regcomp.c's parse, parsebranch and
// parseqatom build it: runs of atoms that need no dissection are bundled
// into plain '=' nodes; '.' concatenates a prefix with a "messy" atom (one
// with captures, or whose greediness clashes with what precedes it) and
// the rest of the branch; '|' is an alternation with interesting
// branches; '*' iterates a capturing atom; '(' wraps a capture around a
// node that already captures. Each node matches its fragment of the AST.

type subre struct {
	op       byte
	flags    int
	capno    int
	min, max int
	child    *subre
	sibling  *subre
	frag     *node
	prog     *prog
}

type treeBuilder struct{}

func catOf(items []*node) *node {
	if len(items) == 1 {
		return items[0]
	}
	return &node{kind: nCat, subs: items}
}

// parse is regcomp.c's parse: an alternation of branches.
func (b *treeBuilder) parse(n *node) *subre {
	branches := []*node{n}
	if n.kind == nAlt {
		branches = n.subs
	}
	top := &subre{op: '|', flags: fLonger, frag: n}
	var last *subre
	for _, br := range branches {
		items := []*node{br}
		if br.kind == nCat {
			items = br.subs
		}
		sub := b.branch(items, 0)
		if last == nil {
			top.child = sub
		} else {
			last.sibling = sub
		}
		last = sub
		top.flags |= up(top.flags | sub.flags)
	}
	if top.child.sibling == nil {
		return top.child
	}
	if !messy(top.flags) {
		top.op = '='
		top.child = nil
	}
	return top
}

// branch is parsebranch and parseqatom: items[from:] of one branch.
func (b *treeBuilder) branch(items []*node, from int) *subre {
	top := &subre{op: '=', frag: catOf(items[from:])}
	if from == len(items) {
		top.frag = &node{kind: nEmpty}
	}
	for i := from; i < len(items); i++ {
		it := items[i]
		if it.kind == nAssert || it.kind == nLook || it.kind == nEmpty {
			continue
		}
		inner := it
		m, n := 1, 1
		qprefer := 0
		if it.kind == nRep {
			inner = it.subs[0]
			m, n = it.min, it.max
			if it.hasQuant {
				qprefer = fShorter
				if it.greedy {
					qprefer = fLonger
				}
			}
		}
		var atom *subre
		capGroup := inner.kind == nGroup && inner.cap > 0
		if inner.kind == nGroup {
			atom = b.parse(inner.subs[0])
			if inner.cap > 0 {
				if atom.capno == 0 {
					atom.flags |= fCap
					atom.capno = inner.cap
				} else {
					atom = &subre{op: '(', flags: atom.flags | fCap, capno: inner.cap, child: atom, frag: atom.frag}
				}
			}
		}
		if m == 0 && n == 0 {
			continue // matches the empty string; captures inside stay unset
		}
		f := top.flags | qprefer
		if atom != nil {
			f |= atom.flags
		}
		if !capGroup && !messy(up(f)) {
			top.flags = f
			continue
		}

		// the hard part: something messy
		if atom == nil {
			atom = &subre{op: '=', frag: inner}
		}
		prefixEmpty := i == from
		prefix := &subre{op: '=', flags: top.flags, frag: catOf(items[from:i])}
		if prefixEmpty {
			prefix.frag = &node{kind: nEmpty}
		}
		t := &subre{op: '.', flags: combine(qprefer, atom.flags), frag: catOf(items[i:])}
		var q *subre
		lsm := atom.flags & (fLonger | fShorter | fMixed)
		switch {
		case m == 1 && n == 1 && (qprefer == 0 || lsm == 0 || qprefer == lsm):
			q = atom
		case atom.flags&fCap == 0:
			q = &subre{op: '=', flags: combine(qprefer, atom.flags), frag: it}
		case m > 0:
			// x{m,n} as x{m-1,n-1}x, capturing in the last x only
			f2 := combine(qprefer, atom.flags)
			nn := n
			if nn != dupInf {
				nn--
			}
			pre := &subre{op: '=', flags: pref(f2), frag: &node{kind: nRep, subs: []*node{inner}, min: m - 1, max: nn, greedy: it.greedy, hasQuant: it.hasQuant}}
			pre.sibling = atom
			q = &subre{op: '.', flags: f2, child: pre, frag: it}
		default:
			q = &subre{op: '*', flags: combine(qprefer, atom.flags), min: m, max: n, child: atom, frag: it}
		}
		t.child = q
		if i+1 < len(items) {
			rest := b.branch(items, i+1)
			q.sibling = rest
			t.flags |= combine(t.flags, rest.flags)
			top.flags |= combine(top.flags, t.flags)
			top.op = '.'
			switch {
			case prefixEmpty:
				top.child = q
			case q.op == '=' && rest.op == '=' && !messy(up(q.flags|rest.flags)):
				t.op = '='
				t.flags = combine(q.flags, rest.flags)
				t.child = nil
				top.child = prefix
				prefix.sibling = t
			default:
				top.child = prefix
				prefix.sibling = t
			}
			return top
		}
		top.flags |= combine(top.flags, q.flags)
		if prefixEmpty {
			return q
		}
		top.op = '.'
		top.child = prefix
		prefix.sibling = q
		return top
	}
	return top
}
