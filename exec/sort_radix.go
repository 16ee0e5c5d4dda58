package exec

import "bytes"

// Normalized keys (sort_key.go) are byte strings compared bytewise, so
// they sort by MSD radix sort, as DuckDB's sort does: rows are counted
// and moved into one bucket per value of a key's byte at some depth, and
// each bucket is sorted the same way by the next byte. A comparison sort
// compared whole keys; with many rows sharing a prefix (the same count in
// TPC-H Q16's ORDER BY count(...) DESC, p_brand, its brands all starting
// with "Brand#") almost every comparison walked past that prefix again,
// for a key's every comparison. Radix sort reads each byte of a key about
// once. Bytes that every key of a bucket shares move nothing: one pass
// finds how many there are, and the depth skips them. Runs of at most
// radixInsertionRows rows are sorted by insertion, comparing the keys
// from the depth they share.
//
// Every step is stable (the buckets keep the order they were given, the
// insertion sort moves a row only past greater keys), and the rows start
// in row order, so equal keys come out in row order: the sort is stable,
// as the executor's sorts must be.

// radixInsertionRows is the most rows a step sorts by insertion.
const radixInsertionRows = 24

// order returns rows 0..n-1 ordered by their keys, equal keys in row
// order.
func (s *sortKeys) order(n int) []int32 {
	rows := make([]int32, n)
	for i := range rows {
		rows[i] = int32(i)
	}
	s.radixSort(rows, make([]int32, n), make([]uint16, n), 0)
	return rows
}

// radixSort orders rows, whose keys are equal before byte depth (and all
// at least depth bytes long), by their keys from depth on; tmp and
// buckets are scratch of len(rows).
func (s *sortKeys) radixSort(rows, tmp []int32, buckets []uint16, depth int) {
	for len(rows) > radixInsertionRows {
		depth += s.sharedPrefix(rows, depth)
		// Bucket 0 holds the keys that end before depth, which sort
		// first; bucket b+1 the keys whose byte at depth is b.
		var counts [257]int
		lo, hi := 256, 0 // the buckets used, to skip the others' loops
		for i, r := range rows {
			b := s.bucket(r, depth)
			buckets[i] = uint16(b)
			counts[b]++
			lo, hi = min(lo, b), max(hi, b)
		}
		if counts[0] == len(rows) {
			return // every key ended: all equal, already in row order
		}
		var next [257]int
		at := 0
		for b := lo; b <= hi; b++ {
			next[b] = at
			at += counts[b]
		}
		for i, r := range rows {
			b := buckets[i]
			tmp[next[b]] = r
			next[b]++
		}
		copy(rows, tmp)
		// Every bucket but the largest is sorted by a call, the largest by
		// the next round of the loop: each call has at most half the rows,
		// so calls nest at most log2(rows) deep, whatever the keys.
		largest, from, to := -1, 0, 0
		start := counts[0] // the ended keys are equal: done
		for b := max(lo, 1); b <= hi; b++ {
			end := start + counts[b]
			switch {
			case counts[b] < 2:
			case largest < 0 || counts[b] > counts[largest]:
				if largest >= 0 {
					s.radixSort(rows[from:to], tmp[from:to], buckets[from:to], depth+1)
				}
				largest, from, to = b, start, end
			default:
				s.radixSort(rows[start:end], tmp[start:end], buckets[start:end], depth+1)
			}
			start = end
		}
		if largest < 0 {
			return
		}
		rows, tmp, buckets, depth = rows[from:to], tmp[from:to], buckets[from:to], depth+1
	}
	s.insertionSort(rows, depth)
}

// sharedPrefix is the number of bytes from depth on that every key of
// rows has, equal: a prefix common to the rows (the same count, "Brand#")
// is skipped in one pass over each key rather than a pass per byte.
func (s *sortKeys) sharedPrefix(rows []int32, depth int) int {
	first := s.key(int(rows[0]))[depth:]
	n := len(first)
	for _, r := range rows[1:] {
		k := s.key(int(r))[depth:]
		i := 0
		for i < n && i < len(k) && k[i] == first[i] {
			i++
		}
		if n = i; n == 0 {
			break
		}
	}
	return n
}

// bucket is the bucket of row r's key at depth: 0 past its end, else its
// byte there plus one.
func (s *sortKeys) bucket(r int32, depth int) int {
	at := s.offsets[r] + int32(depth)
	if at >= s.offsets[r+1] {
		return 0
	}
	return int(s.arena[at]) + 1
}

// insertionSort orders a few rows whose keys are equal before depth.
func (s *sortKeys) insertionSort(rows []int32, depth int) {
	for i := 1; i < len(rows); i++ {
		r := rows[i]
		k := s.key(int(r))[depth:]
		j := i
		for ; j > 0 && bytes.Compare(s.key(int(rows[j-1]))[depth:], k) > 0; j-- {
			rows[j] = rows[j-1]
		}
		rows[j] = r
	}
}
