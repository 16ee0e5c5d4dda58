package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// A segment's deleted rows are a deletion vector: a roaring bitmap of
// row POSITIONS (0-based index of the row in the segment file), kept in
// its own immutable file deletes/<segment-stem>-<manifest-version>.roaring
// beside the segment's directory. The file holds the bitmap as an Apache
// Iceberg "deletion-vector-v1" blob:
//
//	4 bytes  big-endian length of magic + vector
//	4 bytes  magic D1 D3 39 64
//	vector   roaring's portable 64-bit format: a little-endian uint64
//	         count of 32-bit bitmaps, then per bitmap its little-endian
//	         uint32 key (the high 32 bits) and the bitmap in roaring's
//	         portable 32-bit serialization
//	4 bytes  big-endian CRC-32 (IEEE) of magic + vector
//
// so it is what Iceberg readers take for a position delete vector, and a
// torn or corrupted file is detected by its checksum. pqdb positions fit
// 32 bits (a segment holds fewer than 2^32 rows), so the vector has at
// most one bitmap, of key 0.
//
// A deletion vector file is written and synced before the manifest that
// names it is published and is never changed after: a flush that deletes
// more rows of a segment writes a new file under the new manifest
// version. Manifests written before deletion vectors existed list a
// segment's deleted ROW IDS (the legacy "deleted" JSON list); they are
// mapped to positions, reading the segment's _row_id column, when the
// segment's deletions are first needed, and the next manifest published
// writes them as a deletion vector file.

const (
	deletesDir         = "deletes"
	deletionVectorExt  = ".roaring"
	maxCachedDeletions = 4096
)

var deletionVectorMagic = [4]byte{0xD1, 0xD3, 0x39, 0x64}

// deletionVectorName is the file, relative to the table directory, of a
// deletion vector of segment file published in manifest version.
func deletionVectorName(segmentFile string, version int64) string {
	stem := strings.TrimSuffix(path.Base(segmentFile), path.Ext(segmentFile))
	return path.Join(deletesDir, fmt.Sprintf("%s-%d-%s%s", stem, version, newFileTag(), deletionVectorExt))
}

// encodeDeletionVector serializes bm as an Iceberg deletion-vector-v1 blob.
func encodeDeletionVector(bm *roaring.Bitmap) ([]byte, error) {
	var body bytes.Buffer
	body.Write(deletionVectorMagic[:])
	var count [8]byte
	if !bm.IsEmpty() {
		binary.LittleEndian.PutUint64(count[:], 1)
	}
	body.Write(count[:])
	if !bm.IsEmpty() {
		var key [4]byte // positions < 2^32: the one bitmap's key is 0
		body.Write(key[:])
		if _, err := bm.WriteTo(&body); err != nil {
			return nil, err
		}
	}
	out := make([]byte, 4, body.Len()+8)
	binary.BigEndian.PutUint32(out, uint32(body.Len()))
	out = append(out, body.Bytes()...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(body.Bytes())), nil
}

// decodeDeletionVector parses an Iceberg deletion-vector-v1 blob.
func decodeDeletionVector(data []byte) (*roaring.Bitmap, error) {
	if len(data) < 4+4+8+4 {
		return nil, fmt.Errorf("deletion vector of %d bytes is truncated", len(data))
	}
	n := int(binary.BigEndian.Uint32(data))
	if n+8 != len(data) || n < 12 {
		return nil, fmt.Errorf("deletion vector length %d does not match its %d bytes", n, len(data))
	}
	body := data[4 : 4+n]
	if crc32.ChecksumIEEE(body) != binary.BigEndian.Uint32(data[4+n:]) {
		return nil, fmt.Errorf("deletion vector checksum mismatch")
	}
	if !bytes.Equal(body[:4], deletionVectorMagic[:]) {
		return nil, fmt.Errorf("deletion vector has a bad magic number")
	}
	bm := roaring.New()
	count := binary.LittleEndian.Uint64(body[4:12])
	rest := body[12:]
	switch count {
	case 0:
		if len(rest) != 0 {
			return nil, fmt.Errorf("deletion vector has %d trailing bytes", len(rest))
		}
	case 1:
		if len(rest) < 4 || binary.LittleEndian.Uint32(rest) != 0 {
			return nil, fmt.Errorf("deletion vector holds positions beyond 2^32")
		}
		read, err := bm.ReadFrom(bytes.NewReader(rest[4:]))
		if err != nil {
			return nil, fmt.Errorf("deletion vector: %w", err)
		}
		if int(read) != len(rest)-4 {
			return nil, fmt.Errorf("deletion vector has %d trailing bytes", len(rest)-4-int(read))
		}
	default:
		return nil, fmt.Errorf("deletion vector holds positions beyond 2^32")
	}
	return bm, nil
}

// writeDeletionVector writes bm as the deletion vector of seg under
// manifest version as an object of the table whose objects are under
// prefix, durably, and returns its file name relative to prefix.
func (o *objectStore) writeDeletionVector(prefix string, seg *Segment, version int64, bm *roaring.Bitmap) (string, error) {
	bm.RunOptimize()
	data, err := encodeDeletionVector(bm)
	if err != nil {
		return "", err
	}
	name := deletionVectorName(seg.File, version)
	if err := o.put(tableFile(prefix, name), data); err != nil {
		return "", err
	}
	return name, nil
}

// withDeletionVector returns a copy of seg whose deleted positions are bm,
// written to a new file for manifest version.
func (o *objectStore) withDeletionVector(prefix string, seg *Segment, version int64, bm *roaring.Bitmap) (*Segment, error) {
	name, err := o.writeDeletionVector(prefix, seg, version, bm)
	if err != nil {
		return nil, fmt.Errorf("write deletion vector of segment %s: %w", seg.File, err)
	}
	out := *seg
	out.DeletesFile, out.DeletedRows, out.LegacyDeleted = name, int64(bm.GetCardinality()), nil
	out.legacy = nil
	return &out, nil
}

// deletionVectors caches the parsed deletion vectors by path. The files
// are immutable, so a cached bitmap is never stale; it is shared by every
// scan and must not be modified. The cache is bounded: when full, it is
// emptied (the next scans read the few files they need again).
type deletionVectors struct {
	mu   sync.Mutex
	bits map[string]*roaring.Bitmap
}

func (c *deletionVectors) load(o *objectStore, key string) (*roaring.Bitmap, error) {
	c.mu.Lock()
	bm := c.bits[key]
	c.mu.Unlock()
	if bm != nil {
		return bm, nil
	}
	data, err := o.read(key)
	if err != nil {
		return nil, err
	}
	bm, err = decodeDeletionVector(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	c.mu.Lock()
	if c.bits == nil || len(c.bits) >= maxCachedDeletions {
		c.bits = map[string]*roaring.Bitmap{}
	}
	c.bits[key] = bm
	c.mu.Unlock()
	return bm, nil
}

var emptyDeletionVector = roaring.New()

// deletedPositions returns the positions of seg's deleted rows (shared:
// never modify it). seg belongs to the table whose objects are under
// prefix.
func (s *Store) deletedPositions(prefix string, seg *Segment) (*roaring.Bitmap, error) {
	switch {
	case seg.DeletesFile != "":
		return s.deletions.load(s.objects, tableFile(prefix, seg.DeletesFile))
	case len(seg.LegacyDeleted) > 0:
		return seg.legacyPositions(s, prefix)
	}
	return emptyDeletionVector, nil
}

// legacyDeletions holds a legacy segment's row-id list mapped to
// positions, computed once per Segment value (a failed attempt is
// retried by the next reader).
type legacyDeletions struct {
	mu   sync.Mutex
	bits *roaring.Bitmap
}

// legacyPositions maps the segment's legacy list of deleted row ids to
// their positions in the segment, reading its _row_id column once.
func (seg *Segment) legacyPositions(s *Store, prefix string) (*roaring.Bitmap, error) {
	l := seg.legacy
	if l == nil {
		l = new(legacyDeletions) // a Segment not from readManifest: no cache
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bits != nil {
		return l.bits, nil
	}
	ids, err := segmentRowIDs(s, prefix, seg)
	if err != nil {
		return nil, err
	}
	bm := roaring.New()
	for pos, id := range ids {
		if _, found := slices.BinarySearch(seg.LegacyDeleted, id); found {
			bm.Add(uint32(pos))
		}
	}
	l.bits = bm
	return bm, nil
}

// segmentRowIDs reads the whole _row_id column of seg, in position order.
func segmentRowIDs(s *Store, prefix string, seg *Segment) ([]int64, error) {
	sf, err := s.files.open(tableFile(prefix, seg.File))
	if err != nil {
		return nil, err
	}
	defer sf.release()
	leaf, ok := sf.leaves[rowIDColumn]
	if !ok {
		return nil, fmt.Errorf("segment %s has no %s column", seg.File, rowIDColumn)
	}
	if sf.pf.NumRows() >= math.MaxUint32 {
		return nil, fmt.Errorf("segment %s has too many rows for a deletion vector", seg.File)
	}
	ids := make([]int64, 0, sf.pf.NumRows())
	for _, rg := range sf.pf.RowGroups() {
		part, err := readRowIDs(rg, leaf)
		if err != nil {
			return nil, err
		}
		ids = append(ids, part...)
	}
	return ids, nil
}

// allDeleted reports whether deleted holds every position of [lo, hi).
func allDeleted(deleted *roaring.Bitmap, lo, hi uint64) bool {
	if hi-lo == 1 {
		return deleted.Contains(uint32(lo))
	}
	below := uint64(0)
	if lo > 0 {
		below = deleted.Rank(uint32(lo - 1))
	}
	return deleted.Rank(uint32(hi-1))-below == hi-lo
}

// liveSelection returns the positions within [start, start+n) of the
// segment rows that deleted does not hold, relative to start, or nil when
// none is deleted. It walks the bitmap's containers over the range, not
// the rows one lookup at a time.
func liveSelection(deleted *roaring.Bitmap, start int64, n int) []int32 {
	if deleted.IsEmpty() || !deleted.IntersectsWithInterval(uint64(start), uint64(start)+uint64(n)) {
		return nil
	}
	keep := make([]int32, 0, n)
	it := deleted.Iterator()
	it.AdvanceIfNeeded(uint32(start))
	next := 0
	for it.HasNext() {
		p := int64(it.Next()) - start
		if p >= int64(n) {
			break
		}
		for i := next; i < int(p); i++ {
			keep = append(keep, int32(i))
		}
		next = int(p) + 1
	}
	for i := next; i < n; i++ {
		keep = append(keep, int32(i))
	}
	return keep
}
