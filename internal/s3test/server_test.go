package s3test

import (
	"context"
	"net/url"
	"testing"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/s3blob" // registers s3:// with blob.OpenBucket
)

// TestURL: the URL NewBucket returns opens with blob.OpenBucket once
// SetEnv has put the credentials in the environment, as pqdb will open a
// configured s3:// data location.
func TestURL(t *testing.T) {
	s := Start(t)
	u := s.NewBucket(t, "pqdb-url")
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	if parsed.Scheme != "s3" || parsed.Host != "pqdb-url" || parsed.Query().Get("endpoint") != s.Endpoint {
		t.Fatalf("URL %s", u)
	}
	s.SetEnv(t)
	ctx := context.Background()
	b, err := blob.OpenBucket(ctx, u)
	if err != nil {
		t.Fatalf("opening %s: %v", u, err)
	}
	defer b.Close()
	if err := b.WriteAll(ctx, "k", []byte("v"), nil); err != nil {
		t.Fatalf("write through %s: %v\n%s", u, err, s.Log())
	}
	got, err := b.ReadAll(ctx, "k")
	if err != nil || string(got) != "v" {
		t.Fatalf("read through %s: %q, %v", u, got, err)
	}
}

// TestServersAreSeparate: each Start is its own server over its own
// directory, so tests cannot see each other's buckets.
func TestServersAreSeparate(t *testing.T) {
	a, b := Start(t), Start(t)
	if a.Endpoint == b.Endpoint || a.Dir == b.Dir {
		t.Fatalf("two servers share %s / %s", a.Endpoint, a.Dir)
	}
	ctx := context.Background()
	ba := a.OpenBucket(t, "shared-name")
	bb := b.OpenBucket(t, "shared-name")
	if err := ba.WriteAll(ctx, "k", []byte("a"), nil); err != nil {
		t.Fatal(err)
	}
	if ok, err := bb.Exists(ctx, "k"); ok || err != nil {
		t.Fatalf("the second server sees the first's object: %v, %v", ok, err)
	}
}
