package jsonb

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// Builder assembles a jsonb value from parts: the parser feeds it, and so
// do the operators that make new values and the executor's jsonb_build_*
// and jsonb_agg functions.
//
// Parts are recorded as a tree of pending nodes whose payloads (strings,
// numerics, already-encoded sub-values) sit in one byte arena; nothing is
// encoded until Finish, which writes every byte once, straight into the
// caller's buffer. When an object is closed its pairs are sorted into
// jsonb key order and duplicate keys are dropped, the last one winning,
// as PostgreSQL does. A Builder is reusable and, once warm, allocates
// nothing; it is not safe for concurrent use.
//
//	b.BeginObject()
//	b.Key([]byte("a")); b.Value(v)
//	b.Key([]byte("b")); b.BeginArray(); b.Numeric(n); b.End()
//	b.End()
//	dst = b.Finish(dst)
//
// (End returns an error when a container outgrows jsonb's size limit;
// the example leaves it out.) Added parts are copied, so their memory may
// be reused at once. jsonb_build_object and jsonb_build_array fill one
// container per row; jsonb_agg and jsonb_object_agg keep a Builder per
// group, open the container on the first row, add a part (or a pair) per
// row and End and Finish it at the end.
//
// Misuse (a value where a key is due, End without Begin, Finish with a
// container still open) is a bug in the caller and panics.
type Builder struct {
	nodes  []bnode
	data   []byte  // payloads of the nodes
	open   []int32 // children of the open containers, in the order added
	frames []bframe
	kids   []int32 // children of closed containers, in their final order
	pairs  []bpair // scratch for ordering an object's pairs
	root   int32   // index+1 of the top-level node; 0 while there is none
	huge   bool    // the arena outgrew the int32 offsets of the nodes

	// keepPairs makes objects keep all their pairs in input order (the
	// json type's view of a document) and skips computing encoded sizes.
	keepPairs bool
}

// Node kinds of the builder's tree.
const (
	nNull = iota
	nFalse
	nTrue
	nNumber // payload: a numeric encoding (json mode: none, see span)
	nString // payload: the unescaped bytes
	nArray
	nObject
	nBlob // payload: an encoded Value, copied as is
)

type bnode struct {
	kind       uint8
	start, end int32 // payload bytes in Builder.data
	spanStart  int32 // where the node's text starts and ends in the
	spanEnd    int32 // parsed input (parsing only)
	n          int32 // containers: elements, or pairs
	kids       int32 // containers: first child in Builder.kids
	dsize      int32 // containers: bytes of all children
	size       int32 // bytes of the whole encoded node
}

type bframe struct {
	node  int32 // the open container
	first int32 // its first child in Builder.open
}

type bpair struct {
	key  []byte
	k, v int32
}

// PostgreSQL's limit on the bytes of a jsonb container's children and of
// a string (JENTRY_OFFLENMASK).
const maxContainerBytes = 0x0FFFFFFF

// Reset discards everything added so far.
func (b *Builder) Reset() {
	b.huge = false
	b.nodes = b.nodes[:0]
	b.data = b.data[:0]
	b.open = b.open[:0]
	b.frames = b.frames[:0]
	b.kids = b.kids[:0]
	b.root = 0
}

// add appends a node and attaches it to the innermost open container (or
// makes it the top-level value).
func (b *Builder) add(kind uint8, start, end, size int) int32 {
	if end > math.MaxInt32 {
		b.huge = true
	}
	i := int32(len(b.nodes))
	b.nodes = append(b.nodes, bnode{kind: kind, start: int32(start), end: int32(end), size: int32(size)})
	if len(b.frames) == 0 {
		if b.root != 0 {
			panic("jsonb: Builder already holds a complete value")
		}
		b.root = i + 1
	} else {
		b.open = append(b.open, i)
	}
	return i
}

// checkValueDue panics if the innermost open container is an object that
// expects a key.
func (b *Builder) checkValueDue() {
	if n := len(b.frames); n > 0 {
		f := b.frames[n-1]
		if b.nodes[f.node].kind == nObject && (int32(len(b.open))-f.first)%2 == 0 {
			panic("jsonb: Builder expected a key")
		}
	}
}

// Null adds a JSON null.
func (b *Builder) Null() { b.checkValueDue(); b.add(nNull, 0, 0, 1) }

// Bool adds a JSON boolean.
func (b *Builder) Bool(t bool) {
	b.checkValueDue()
	if t {
		b.add(nTrue, 0, 0, 1)
	} else {
		b.add(nFalse, 0, 0, 1)
	}
}

// String adds a JSON string with the given (unescaped) UTF-8 content.
func (b *Builder) String(s []byte) {
	b.checkValueDue()
	start := len(b.data)
	b.data = append(b.data, s...)
	b.add(nString, start, len(b.data), 1+len(s))
}

// Numeric adds a JSON number from a canonical numeric encoding (package
// numeric). NaN and the infinities are not JSON numbers; like to_jsonb, the
// builder turns them into the strings "NaN", "Infinity" and "-Infinity".
func (b *Builder) Numeric(num []byte) {
	b.checkValueDue()
	start := len(b.data)
	if isSpecialNumeric(num) {
		b.data = numeric.AppendText(b.data, num)
		b.add(nString, start, len(b.data), 1+len(b.data)-start)
		return
	}
	b.data = append(b.data, num...)
	b.add(nNumber, start, len(b.data), 1+len(num))
}

// isSpecialNumeric reports whether num is NaN or an infinity: the sign
// word's two top bits are both set only for those.
func isSpecialNumeric(num []byte) bool {
	return len(num) >= numeric.HeaderSize && num[4]&0xC0 == 0xC0
}

// Value adds an already-encoded value, copying it.
func (b *Builder) Value(v Value) {
	b.checkValueDue()
	start := len(b.data)
	b.data = append(b.data, v...)
	b.add(nBlob, start, len(b.data), len(v))
}

// Key adds the key of the next pair of the innermost open object.
func (b *Builder) Key(k []byte) {
	n := len(b.frames)
	if n == 0 || b.nodes[b.frames[n-1].node].kind != nObject || (int32(len(b.open))-b.frames[n-1].first)%2 != 0 {
		panic("jsonb: Builder.Key outside an object or where a value is due")
	}
	start := len(b.data)
	b.data = append(b.data, k...)
	b.add(nString, start, len(b.data), 1+len(k))
}

// BeginArray opens an array; elements added up to the matching End are
// its elements.
func (b *Builder) BeginArray() { b.begin(nArray) }

// BeginObject opens an object; alternate Key and a value up to the
// matching End.
func (b *Builder) BeginObject() { b.begin(nObject) }

func (b *Builder) begin(kind uint8) int32 {
	b.checkValueDue()
	i := b.add(kind, 0, 0, 0)
	b.frames = append(b.frames, bframe{node: i, first: int32(len(b.open))})
	return i
}

// End closes the innermost open container. Its error is PostgreSQL's
// 54000 when the container's contents exceed jsonb's size limit.
func (b *Builder) End() error {
	nf := len(b.frames)
	if nf == 0 {
		panic("jsonb: Builder.End without an open container")
	}
	f := b.frames[nf-1]
	b.frames = b.frames[:nf-1]
	nd := &b.nodes[f.node]
	kids := b.open[f.first:]
	nd.kids = int32(len(b.kids))
	dsize := 0
	if nd.kind == nArray {
		nd.n = int32(len(kids))
		b.kids = append(b.kids, kids...)
		if !b.keepPairs {
			for _, k := range kids {
				dsize += int(b.nodes[k].size)
			}
		}
	} else {
		if len(kids)%2 != 0 {
			panic("jsonb: Builder object closed with a key and no value")
		}
		if b.keepPairs {
			nd.n = int32(len(kids) / 2)
			b.kids = append(b.kids, kids...)
		} else {
			dsize = b.orderPairs(nd, kids)
		}
	}
	b.open = b.open[:f.first]
	if b.keepPairs {
		return nil
	}
	if dsize > maxContainerBytes || b.huge {
		what := "array"
		if nd.kind == nObject {
			what = "object"
		}
		return pgerr.New(pgerr.ProgramLimitExceeded, "total size of jsonb %s elements exceeds the maximum of %d bytes", what, maxContainerBytes)
	}
	entries := int(nd.n)
	if nd.kind == nObject {
		entries *= 2
	}
	w := widthFor(dsize)
	nd.dsize = int32(dsize)
	nd.size = int32(1 + w + entries*w + dsize)
	return nil
}

// orderPairs sorts an object's pairs into key order, drops all but the
// last of each run of equal keys, appends the keys and then the values to
// b.kids, and returns the bytes of the children.
func (b *Builder) orderPairs(nd *bnode, kids []int32) int {
	pairs := b.pairs[:0]
	sorted := true
	for i := 0; i < len(kids); i += 2 {
		kn := &b.nodes[kids[i]]
		key := b.data[kn.start:kn.end]
		if len(pairs) > 0 && compareKeys(pairs[len(pairs)-1].key, key) >= 0 {
			sorted = false
		}
		pairs = append(pairs, bpair{key: key, k: kids[i], v: kids[i+1]})
	}
	if !sorted {
		// Stable, so that among equal keys the last added stays last.
		slices.SortStableFunc(pairs, func(x, y bpair) int { return compareKeys(x.key, y.key) })
		out := pairs[:0]
		for i := range pairs {
			if i+1 < len(pairs) && compareKeys(pairs[i].key, pairs[i+1].key) == 0 {
				continue
			}
			out = append(out, pairs[i])
		}
		pairs = out
	}
	dsize := 0
	for _, p := range pairs {
		b.kids = append(b.kids, p.k)
		dsize += len(p.key)
	}
	for _, p := range pairs {
		b.kids = append(b.kids, p.v)
		dsize += int(b.nodes[p.v].size)
	}
	nd.n = int32(len(pairs))
	b.pairs = pairs[:0]
	return dsize
}

// widthFor picks the narrowest offset width that can hold n.
func widthFor(n int) int {
	switch {
	case n <= 0xFF:
		return 1
	case n <= 0xFFFF:
		return 2
	}
	return 4
}

func widthCode(w int) byte {
	switch w {
	case 1:
		return 0
	case 2:
		return 1
	}
	return 2
}

func appendWidth(dst []byte, x, w int) []byte {
	switch w {
	case 1:
		return append(dst, byte(x))
	case 2:
		return binary.LittleEndian.AppendUint16(dst, uint16(x))
	}
	return binary.LittleEndian.AppendUint32(dst, uint32(x))
}

// Finish appends the complete value to dst, returns the extended slice
// and resets the builder.
func (b *Builder) Finish(dst []byte) []byte {
	if len(b.frames) != 0 {
		panic(fmt.Sprintf("jsonb: Builder.Finish with %d open containers", len(b.frames)))
	}
	if b.root == 0 {
		panic("jsonb: Builder.Finish without a value")
	}
	root := b.root - 1
	dst = slices.Grow(dst, int(b.nodes[root].size))
	dst = b.encode(dst, root)
	b.Reset()
	return dst
}

// encode appends node i's encoding.
func (b *Builder) encode(dst []byte, i int32) []byte {
	nd := &b.nodes[i]
	switch nd.kind {
	case nNull:
		return append(dst, tagNull)
	case nFalse:
		return append(dst, tagFalse)
	case nTrue:
		return append(dst, tagTrue)
	case nNumber:
		dst = append(dst, tagNumber)
		return append(dst, b.data[nd.start:nd.end]...)
	case nString:
		dst = append(dst, tagString)
		return append(dst, b.data[nd.start:nd.end]...)
	case nBlob:
		return append(dst, b.data[nd.start:nd.end]...)
	}
	w := widthFor(int(nd.dsize))
	n := int(nd.n)
	tag := byte(tagArray)
	keys := 0
	if nd.kind == nObject {
		tag = tagObject
		keys = n
	}
	dst = append(dst, tag|widthCode(w)<<tagWidthShft)
	dst = appendWidth(dst, n, w)
	kids := b.kids[nd.kids : int(nd.kids)+n+keys]
	off := 0
	for j, k := range kids {
		kn := &b.nodes[k]
		if j < keys {
			off += int(kn.end - kn.start)
		} else {
			off += int(kn.size)
		}
		dst = appendWidth(dst, off, w)
	}
	for j, k := range kids {
		if j < keys {
			kn := &b.nodes[k]
			dst = append(dst, b.data[kn.start:kn.end]...)
		} else {
			dst = b.encode(dst, k)
		}
	}
	return dst
}
