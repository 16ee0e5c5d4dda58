package bucket

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gocloud.dev/blob"

	"github.com/pqdb/pqdb/internal/s3test"
)

// backends are the buckets every test runs against: a local directory,
// memory, and a real S3 server (versitygw, started by internal/s3test;
// without it the s3 case skips, unless $CI is set).
func backends(t *testing.T) map[string]func(t *testing.T) *blob.Bucket {
	return map[string]func(t *testing.T) *blob.Bucket{
		"local": func(t *testing.T) *blob.Bucket { return open(t, t.TempDir()) },
		"mem":   func(t *testing.T) *blob.Bucket { return open(t, "mem://") },
		"s3": func(t *testing.T) *blob.Bucket {
			s := s3test.Start(t)
			s.SetEnv(t)
			// A path after the bucket is the keys' prefix.
			u, err := url.Parse(s.NewBucket(t, "pqdb"))
			if err != nil {
				t.Fatal(err)
			}
			u.Path = "/data/prefix"
			return open(t, u.String())
		},
	}
}

func open(t *testing.T, location string) *blob.Bucket {
	t.Helper()
	b, err := Open(context.Background(), location)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// listKeys lists b's keys under prefix, separated by spaces.
func listKeys(t *testing.T, b *blob.Bucket, prefix, delimiter string) string {
	t.Helper()
	var keys []string
	it := b.List(&blob.ListOptions{Prefix: prefix, Delimiter: delimiter})
	for {
		o, err := it.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, o.Key)
	}
	return strings.Join(keys, " ")
}

// TestObjects: what storage needs of a bucket, on every backend: write,
// read whole and by range, attributes, listing by prefix with and
// without the "/" delimiter, delete, and the errors of a missing key.
func TestObjects(t *testing.T) {
	ctx := context.Background()
	for name, newBucket := range backends(t) {
		t.Run(name, func(t *testing.T) {
			b := newBucket(t)
			data := bytes.Repeat([]byte("0123456789"), 1000)
			for _, key := range []string{"s/1/data/a.parquet", "s/1/data/b.parquet", "s/1/_manifest/v1.json", "s/2/data/a.parquet", "top"} {
				if err := b.WriteAll(ctx, key, data, nil); err != nil {
					t.Fatal(err)
				}
			}
			got, err := b.ReadAll(ctx, "s/1/data/a.parquet")
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("ReadAll: %d bytes, %v", len(got), err)
			}
			r, err := b.NewRangeReader(ctx, "s/1/data/a.parquet", 95, 10, nil)
			if err != nil {
				t.Fatal(err)
			}
			part, err := io.ReadAll(r)
			r.Close()
			if err != nil || string(part) != "5678901234" {
				t.Fatalf("range read: %q, %v", part, err)
			}
			attrs, err := b.Attributes(ctx, "s/1/data/a.parquet")
			if err != nil || attrs.Size != int64(len(data)) {
				t.Fatalf("attributes: %+v, %v", attrs, err)
			}

			for _, c := range []struct{ prefix, delimiter, want string }{
				{"", "/", "s/ top"},
				{"s/", "/", "s/1/ s/2/"},
				{"s/1/", "/", "s/1/_manifest/ s/1/data/"},
				{"s/1/data/", "/", "s/1/data/a.parquet s/1/data/b.parquet"},
				{"s/1/data/b", "/", "s/1/data/b.parquet"},
				{"s/", "", "s/1/_manifest/v1.json s/1/data/a.parquet s/1/data/b.parquet s/2/data/a.parquet"},
				{"nothing/", "/", ""},
			} {
				if got := listKeys(t, b, c.prefix, c.delimiter); got != c.want {
					t.Errorf("list %q %q: %q, want %q", c.prefix, c.delimiter, got, c.want)
				}
			}

			if err := b.Delete(ctx, "s/1/data/a.parquet"); err != nil {
				t.Fatal(err)
			}
			if _, err := b.ReadAll(ctx, "s/1/data/a.parquet"); !IsNotFound(err) {
				t.Fatalf("read after delete: %v", err)
			}
			if _, err := b.Attributes(ctx, "missing"); !IsNotFound(err) {
				t.Fatalf("attributes of a missing key: %v", err)
			}
			if err := b.Delete(ctx, "missing"); !IsNotFound(err) {
				t.Fatalf("delete of a missing key: %v", err)
			}
		})
	}
}

// TestCreateIfAbsent: a create-if-absent of an existing key fails with a
// precondition error and leaves the object as it was; of many racing
// for one key, exactly one wins, on every backend.
func TestCreateIfAbsent(t *testing.T) {
	ctx := context.Background()
	for name, newBucket := range backends(t) {
		t.Run(name, func(t *testing.T) {
			b := newBucket(t)
			if err := CreateIfAbsent(ctx, b, "m/v1.json", []byte("first")); err != nil {
				t.Fatal(err)
			}
			err := CreateIfAbsent(ctx, b, "m/v1.json", []byte("second"))
			if !IsPrecondition(err) {
				t.Fatalf("second create: %v, want a precondition failure", err)
			}
			if got, _ := b.ReadAll(ctx, "m/v1.json"); string(got) != "first" {
				t.Fatalf("after the failed create: %q", got)
			}
			const racers = 16
			var wg sync.WaitGroup
			errs := make([]error, racers)
			for i := range racers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = CreateIfAbsent(ctx, b, "m/v2.json", []byte{byte(i)})
				}()
			}
			wg.Wait()
			winners := 0
			for i, err := range errs {
				switch {
				case err == nil:
					winners++
					if got, _ := b.ReadAll(ctx, "m/v2.json"); !bytes.Equal(got, []byte{byte(i)}) {
						t.Fatalf("the winner wrote %d, the object holds %v", i, got)
					}
				case !IsPrecondition(err):
					t.Fatalf("racer %d: %v", i, err)
				}
			}
			if winners != 1 {
				t.Fatalf("%d racers created the key", winners)
			}
		})
	}
}

// TestLocalDir: a local bucket's files are the keys' paths under its
// root (As gives the root), two buckets over one directory (as two
// servers would open it) exclude each other's creates, a write whose
// context ended publishes nothing, unfinished writes are not listed, and
// keys that would leave the root are refused.
func TestLocalDir(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, b := open(t, dir), open(t, "file://"+dir)
	var root LocalRoot
	if !a.As(&root) || root.Dir != dir {
		t.Fatalf("As(LocalRoot): %q, want %q", root.Dir, dir)
	}
	if err := CreateIfAbsent(ctx, a, "s/lease", []byte("a")); err != nil {
		t.Fatal(err)
	}
	if err := CreateIfAbsent(ctx, b, "s/lease", []byte("b")); !IsPrecondition(err) {
		t.Fatalf("the other bucket's create: %v", err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "s", "lease")); err != nil || string(got) != "a" {
		t.Fatalf("the key's file: %q, %v", got, err)
	}

	cctx, cancel := context.WithCancel(ctx)
	w, err := a.NewWriter(cctx, "s/cancelled", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("never"))
	unfinished, err := a.NewWriter(ctx, "s/unfinished", nil)
	if err != nil {
		t.Fatal(err)
	}
	unfinished.Write([]byte("not yet"))
	cancel()
	if err := w.Close(); !errors.Is(err, context.Canceled) {
		t.Fatalf("close after cancel: %v", err)
	}
	if ok, _ := a.Exists(ctx, "s/cancelled"); ok {
		t.Fatal("a cancelled write was published")
	}
	if keys := listKeys(t, a, "s/", ""); keys != "s/lease" {
		t.Fatalf("listing during a write: %q", keys)
	}
	if err := unfinished.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "s"))
	if len(entries) != 2 {
		t.Fatalf("temporary files left: %v", entries)
	}

	for _, key := range []string{"../outside", "s/../../x", "/abs", "s//x", "s/.tmp-x", "s/./x"} {
		if err := a.WriteAll(ctx, key, []byte("x"), nil); err == nil {
			t.Errorf("key %q was written", key)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "outside")); err == nil {
		t.Fatal("a key escaped the root")
	}
}

// TestOpenLocations: the forms --data-dir takes.
func TestOpenLocations(t *testing.T) {
	dir := t.TempDir()
	for _, loc := range []string{dir, "file://" + dir, "mem://", "s3://bucket/a/b?endpoint=http://127.0.0.1:1&region=us-east-1&use_path_style=true"} {
		b, err := Open(context.Background(), loc)
		if err != nil {
			t.Errorf("Open(%q): %v", loc, err)
			continue
		}
		b.Close()
	}
	for _, loc := range []string{"file://host/x", "s3://bucket/a?prefix=b/", "nosuch://x"} {
		if b, err := Open(context.Background(), loc); err == nil {
			b.Close()
			t.Errorf("Open(%q) succeeded", loc)
		}
	}
}

// TestS3Prefix: the path after an S3 bucket's name prefixes every key.
func TestS3Prefix(t *testing.T) {
	ctx := context.Background()
	s := s3test.Start(t)
	s.SetEnv(t)
	raw := s.OpenBucket(t, "prefixed")
	if err := open(t, s.URL("prefixed/tables/one")).WriteAll(ctx, "s/k", []byte("v"), nil); err != nil {
		t.Fatal(err)
	}
	if got, err := raw.ReadAll(ctx, "tables/one/s/k"); err != nil || string(got) != "v" {
		t.Fatalf("the object under the prefix: %q, %v", got, err)
	}
}
