package storage

import (
	"bufio"
	"encoding/binary"
	"errors"
	"hash/maphash"
	"io"
	"os"
	"slices"
	"sync/atomic"
)

// Duplicate checks beyond memory.
//
// Creating a unique index (ADD PRIMARY KEY, CREATE UNIQUE INDEX, a UNIQUE
// constraint added to a table that has rows) reads every key of the table
// once and must find any key two live rows share. The keys go into a map
// until it holds dupCheckKeys of them (some 80 MB: a Go map costs about
// 80 bytes a short key). Past that, every key, those of the map first, is
// appended to one of dupCheckParts unlinked files chosen by its hash, and
// each file is then read back alone into a map of its own; a file still
// holding more than dupCheckKeys keys is split the same way with another
// seed. So the check holds at most about dupCheckKeys keys at once,
// whatever the table's size, and writes each key once more per split.
//
// A key found twice in a file is known only by its encoded bytes; the
// caller reads the table once more to name the rows' key in the error.

// dupCheckKeys is how many keys a duplicate check keeps in one map (tests
// lower it).
var dupCheckKeys = 1 << 20

// dupCheckParts is how many files keys beyond memory are split into.
const dupCheckParts = 16

// dupSet is the set of keys a duplicate check has seen.
type dupSet struct {
	seen    map[string]struct{} // while in memory
	parts   []*keyPart          // once beyond memory
	seed    maphash.Seed
	tempDir string
	// depth counts the splits above this set. Past maxDupSplits the keys
	// stay in the map, however many: keys that share their hash under
	// so many seeds are one key, whose second copy ends the check.
	depth int
}

// maxDupSplits bounds how often keys are split again.
const maxDupSplits = 4

// keyPart is one file of keys, each as uvarint length and bytes.
type keyPart struct {
	f    *os.File
	w    *bufio.Writer
	keys int
}

func newDupSet(tempDir string) *dupSet {
	return &dupSet{seen: map[string]struct{}{}, seed: maphash.MakeSeed(), tempDir: tempDir}
}

// add records key k and reports whether it was seen before. Beyond
// memory it cannot tell: finish does.
func (d *dupSet) add(k []byte) (bool, error) {
	if d.parts != nil {
		return false, d.spill(k)
	}
	if _, dup := d.seen[string(k)]; dup {
		return true, nil
	}
	d.seen[string(k)] = struct{}{}
	if len(d.seen) <= dupCheckKeys || d.depth >= maxDupSplits {
		return false, nil
	}
	// Beyond memory: split what the map holds, and the keys to come.
	if err := d.openParts(); err != nil {
		return false, err
	}
	for key := range d.seen {
		if err := d.spill([]byte(key)); err != nil {
			return false, err
		}
	}
	d.seen = nil
	return false, nil
}

// dupSplits counts the splits of keys into files, for tests.
var dupSplits atomic.Int64

func (d *dupSet) openParts() error {
	dupSplits.Add(1)
	d.parts = make([]*keyPart, dupCheckParts)
	for i := range d.parts {
		f, err := os.CreateTemp(d.tempDir, "pqdb-keys-*")
		if err != nil {
			return err
		}
		d.parts[i] = &keyPart{f: f, w: bufio.NewWriterSize(f, 64<<10)}
		if err := os.Remove(f.Name()); err != nil {
			return err
		}
	}
	return nil
}

func (d *dupSet) spill(k []byte) error {
	p := d.parts[maphash.Bytes(d.seed, k)%dupCheckParts]
	p.keys++
	var n [binary.MaxVarintLen64]byte
	p.w.Write(n[:binary.PutUvarint(n[:], uint64(len(k)))])
	_, err := p.w.Write(k)
	return err
}

// finish checks the keys split into files, and returns one that two rows
// share (nil: none).
func (d *dupSet) finish() ([]byte, error) {
	parts := d.parts
	d.parts = nil
	defer closeParts(parts)
	for _, p := range parts {
		if dup, err := d.checkPart(p); dup != nil || err != nil {
			return dup, err
		}
	}
	return nil, nil
}

// checkPart reads part p's keys into a map, or splits them again when
// there are too many for one.
func (d *dupSet) checkPart(p *keyPart) ([]byte, error) {
	if err := p.w.Flush(); err != nil {
		return nil, err
	}
	if _, err := p.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	inner := newDupSet(d.tempDir)
	inner.depth = d.depth + 1
	defer inner.close()
	if p.keys <= dupCheckKeys || inner.depth >= maxDupSplits {
		inner.seen = make(map[string]struct{}, min(p.keys, dupCheckKeys))
	} else if err := inner.openParts(); err != nil {
		return nil, err
	}
	r := bufio.NewReaderSize(p.f, 64<<10)
	var k []byte
	for range p.keys {
		n, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, err
		}
		k = slices.Grow(k[:0], int(n))[:n]
		if _, err := io.ReadFull(r, k); err != nil {
			return nil, err
		}
		dup, err := inner.add(k)
		if err != nil {
			return nil, err
		}
		if dup {
			return k, nil
		}
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return nil, errors.New("a key file holds more than its keys")
	}
	return inner.finish()
}

func (d *dupSet) close() { closeParts(d.parts) }

func closeParts(parts []*keyPart) {
	for _, p := range parts {
		if p != nil {
			p.f.Close()
		}
	}
}
