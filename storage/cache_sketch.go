package storage

// frequencySketch estimates how often each cache key was used lately: a
// count-min sketch (four rows of small saturating counters, a key's
// estimate being the least of its four counters) whose counters are all
// halved after every sampleSize additions, so old popularity fades. The
// cache admits a block only when it was used more often than the entry
// it would evict (TinyLFU), so that one pass over a table larger than
// the cache does not flush what repeated queries read. Not safe for
// concurrent use; the cache calls it under its mutex.
type frequencySketch struct {
	rows       [4][]uint8
	mask       uint64
	additions  int
	sampleSize int
}

// maxSketchCount is where a counter saturates.
const maxSketchCount = 15

// init sizes the sketch for a cache of about entries entries.
func (s *frequencySketch) init(entries int) {
	width := 1024
	for width < 2*entries {
		width *= 2
	}
	for i := range s.rows {
		s.rows[i] = make([]uint8, width)
	}
	s.mask = uint64(width - 1)
	s.sampleSize = 10 * width
	s.additions = 0
}

// slot is the counter of key h in row i: each row mixes h differently.
func (s *frequencySketch) slot(h uint64, i int) *uint8 {
	h ^= uint64(i+1) * 0x9e3779b97f4a7c15
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	return &s.rows[i][h&s.mask]
}

// add counts one use of key h.
func (s *frequencySketch) add(h uint64) {
	if s.rows[0] == nil {
		return
	}
	for i := range s.rows {
		if c := s.slot(h, i); *c < maxSketchCount {
			*c++
		}
	}
	s.additions++
	if s.additions >= s.sampleSize {
		s.additions = 0
		for _, row := range s.rows {
			for j := range row {
				row[j] >>= 1
			}
		}
	}
}

// estimate is how often key h was used lately (never less than the truth
// before aging).
func (s *frequencySketch) estimate(h uint64) uint8 {
	if s.rows[0] == nil {
		return 0
	}
	least := uint8(maxSketchCount)
	for i := range s.rows {
		least = min(least, *s.slot(h, i))
	}
	return least
}
