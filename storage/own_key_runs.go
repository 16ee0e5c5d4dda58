package storage

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"slices"
)

// Own keys beyond memory.
//
// A transaction that inserts millions of rows into a table with a key
// constraint (a bulk COPY) checks each new key against its own earlier
// rows. Their keys go to its own key index's map until it holds
// ownKeyRunKeys of them; then the map is frozen into a run: its keys,
// sorted, are written with their row ids to an unlinked temporary file,
// and memory keeps only a bloom filter and every runBlock-th key (about
// 1.3 bytes a key instead of some 80). A lookup asks the runs' bloom
// filters and reads one block of each run that may hold the key.
//
// A row deleted after its key was frozen gets a tombstone: the number of
// runs at its deletion. Its entries in runs frozen before are dead; an
// entry in a later run is a new version of the row (an update keeps the
// row id), alive.

// ownKeyRunKeys is how many keys an own key index holds in memory before
// freezing them into a run (tests lower it).
var ownKeyRunKeys = 1 << 19

const (
	// runBlock is how many entries of a run one sparse key covers.
	runBlock = 64
	// bloomBitsPerKey sizes a run's bloom filter: about 1% false
	// positives with bloomHashes probes.
	bloomBitsPerKey = 10
	bloomHashes     = 7
)

// keyRuns are the frozen keys of one own key index.
type keyRuns struct {
	file *spillFile
	runs []*keyRun
	tomb map[int64]int // row id → len(runs) at its deletion
	seed maphash.Seed
}

// keyRun is one sorted run: entries (uvarint key length, key, row id as
// 8 little-endian bytes) at [off, end) of the file.
type keyRun struct {
	off, end int64
	bloom    []uint64
	sparse   []sparseKey // the first key of every block, ascending
}

type sparseKey struct {
	key string
	off int64
}

// freeze moves the keys of x's maps into a new run.
func (x *keyIndex) freeze(tempDir string) error {
	if x.frozen == nil {
		f, err := newSpillFile(tempDir)
		if err != nil {
			return err
		}
		x.frozen = &keyRuns{file: f, tomb: map[int64]int{}, seed: maphash.MakeSeed()}
	}
	kr := x.frozen
	type entry struct {
		key string
		id  int64
	}
	entries := make([]entry, 0, len(x.byID))
	for id, k := range x.byID {
		entries = append(entries, entry{k, id})
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if c := bytes.Compare(unsafeBytes(a.key), unsafeBytes(b.key)); c != 0 {
			return c
		}
		return int(a.id - b.id)
	})
	words := max(1, (len(entries)*bloomBitsPerKey+63)/64)
	run := &keyRun{off: kr.file.size, bloom: make([]uint64, words)}
	var buf []byte
	for i, e := range entries {
		if i%runBlock == 0 {
			run.sparse = append(run.sparse, sparseKey{e.key, run.off + int64(len(buf))})
		}
		buf = binary.AppendUvarint(buf, uint64(len(e.key)))
		buf = append(buf, e.key...)
		buf = binary.LittleEndian.AppendUint64(buf, uint64(e.id))
		run.bloomAdd(kr.seed, unsafeBytes(e.key))
	}
	if _, err := kr.file.f.WriteAt(buf, kr.file.size); err != nil {
		return err
	}
	kr.file.size += int64(len(buf))
	run.end = kr.file.size
	kr.runs = append(kr.runs, run)
	x.keys, x.more, x.byID = map[string]int64{}, nil, map[int64]string{}
	return nil
}

func (r *keyRun) bloomBits(seed maphash.Seed, k []byte, visit func(word int, bit uint64) bool) bool {
	h := maphash.Bytes(seed, k)
	h1, h2 := uint32(h), uint32(h>>32)|1
	m := uint32(len(r.bloom) * 64)
	for i := range uint32(bloomHashes) {
		b := (h1 + i*h2) % m
		if !visit(int(b/64), 1<<(b%64)) {
			return false
		}
	}
	return true
}

func (r *keyRun) bloomAdd(seed maphash.Seed, k []byte) {
	r.bloomBits(seed, k, func(w int, bit uint64) bool { r.bloom[w] |= bit; return true })
}

func (r *keyRun) mayHold(seed maphash.Seed, k []byte) bool {
	return r.bloomBits(seed, k, func(w int, bit uint64) bool { return r.bloom[w]&bit != 0 })
}

// holder returns a live row of the runs holding key k that free does
// not release, newest run first.
func (kr *keyRuns) holder(k []byte, free func(int64) bool) (int64, bool, error) {
	for j := len(kr.runs) - 1; j >= 0; j-- {
		r := kr.runs[j]
		if !r.mayHold(kr.seed, k) {
			continue
		}
		ids, err := r.lookup(kr.file, k)
		if err != nil {
			return 0, false, err
		}
		for _, id := range ids {
			if t, dead := kr.tomb[id]; dead && t > j || free(id) {
				continue
			}
			return id, true, nil
		}
	}
	return 0, false, nil
}

// lookup reads the row ids of r's entries with key k. Equal keys are
// adjacent but may begin in the block before the first sparse key not
// below k.
func (r *keyRun) lookup(file *spillFile, k []byte) ([]int64, error) {
	i, _ := slices.BinarySearchFunc(r.sparse, k, func(s sparseKey, k []byte) int { return bytes.Compare(unsafeBytes(s.key), k) })
	if i > 0 {
		i--
	}
	var ids []int64
	for ; i < len(r.sparse); i++ {
		end := r.end
		if i+1 < len(r.sparse) {
			end = r.sparse[i+1].off
		}
		block := make([]byte, end-r.sparse[i].off)
		if _, err := file.f.ReadAt(block, r.sparse[i].off); err != nil {
			return nil, err
		}
		for len(block) > 0 {
			n, w := binary.Uvarint(block)
			key := block[w : w+int(n)]
			id := int64(binary.LittleEndian.Uint64(block[w+int(n):]))
			block = block[w+int(n)+8:]
			switch c := bytes.Compare(key, k); {
			case c == 0:
				ids = append(ids, id)
			case c > 0:
				return ids, nil
			}
		}
	}
	return ids, nil
}

// close releases the runs' file.
func (kr *keyRuns) close() {
	if kr != nil {
		kr.file.close()
	}
}
