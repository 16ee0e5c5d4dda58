package iceberg

import (
	"fmt"
	"hash/crc64"
	"path"
	"strconv"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// The Iceberg objects of a table live under <location>/metadata/, a
// directory pqdb's own storage never uses. Every name but the version
// hint is written once: metadata files are numbered in the order they
// are committed, and a version's manifest list and manifests are named
// by the version, so a retried publish of a version that did not finish
// writes the same objects again.

func metadataDir(location string) string { return location + "/metadata/" }

// metadataKey is the n-th metadata file.
func metadataKey(location string, n int64) string {
	return fmt.Sprintf("%sv%d.metadata.json", metadataDir(location), n)
}

// metadataVersion is the n of a key metadataKey made, or false.
func metadataVersion(location, key string) (int64, bool) {
	s, ok := strings.CutPrefix(key, metadataDir(location)+"v")
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, ".metadata.json")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// versionHintKey holds the number of the newest metadata file, for
// readers that find a table by its directory (Hadoop-style tables,
// DuckDB's iceberg_scan).
func versionHintKey(location string) string { return metadataDir(location) + "version-hint.text" }

func manifestListKey(location string, n int64) string {
	return fmt.Sprintf("%ssnap-%d.avro", metadataDir(location), n)
}

func manifestKey(location string, n int64, content string) string {
	return fmt.Sprintf("%s%d-%s.avro", metadataDir(location), n, content)
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// deleteFileKey names the position delete file of dataKey's deleted
// positions by its content: the same deletions give the same name, so a
// snapshot keeps the previous one's file for a segment whose deletions
// did not change, and one that changed gets a new file.
func deleteFileKey(location, dataKey string, deleted *roaring.Bitmap) (string, error) {
	b, err := deleted.ToBytes()
	if err != nil {
		return "", err
	}
	h := crc64.Update(crc64.Checksum([]byte(dataKey), crcTable), crcTable, b)
	stem := strings.TrimSuffix(path.Base(dataKey), path.Ext(dataKey))
	return fmt.Sprintf("%sdeletes/%s-%d-%016x.parquet", metadataDir(location), stem, deleted.GetCardinality(), h), nil
}

// uri is key as other engines address it: below root, the bucket's URI.
func uri(root, key string) string { return root + "/" + key }

// keyOf is the key of a URI uri made, or false for one outside root.
func keyOf(root, u string) (string, bool) {
	return strings.CutPrefix(u, root+"/")
}
