package storage

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"io"
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
// 2.5 bytes a key instead of some 80). A lookup of a key outside the
// runs' key range (a text key above all of them, as in a load in key
// order) is done at once; otherwise the key is hashed once, each run's
// bloom filter is asked with a single cache line (a split block bloom
// filter, as Parquet's), and one block is read of each run that may hold
// the key. A run costs a lookup one cache miss and its false positive
// rate a read, so there are never more than maxKeyRuns: freezing one more
// merges them all, in key order, into one run in a new file (the old
// one is closed), dropping the entries their tombstones killed.
//
// A row deleted after its key was frozen gets a tombstone: the number of
// runs at its deletion. Its entries in runs frozen before are dead; an
// entry in a later run is a new version of the row (an update keeps the
// row id), alive. A merge keeps only live entries, so it drops every
// tombstone.

// ownKeyRunKeys is how many keys an own key index holds in memory before
// freezing them into a run (tests lower it): some 20 MB of maps, held
// until the transaction ends, through its commit's flush.
var ownKeyRunKeys = 1 << 18

const (
	// runBlock is how many entries of a run one sparse key covers.
	runBlock = 64
	// bloomBitsPerKey sizes a run's bloom filter: some 0.1% false
	// positives for a split block filter.
	bloomBitsPerKey = 16
)

// keyRuns are the frozen keys of one own key index.
type keyRuns struct {
	file *spillFile
	runs []*keyRun
	tomb map[int64]int // row id → len(runs) at its deletion
	seed maphash.Seed
	// lo and hi bound the keys of every run.
	lo, hi string
}

// keyRun is one sorted run: entries (uvarint key length, key, row id as
// 8 little-endian bytes) at [off, end) of the file.
type keyRun struct {
	off, end int64
	bloom    []bloomBlock
	sparse   []sparseKey // the first key of every block, ascending
	last     string      // the greatest key
	entries  int
}

type sparseKey struct {
	key string
	off int64
}

// maxKeyRuns is how many runs an index keeps: freezing one more merges
// them all into one, so that a lookup asks at most maxKeyRuns filters
// however many keys the transaction inserts.
const maxKeyRuns = 8

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
	if len(entries) == 0 {
		return nil
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if c := bytes.Compare(unsafeBytes(a.key), unsafeBytes(b.key)); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	w := newRunWriter(kr.file, kr.seed, len(entries))
	for _, e := range entries {
		if err := w.add(unsafeBytes(e.key), e.id); err != nil {
			return err
		}
	}
	run, err := w.finish()
	if err != nil {
		return err
	}
	kr.add(run)
	x.keys, x.more, x.byID = map[string]int64{}, nil, map[int64]string{}
	if len(kr.runs) > maxKeyRuns {
		return kr.merge(tempDir)
	}
	return nil
}

// add appends run to the runs.
func (kr *keyRuns) add(run *keyRun) {
	if first := run.sparse[0].key; len(kr.runs) == 0 {
		kr.lo, kr.hi = first, run.last
	} else {
		kr.lo, kr.hi = min(kr.lo, first), max(kr.hi, run.last)
	}
	kr.runs = append(kr.runs, run)
}

// merge replaces the runs by one holding their live entries, in a new
// file, and closes the old one. An entry is dead when its row's tombstone
// is later than its run; the merged run holds only live ones, which no
// tombstone recorded so far kills, so the tombstones are dropped.
func (kr *keyRuns) merge(tempDir string) error {
	f, err := newSpillFile(tempDir)
	if err != nil {
		return err
	}
	runs := kr.runs
	var n int
	readers := make([]*runReader, len(runs))
	for j, r := range runs {
		n += r.entries
		readers[j] = newRunReader(kr.file, r)
	}
	w := newRunWriter(f, kr.seed, n)
	fail := func(err error) error {
		f.close()
		return err
	}
	for _, rd := range readers {
		if err := rd.next(); err != nil {
			return fail(err)
		}
	}
	for {
		// The least entry of the runs; a few runs, so a linear scan.
		least := -1
		for j, rd := range readers {
			if rd.done {
				continue
			}
			if least < 0 {
				least = j
				continue
			}
			l := readers[least]
			if c := bytes.Compare(rd.key, l.key); c < 0 || c == 0 && rd.id < l.id {
				least = j
			}
		}
		if least < 0 {
			break
		}
		rd := readers[least]
		if t, dead := kr.tomb[rd.id]; !dead || t <= least {
			if err := w.add(rd.key, rd.id); err != nil {
				return fail(err)
			}
		}
		if err := rd.next(); err != nil {
			return fail(err)
		}
	}
	var run *keyRun
	if w.entries > 0 {
		if run, err = w.finish(); err != nil {
			return fail(err)
		}
	}
	kr.file.close()
	kr.file, kr.runs = f, nil
	clear(kr.tomb)
	if run != nil {
		kr.add(run)
	}
	return nil
}

// runWriter writes a run's entries, given in order, to the end of file.
type runWriter struct {
	file    *spillFile
	seed    maphash.Seed
	run     *keyRun
	buf     []byte
	last    []byte // the last key added
	entries int
}

// runWriteBytes is how much of a run runWriter buffers between writes.
const runWriteBytes = 1 << 20

// newRunWriter starts a run of at most n entries.
func newRunWriter(file *spillFile, seed maphash.Seed, n int) *runWriter {
	blocks := max(1, (n*bloomBitsPerKey+255)/256)
	return &runWriter{file: file, seed: seed, run: &keyRun{off: file.size, end: file.size, bloom: make([]bloomBlock, blocks)}}
}

func (w *runWriter) add(key []byte, id int64) error {
	if w.entries%runBlock == 0 {
		w.run.sparse = append(w.run.sparse, sparseKey{string(key), w.run.end + int64(len(w.buf))})
	}
	w.entries++
	w.last = append(w.last[:0], key...)
	w.buf = binary.AppendUvarint(w.buf, uint64(len(key)))
	w.buf = append(w.buf, key...)
	w.buf = binary.LittleEndian.AppendUint64(w.buf, uint64(id))
	w.run.bloomAdd(bloomHash(w.seed, key))
	if len(w.buf) >= runWriteBytes {
		return w.flush()
	}
	return nil
}

func (w *runWriter) flush() error {
	if _, err := w.file.f.WriteAt(w.buf, w.file.size); err != nil {
		return err
	}
	w.file.size += int64(len(w.buf))
	w.run.end = w.file.size
	w.buf = w.buf[:0]
	return nil
}

// finish writes the rest of the run and returns it; it has an entry.
func (w *runWriter) finish() (*keyRun, error) {
	if err := w.flush(); err != nil {
		return nil, err
	}
	w.run.entries, w.run.last = w.entries, string(w.last)
	return w.run, nil
}

// runReader reads a run's entries in order.
type runReader struct {
	r    *bufio.Reader
	key  []byte
	id   int64
	done bool
}

func newRunReader(file *spillFile, r *keyRun) *runReader {
	return &runReader{r: bufio.NewReaderSize(io.NewSectionReader(file.f, r.off, r.end-r.off), 64<<10)}
}

// next reads the next entry into key and id, or sets done.
func (rd *runReader) next() error {
	n, err := binary.ReadUvarint(rd.r)
	if err == io.EOF {
		rd.done = true
		return nil
	}
	if err != nil {
		return err
	}
	rd.key = slices.Grow(rd.key[:0], int(n))[:n]
	if _, err := io.ReadFull(rd.r, rd.key); err != nil {
		return err
	}
	var id [8]byte
	if _, err := io.ReadFull(rd.r, id[:]); err != nil {
		return err
	}
	rd.id = int64(binary.LittleEndian.Uint64(id[:]))
	return nil
}

// keyHash is a key's hash for the runs' bloom filters, made once per
// lookup (all runs of an index share the seed).
type keyHash uint64

func bloomHash(seed maphash.Seed, k []byte) keyHash { return keyHash(maphash.Bytes(seed, k)) }

// bloomBlock is one block of a split block bloom filter: a key sets one
// bit in each word, chosen by the low half of its hash times a salt; the
// high half picks the block.
type bloomBlock [8]uint32

var bloomSalts = [8]uint32{0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31}

// bloomMask is the bits h sets in its block.
func bloomMask(h keyHash) bloomBlock {
	var m bloomBlock
	for i, salt := range bloomSalts {
		m[i] = 1 << ((uint32(h) * salt) >> 27)
	}
	return m
}

// block is the block of r's filter that h falls in.
func (r *keyRun) block(h keyHash) *bloomBlock {
	return &r.bloom[(uint64(h)>>32)*uint64(len(r.bloom))>>32]
}

func (r *keyRun) bloomAdd(h keyHash) {
	b, m := r.block(h), bloomMask(h)
	for i := range b {
		b[i] |= m[i]
	}
}

func (r *keyRun) mayHold(h keyHash) bool {
	b, m := r.block(h), bloomMask(h)
	for i := range b {
		if b[i]&m[i] == 0 {
			return false
		}
	}
	return true
}

// holder returns a live row of the runs holding key k that free does
// not release, newest run first.
func (kr *keyRuns) holder(k []byte, free func(int64) bool) (int64, bool, error) {
	if len(kr.runs) == 0 || bytes.Compare(k, unsafeBytes(kr.lo)) < 0 || bytes.Compare(k, unsafeBytes(kr.hi)) > 0 {
		return 0, false, nil
	}
	h := bloomHash(kr.seed, k)
	for j := len(kr.runs) - 1; j >= 0; j-- {
		r := kr.runs[j]
		if !r.mayHold(h) {
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
