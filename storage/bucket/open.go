package bucket

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/smithy-go"
	"gocloud.dev/blob"
	"gocloud.dev/blob/memblob"
	_ "gocloud.dev/blob/s3blob" // s3:// URLs
	"gocloud.dev/gcerrors"
)

// Open opens the bucket that location names: a local directory (a path,
// or file:///path), mem:// (a new empty bucket in memory), or any URL
// gocloud.dev/blob opens (s3://bucket/prefix?endpoint=...&region=...
// &use_path_style=true). A path after an object store's bucket name is
// the prefix of every key, as gocloud's prefix parameter would make it.
func Open(ctx context.Context, location string) (*blob.Bucket, error) {
	if !strings.Contains(location, "://") {
		return OpenDir(location)
	}
	u, err := url.Parse(location)
	if err != nil {
		return nil, fmt.Errorf("data location %q: %w", location, err)
	}
	switch u.Scheme {
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("data location %q: a file URL names a local path (file:///path)", location)
		}
		return OpenDir(u.Path)
	case "mem":
		return memblob.OpenBucket(nil), nil
	}
	if p := strings.Trim(u.Path, "/"); p != "" {
		q := u.Query()
		if q.Has("prefix") {
			return nil, fmt.Errorf("data location %q: give the prefix as the path or as prefix=, not both", location)
		}
		q.Set("prefix", p+"/")
		u.Path, u.RawQuery = "", q.Encode()
	}
	if u.Scheme == "s3" {
		// The AWS SDK validates a whole object's checksum when the
		// server sends one, and otherwise writes a DEBUG line to stderr
		// for every such read, which S3-compatible servers that send
		// none would fill the server's log with. Validating only when
		// an operation requires it is quiet; a URL can still ask for
		// when_supported.
		q := u.Query()
		if !q.Has("response_checksum_validation") {
			q.Set("response_checksum_validation", "when_required")
			u.RawQuery = q.Encode()
		}
	}
	b, err := blob.OpenBucket(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("data location %q: %w", location, err)
	}
	return b, nil
}

// URI is the URI at which other engines reach the root of the bucket
// location names: file:///abs/path for a local directory, the URL
// without its query for an object store (s3://bucket/prefix).
func URI(location string) string {
	if !strings.Contains(location, "://") {
		if abs, err := filepath.Abs(location); err == nil {
			location = abs
		}
		return "file://" + location
	}
	base, _, _ := strings.Cut(location, "?")
	return strings.TrimSuffix(base, "/")
}

// IsLocal reports whether location names a local directory (a path or
// a file:// URL) rather than an object store.
func IsLocal(location string) bool {
	return !strings.Contains(location, "://") || strings.HasPrefix(location, "file://")
}

// IsPrecondition reports whether err is a conditional write's failure:
// a create-if-absent found the key.
func IsPrecondition(err error) bool {
	return gcerrors.Code(err) == gcerrors.FailedPrecondition
}

// IsNotFound reports whether err says the key does not exist.
func IsNotFound(err error) bool {
	return gcerrors.Code(err) == gcerrors.NotFound
}

// CreateIfAbsent writes data as key unless key exists: then it fails
// with an error IsPrecondition recognizes, and the object is unchanged.
//
// AWS S3 answers a conditional write that races another one on the same
// key, still in progress, with 409 ConditionalRequestConflict (gocloud
// calls it Unknown): the write is tried again, after a short wait, and
// then finds the key (412) or, if the other write failed, writes it.
func CreateIfAbsent(ctx context.Context, b *blob.Bucket, key string, data []byte) error {
	wait := 10 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := b.WriteAll(ctx, key, data, &blob.WriterOptions{IfNotExist: true, ContentType: "application/octet-stream"})
		if attempt == conflictAttempts || !isWriteConflict(b, err) {
			return err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
		wait *= 2
	}
}

// conflictAttempts bounds CreateIfAbsent's attempts of one write: the
// waits between them add up to 150 ms.
const conflictAttempts = 5

// isWriteConflict reports whether err is S3's 409
// ConditionalRequestConflict.
func isWriteConflict(b *blob.Bucket, err error) bool {
	var api smithy.APIError
	return err != nil && b.ErrorAs(err, &api) && api.ErrorCode() == "ConditionalRequestConflict"
}
