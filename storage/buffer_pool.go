package storage

import (
	"math/bits"
	"sync"
	"unsafe"
)

// bufferPool recycles the value and offset buffers of decoded column
// chunks. A scan decodes every row group into fresh buffers of the same
// few sizes; without recycling, each query allocates (and the garbage
// collector zeroes and scans for) hundreds of megabytes. Buffers go back
// to the pool when the last Arrow reference to them is released, so it
// implements memory.Allocator for memory.NewBufferWithAllocator. Buffers
// come back with stale contents: the decoder writes every byte it
// exposes. It is safe for concurrent use.
//
// It needs no byte budget of its own (unlike the cache, cache.go): a
// sync.Pool drops what it holds over two garbage collections, so the
// pool never keeps more than the buffers scans had out at once lately,
// memory those scans held anyway.
type bufferPool struct {
	classes [48]sync.Pool // by power of two: class c holds caps ≥ 1<<c
}

// minPooledBufferClass keeps small buffers on the Go heap.
const minPooledBufferClass = 12

var columnBuffers bufferPool

// Allocate returns a buffer of length size whose contents are undefined.
func (p *bufferPool) Allocate(size int) []byte {
	c := 0
	if size > 1 {
		c = bits.Len(uint(size - 1)) // round up
	}
	if c < minPooledBufferClass || c >= len(p.classes) {
		return make([]byte, size)
	}
	if v := p.classes[c].Get(); v != nil {
		return (*v.(*[]byte))[:size]
	}
	return make([]byte, size, 1<<c)
}

// Reallocate grows or shrinks b to size, keeping its contents.
func (p *bufferPool) Reallocate(size int, b []byte) []byte {
	if size <= cap(b) {
		return b[:size]
	}
	nb := p.Allocate(size)
	copy(nb, b)
	p.Free(b)
	return nb
}

// Free returns b to the pool; the caller must not use it again.
func (p *bufferPool) Free(b []byte) {
	c := bits.Len(uint(cap(b))) - 1 // round down
	if c < minPooledBufferClass || c >= len(p.classes) {
		return
	}
	b = b[:cap(b)]
	p.classes[c].Put(&b)
}

// int32s returns a slice of n int32s backed by a pooled buffer.
func (p *bufferPool) int32s(n int) []int32 {
	b := p.Allocate(4 * n)
	return unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(b))), cap(b)/4)[:n]
}

// int32Bytes is the byte view of an int32 slice, capacity included, for
// returning it to the pool.
func int32Bytes(s []int32) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), 4*cap(s))[:4*len(s)]
}
