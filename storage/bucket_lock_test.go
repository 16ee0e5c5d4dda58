package storage

import (
	"strings"
	"testing"
)

// TestBucketLock: a store on an object store locks the bucket; another
// directory cannot open it while it is held, the same directory can
// after a crash, and anyone can once the holder closed.
func TestBucketLock(t *testing.T) {
	if testObjects == "" {
		t.Skip("the tables are in the data directory: its flock is the lock")
	}
	dir := t.TempDir()
	b := testBucket(t, dir)
	s := openTest(t, dir, Options{})
	other := t.TempDir()
	if _, err := Open(other, Options{Bucket: b}); err == nil || !strings.Contains(err.Error(), "in use by the pqdb server") {
		t.Fatalf("a second directory opened the bucket: %v", err)
	}
	s.crash()
	s = openTest(t, dir, Options{}) // the same directory takes its lock over
	if _, err := Open(other, Options{Bucket: b}); err == nil {
		t.Fatal("a second directory opened the bucket after a takeover")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(other, Options{Bucket: b})
	if err != nil {
		t.Fatalf("the bucket stayed locked after Close: %v", err)
	}
	s2.Close()
}
