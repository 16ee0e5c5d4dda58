package s3test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"gocloud.dev/blob"
)

// TestPosixBackendFiles: versitygw's posix backend keeps bucket "b", key
// "k/x" as the file Dir/b/k/x, and the object's ETag in an extended
// attribute of that file. A file put into the directory by other means
// has no ETag attribute, and its conditional checks treat it as absent:
// If-None-Match: * overwrites it. pqdb writes only through the gateway,
// so this matters only to a test that seeds files on disk.
func TestPosixBackendFiles(t *testing.T) {
	s := Start(t)
	b := s.OpenBucket(t, "pqdb")
	ctx := context.Background()
	mustPut(t, b, "ns/t/_manifest/v1.json", []byte("through the gateway"), nil)
	onDisk, err := os.ReadFile(filepath.Join(s.Dir, "pqdb", "ns", "t", "_manifest", "v1.json"))
	if err != nil || string(onDisk) != "through the gateway" {
		t.Fatalf("the object's file: %q, %v", onDisk, err)
	}

	seeded := filepath.Join(s.Dir, "pqdb", "seeded")
	if err := os.WriteFile(seeded, []byte("put on disk"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantContent(t, b, "seeded", []byte("put on disk"))
	mustPut(t, b, "seeded", []byte("created over it"), &blob.WriterOptions{IfNotExist: true})
	wantContent(t, b, "seeded", []byte("created over it"))
	if _, cerr := put(ctx, b, "seeded", []byte("again"), &blob.WriterOptions{IfNotExist: true}); cerr == nil {
		t.Fatal("a second create succeeded once the gateway had written the key")
	}
}
