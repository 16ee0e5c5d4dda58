package exec

import (
	"math/bits"
	"sync"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// PoolAllocator is the executor's default Arrow allocator: it recycles
// freed buffers by power-of-two size class, so the steady stream of
// batch-sized columns that operators allocate and release reuses the same
// memory instead of asking the Go heap (and the garbage collector) for
// fresh megabytes per batch. It is safe for concurrent use. Buffers come
// back zeroed, like the Go allocator's.
type PoolAllocator struct {
	classes [48]sync.Pool
}

// minPooledClass keeps tiny buffers out of the pools; the Go heap serves
// them well already.
const minPooledClass = 12 // 4 KiB

var defaultPool = &PoolAllocator{}

func sizeClass(n int) int {
	if n <= 1 {
		return 0
	}
	return bits.Len(uint(n - 1))
}

// Allocate returns a zeroed buffer of length size.
func (p *PoolAllocator) Allocate(size int) []byte {
	c := sizeClass(size)
	if c < minPooledClass || c >= len(p.classes) {
		return make([]byte, size)
	}
	if v := p.classes[c].Get(); v != nil {
		b := (*v.(*[]byte))[:size]
		clear(b)
		return b
	}
	return make([]byte, size, 1<<c)
}

// Reallocate grows or shrinks b to size, keeping its contents.
func (p *PoolAllocator) Reallocate(size int, b []byte) []byte {
	if size <= cap(b) {
		old := len(b)
		b = b[:size]
		if size > old {
			clear(b[old:])
		}
		return b
	}
	nb := p.Allocate(size)
	copy(nb, b)
	p.Free(b)
	return nb
}

// Free returns b to its size class.
func (p *PoolAllocator) Free(b []byte) {
	c := cap(b)
	if c == 0 || c&(c-1) != 0 {
		return // not one of ours
	}
	k := sizeClass(c)
	if k < minPooledClass || k >= len(p.classes) {
		return
	}
	b = b[:0]
	p.classes[k].Put(&b)
}

var _ memory.Allocator = (*PoolAllocator)(nil)
