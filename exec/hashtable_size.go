package exec

import "unsafe"

// memSize estimates the memory a hash table holds: its slots, hashes and
// stored keys. Operators charge it to their statement (memory_account.go)
// and compare it with work_mem.
func (t *hashTable) memSize() int64 {
	n := int64(8*cap(t.hashes) + 8*cap(t.slots) + 16*cap(t.groupKeys))
	if t.direct != nil {
		n += int64(4*directChunk*t.direct.allocated + 8*cap(t.direct.chunks) + 8*cap(t.direct.vals))
	}
	for _, c := range t.cols {
		if s, ok := c.(interface{ size() int64 }); ok {
			n += s.size()
		}
	}
	return n
}

func (c *fixedKeys[T]) size() int64 {
	var zero T
	return int64(cap(c.vals))*int64(unsafe.Sizeof(zero)) + int64(cap(c.null))
}

func (c *boolKeys) size() int64 { return int64(cap(c.vals)) }

func (c *varlenKeys) size() int64 {
	return int64(cap(c.data) + 4*cap(c.offsets) + cap(c.null) + cap(c.keys) + 4*cap(c.keyOff))
}

func (c *arrayKeyColumn) size() int64 {
	return int64(cap(c.arena) + 4*cap(c.offsets) + cap(c.null) + 16*len(c.offsets))
}
