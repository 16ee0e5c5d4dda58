package exec

import "testing"

func TestPoolAllocatorReusesZeroedBuffers(t *testing.T) {
	p := &PoolAllocator{}
	b := p.Allocate(10000)
	if len(b) != 10000 || cap(b) != 16384 {
		t.Fatalf("len %d cap %d", len(b), cap(b))
	}
	for i := range b {
		b[i] = 0xff
	}
	p.Free(b)
	c := p.Allocate(9000)
	for i, v := range c {
		if v != 0 {
			t.Fatalf("byte %d not zeroed", i)
		}
	}
	c = p.Reallocate(20000, c)
	if len(c) != 20000 {
		t.Fatalf("len %d", len(c))
	}
	small := p.Allocate(10)
	p.Free(small) // below the pooled sizes: ignored
	p.Free(make([]byte, 5000))
}
