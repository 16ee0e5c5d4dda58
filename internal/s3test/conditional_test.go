package s3test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	"gocloud.dev/blob/memblob"
	"gocloud.dev/gcerrors"
)

// A store is one of the blob drivers pqdb writes through, with what it can
// do. The tests run every case on every store and check these flags, so
// the table below is the record of how the stores differ.
type store struct {
	name string
	// open returns a new, empty bucket, closed when the test ends.
	open func(t *testing.T) *blob.Bucket
	// ifMatch: a write can be made conditional on the object's current
	// ETag (If-Match), and so can a delete. Only s3blob exposes the
	// request to set it on.
	ifMatch bool
	// multipart: large writes go up as S3 multipart uploads, whose ETag
	// is "<md5 of the part md5s>-<part count>".
	multipart bool
	// contentETag: the ETag of a single-part object is the MD5 of its
	// bytes, so rewriting the same bytes gives the same ETag. fileblob and
	// memblob derive it from the modification time and size instead.
	contentETag bool
	// fileAndDir: a key and a longer key under it as a directory ("a" and
	// "a/b") can exist together. Stores that map keys to paths cannot:
	// fileblob, and versitygw's posix backend (AWS S3 itself can).
	fileAndDir bool
	// emptyRangeAtEnd: a range read starting at the end of the object
	// reads nothing. S3 answers 416 InvalidRange instead, which s3blob
	// reports as gcerrors.Unknown.
	emptyRangeAtEnd bool
}

func stores() []store {
	return []store{
		{
			name: "s3",
			open: func(t *testing.T) *blob.Bucket {
				return Start(t).OpenBucket(t, "pqdb")
			},
			ifMatch:     true,
			multipart:   true,
			contentETag: true,
		},
		{
			name: "file",
			open: func(t *testing.T) *blob.Bucket {
				// NoTempDir: write temporary files beside their target
				// rather than in os.TempDir, so the rename that publishes
				// them stays on one filesystem.
				b, err := fileblob.OpenBucket(t.TempDir(), &fileblob.Options{NoTempDir: true})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { b.Close() })
				return b
			},
			emptyRangeAtEnd: true,
		},
		{
			name: "mem",
			open: func(t *testing.T) *blob.Bucket {
				b := memblob.OpenBucket(nil)
				t.Cleanup(func() { b.Close() })
				return b
			},
			fileAndDir:      true,
			emptyRangeAtEnd: true,
		},
	}
}

// eachStore runs f as a subtest per store.
func eachStore(t *testing.T, f func(t *testing.T, st store, b *blob.Bucket)) {
	for _, st := range stores() {
		t.Run(st.name, func(t *testing.T) {
			f(t, st, st.open(t))
		})
	}
}

// errNoIfMatch is what ifMatch's hook returns on a store that has no
// If-Match.
var errNoIfMatch = errors.New("this blob driver cannot make a write conditional on the ETag")

// ifMatch is the writer option that makes a write replace the object only
// if its ETag is still etag. gocloud.dev/blob has no portable option for
// it: on s3blob, BeforeWrite exposes the transfer manager's
// *transfermanager.UploadObjectInput, whose IfMatch goes on the PutObject
// or, for a multipart upload, on the CompleteMultipartUpload.
func ifMatch(etag string) *blob.WriterOptions {
	return &blob.WriterOptions{BeforeWrite: func(as func(any) bool) error {
		var in *transfermanager.UploadObjectInput
		if !as(&in) {
			return errNoIfMatch
		}
		in.IfMatch = aws.String(etag)
		return nil
	}}
}

// deleteIfMatch is the delete option that deletes the object only if its
// ETag is still etag (s3blob only: BeforeDelete exposes *s3.DeleteObjectInput).
func deleteIfMatch(etag string) *blob.DeleteOptions {
	return &blob.DeleteOptions{BeforeDelete: func(as func(any) bool) error {
		var in *s3.DeleteObjectInput
		if !as(&in) {
			return errNoIfMatch
		}
		in.IfMatch = aws.String(etag)
		return nil
	}}
}

// put writes data to key and returns the error of NewWriter or Write, and
// separately that of Close, where the stores report a refused condition.
func put(ctx context.Context, b *blob.Bucket, key string, data []byte, opts *blob.WriterOptions) (writeErr, closeErr error) {
	w, err := b.NewWriter(ctx, key, opts)
	if err != nil {
		return err, nil
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		return err, nil
	}
	return nil, w.Close()
}

// mustPut writes data to key and fails the test on any error.
func mustPut(t *testing.T, b *blob.Bucket, key string, data []byte, opts *blob.WriterOptions) {
	t.Helper()
	if werr, cerr := put(context.Background(), b, key, data, opts); werr != nil || cerr != nil {
		t.Fatalf("writing %s: write: %v, close: %v", key, werr, cerr)
	}
}

// wantContent fails the test unless key holds want.
func wantContent(t *testing.T, b *blob.Bucket, key string, want []byte) {
	t.Helper()
	got, err := b.ReadAll(context.Background(), key)
	if err != nil {
		t.Fatalf("reading %s: %v", key, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s holds %d bytes %.40q..., want %d bytes %.40q...", key, len(got), got, len(want), want)
	}
}

// wantCode fails the test unless err is an error gcerrors classifies as code.
func wantCode(t *testing.T, what string, err error, code gcerrors.ErrorCode) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want %v", what, code)
	}
	if got := gcerrors.Code(err); got != code {
		t.Fatalf("%s: error %v is %v, want %v", what, err, got, code)
	}
}

func etag(t *testing.T, b *blob.Bucket, key string) string {
	t.Helper()
	a, err := b.Attributes(context.Background(), key)
	if err != nil {
		t.Fatalf("attributes of %s: %v", key, err)
	}
	if a.ETag == "" {
		t.Fatalf("%s has no ETag", key)
	}
	return a.ETag
}

// listAll lists prefix with delimiter "/" and returns the keys, directories
// ending in "/".
func listAll(t *testing.T, b *blob.Bucket, prefix string) []string {
	t.Helper()
	var keys []string
	it := b.List(&blob.ListOptions{Prefix: prefix, Delimiter: "/"})
	for {
		o, err := it.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("listing %q: %v", prefix, err)
		}
		keys = append(keys, o.Key)
	}
	return keys
}

// TestObjects: write, read, overwrite, list and delete work alike on every
// store; a missing key is gcerrors.NotFound for reads, attributes and
// deletes; deleting the last key under a prefix leaves no empty directory
// in listings.
func TestObjects(t *testing.T) {
	eachStore(t, func(t *testing.T, st store, b *blob.Bucket) {
		ctx := context.Background()
		mustPut(t, b, "ns/t1/data/000001.parquet", []byte("segment one"), nil)
		mustPut(t, b, "ns/t1/data/000002.parquet", []byte("segment two"), nil)
		mustPut(t, b, "ns/t1/_manifest/v1.json", []byte(`{"v":1}`), nil)
		mustPut(t, b, "ns/t2/_manifest/v1.json", []byte(`{"v":1}`), nil)
		wantContent(t, b, "ns/t1/data/000002.parquet", []byte("segment two"))

		// Plain writes overwrite.
		mustPut(t, b, "ns/t1/_manifest/v1.json", []byte(`{"v":"one"}`), nil)
		wantContent(t, b, "ns/t1/_manifest/v1.json", []byte(`{"v":"one"}`))

		if got, want := strings.Join(listAll(t, b, "ns/"), " "), "ns/t1/ ns/t2/"; got != want {
			t.Errorf("list ns/: %s, want %s", got, want)
		}
		if got, want := strings.Join(listAll(t, b, "ns/t1/data/"), " "), "ns/t1/data/000001.parquet ns/t1/data/000002.parquet"; got != want {
			t.Errorf("list ns/t1/data/: %s, want %s", got, want)
		}
		a, err := b.Attributes(ctx, "ns/t1/data/000001.parquet")
		if err != nil {
			t.Fatal(err)
		}
		if a.Size != int64(len("segment one")) || a.ETag == "" || a.ModTime.IsZero() {
			t.Errorf("attributes: size %d, ETag %q, mod time %v", a.Size, a.ETag, a.ModTime)
		}

		for _, key := range []string{"ns/t1/data/000001.parquet", "ns/t1/data/000002.parquet", "ns/t1/_manifest/v1.json"} {
			if err := b.Delete(ctx, key); err != nil {
				t.Fatalf("delete %s: %v", key, err)
			}
		}
		if got, want := strings.Join(listAll(t, b, "ns/"), " "), "ns/t2/"; got != want {
			t.Errorf("list ns/ after deleting t1's keys: %s, want %s", got, want)
		}
		_, err = b.ReadAll(ctx, "ns/t1/data/000001.parquet")
		wantCode(t, "read of a deleted key", err, gcerrors.NotFound)
		_, err = b.Attributes(ctx, "ns/t1/data/000001.parquet")
		wantCode(t, "attributes of a deleted key", err, gcerrors.NotFound)
		wantCode(t, "delete of a deleted key", b.Delete(ctx, "ns/t1/data/000001.parquet"), gcerrors.NotFound)
		if ok, err := b.Exists(ctx, "ns/t1/data/000001.parquet"); ok || err != nil {
			t.Errorf("Exists of a deleted key: %v, %v", ok, err)
		}
	})
}

// TestFileAndDirectory: "a" and "a/b" as keys at once. Object stores take
// both; stores that keep a key as a file path (fileblob, versitygw's
// posix backend) cannot make "a" both a file and a directory. pqdb's
// layout never needs it: no key is a prefix directory of another.
func TestFileAndDirectory(t *testing.T) {
	eachStore(t, func(t *testing.T, st store, b *blob.Bucket) {
		ctx := context.Background()
		mustPut(t, b, "a", []byte("file"), nil)
		werr, cerr := put(ctx, b, "a/b", []byte("under"), nil)
		err := errors.Join(werr, cerr)
		if st.fileAndDir && err != nil {
			t.Fatalf("writing a/b beside a: %v", err)
		}
		if !st.fileAndDir {
			if err == nil {
				t.Fatalf("writing a/b beside a succeeded; the store takes both")
			}
			t.Logf("writing a/b beside a: %v (code %v)", err, gcerrors.Code(err))
		}
	})
}

// TestRangeRead: NewRangeReader reads length bytes from offset; a negative
// length reads to the end; a range past the end is cut at the end. A range
// that starts at the end reads nothing on fileblob and memblob and is an
// error on S3, so a reader must not ask for one.
func TestRangeRead(t *testing.T) {
	data := make([]byte, 1000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	eachStore(t, func(t *testing.T, st store, b *blob.Bucket) {
		ctx := context.Background()
		mustPut(t, b, "seg", data, nil)
		for _, c := range []struct {
			offset, length int64
			want           []byte
		}{
			{0, 10, data[:10]},
			{990, 10, data[990:]},
			{500, -1, data[500:]},
			{995, 100, data[995:]},
			{0, 0, nil},
		} {
			r, err := b.NewRangeReader(ctx, "seg", c.offset, c.length, nil)
			if err != nil {
				t.Errorf("range %d+%d: %v", c.offset, c.length, err)
				continue
			}
			got, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				t.Errorf("range %d+%d: read: %v", c.offset, c.length, err)
				continue
			}
			if !bytes.Equal(got, c.want) {
				t.Errorf("range %d+%d: got %d bytes, want %d", c.offset, c.length, len(got), len(c.want))
			}
			if r.Size() != int64(len(data)) {
				t.Errorf("range %d+%d: reader says the object has %d bytes, want %d", c.offset, c.length, r.Size(), len(data))
			}
		}
		_, err := b.NewRangeReader(ctx, "missing", 0, 10, nil)
		wantCode(t, "range read of a missing key", err, gcerrors.NotFound)

		for _, offset := range []int64{1000, 1001} {
			r, err := b.NewRangeReader(ctx, "seg", offset, -1, nil)
			if !st.emptyRangeAtEnd {
				wantCode(t, fmt.Sprintf("range %d+-1 of 1000 bytes", offset), err, gcerrors.Unknown)
				if !strings.Contains(err.Error(), "InvalidRange") {
					t.Errorf("range %d+-1 of 1000 bytes: %v, want InvalidRange", offset, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("range %d+-1 of 1000 bytes: %v", offset, err)
			}
			if got, err := io.ReadAll(r); len(got) != 0 || err != nil {
				t.Errorf("range %d+-1 of 1000 bytes: %d bytes, %v", offset, len(got), err)
			}
			r.Close()
		}
	})
}

// TestCreateIfNotExist: WriterOptions.IfNotExist (If-None-Match: * on S3)
// creates a key once; a second create fails at Close with
// gcerrors.FailedPrecondition and leaves the first content in place. A
// create after the key is deleted succeeds again.
func TestCreateIfNotExist(t *testing.T) {
	eachStore(t, func(t *testing.T, st store, b *blob.Bucket) {
		ctx := context.Background()
		create := &blob.WriterOptions{IfNotExist: true}
		mustPut(t, b, "lease", []byte("writer A"), create)
		werr, cerr := put(ctx, b, "lease", []byte("writer B"), create)
		if werr != nil {
			t.Fatalf("second create failed before Close: %v", werr)
		}
		wantCode(t, "second create", cerr, gcerrors.FailedPrecondition)
		wantContent(t, b, "lease", []byte("writer A"))

		if err := b.Delete(ctx, "lease"); err != nil {
			t.Fatal(err)
		}
		mustPut(t, b, "lease", []byte("writer B"), create)
		wantContent(t, b, "lease", []byte("writer B"))
	})
}

// TestReplaceIfMatch: a write with If-Match of the current ETag replaces
// the object and changes its ETag; one with a stale ETag fails with
// gcerrors.FailedPrecondition; one on a missing key fails with
// gcerrors.NotFound. Only S3 has it: fileblob and memblob expose nothing
// to set the condition on, so the hook refuses and NewWriter fails.
func TestReplaceIfMatch(t *testing.T) {
	eachStore(t, func(t *testing.T, st store, b *blob.Bucket) {
		ctx := context.Background()
		mustPut(t, b, "current", []byte("v1"), nil)
		tag1 := etag(t, b, "current")
		if !st.ifMatch {
			// blob.Writer opens the driver's writer, and so calls
			// BeforeWrite, only when its first 512 bytes are in or at
			// Close, so the refusal comes from Write or Close.
			werr, cerr := put(ctx, b, "current", []byte("v2"), ifMatch(tag1))
			if err := errors.Join(werr, cerr); !errors.Is(err, errNoIfMatch) {
				t.Fatalf("If-Match write: %v, want %v", err, errNoIfMatch)
			}
			wantContent(t, b, "current", []byte("v1"))
			return
		}
		mustPut(t, b, "current", []byte("v2"), ifMatch(tag1))
		wantContent(t, b, "current", []byte("v2"))
		tag2 := etag(t, b, "current")
		if tag2 == tag1 {
			t.Fatalf("ETag %s unchanged by a write of new content", tag1)
		}

		werr, cerr := put(ctx, b, "current", []byte("v3 from a stale reader"), ifMatch(tag1))
		if werr != nil {
			t.Fatalf("stale If-Match failed before Close: %v", werr)
		}
		wantCode(t, "write with a stale If-Match", cerr, gcerrors.FailedPrecondition)
		wantContent(t, b, "current", []byte("v2"))

		// The ETag as HeadObject returns it is quoted; the bare hex
		// matches as well.
		if !strings.HasPrefix(tag2, `"`) {
			t.Errorf("ETag %s is not quoted", tag2)
		}
		mustPut(t, b, "current", []byte("v3"), ifMatch(strings.Trim(tag2, `"`)))
		wantContent(t, b, "current", []byte("v3"))

		_, cerr = put(ctx, b, "missing", []byte("x"), ifMatch(tag2))
		wantCode(t, "If-Match write of a missing key", cerr, gcerrors.NotFound)
		if ok, _ := b.Exists(ctx, "missing"); ok {
			t.Error("If-Match write of a missing key created it")
		}
	})
}

// TestDeleteIfMatch: a delete with If-Match of a stale ETag fails with
// gcerrors.FailedPrecondition and leaves the object; with the current ETag
// it deletes. This is how a writer gives up its lease without removing a
// successor's. S3 only, as for writes.
func TestDeleteIfMatch(t *testing.T) {
	eachStore(t, func(t *testing.T, st store, b *blob.Bucket) {
		ctx := context.Background()
		mustPut(t, b, "lease", []byte("old holder"), nil)
		stale := etag(t, b, "lease")
		mustPut(t, b, "lease", []byte("new holder"), nil)
		err := b.DeleteWithOptions(ctx, "lease", deleteIfMatch(stale))
		if !st.ifMatch {
			if !errors.Is(err, errNoIfMatch) {
				t.Fatalf("If-Match delete: %v, want %v", err, errNoIfMatch)
			}
			return
		}
		wantCode(t, "delete with a stale If-Match", err, gcerrors.FailedPrecondition)
		wantContent(t, b, "lease", []byte("new holder"))
		if err := b.DeleteWithOptions(ctx, "lease", deleteIfMatch(etag(t, b, "lease"))); err != nil {
			t.Fatalf("delete with the current If-Match: %v", err)
		}
		if ok, _ := b.Exists(ctx, "lease"); ok {
			t.Error("the lease is still there")
		}
	})
}

// TestETagOfSameBytes: on S3 an ETag names content, not a write: writing
// the same bytes again keeps the ETag, so an If-Match taken before the
// rewrite still matches after it. A lease or manifest pointer replaced by
// If-Match must therefore hold something unique per write (a fencing
// token, a version number), or a writer that lost it could take it back.
func TestETagOfSameBytes(t *testing.T) {
	eachStore(t, func(t *testing.T, st store, b *blob.Bucket) {
		mustPut(t, b, "lease", []byte("holder A"), nil)
		before := etag(t, b, "lease")
		mustPut(t, b, "lease", []byte("holder B"), nil)
		mustPut(t, b, "lease", []byte("holder A"), nil)
		after := etag(t, b, "lease")
		if st.contentETag != (before == after) {
			t.Fatalf("ETag before %s, after rewriting the same bytes %s", before, after)
		}
		if !st.contentETag {
			return
		}
		sum := md5.Sum([]byte("holder A"))
		if want := `"` + hex.EncodeToString(sum[:]) + `"`; after != want {
			t.Errorf("ETag %s, want the MD5 of the content %s", after, want)
		}
		// The If-Match read before B's write still holds.
		mustPut(t, b, "lease", []byte("holder A, renewed"), ifMatch(before))
	})
}

// TestConcurrentCreate: N writers create one key with IfNotExist at once;
// exactly one succeeds, the others get gcerrors.FailedPrecondition, and
// the key holds the winner's content. fileblob serializes its check and
// rename with a mutex of the process, so this holds for writers in one
// process only.
func TestConcurrentCreate(t *testing.T) {
	const n = 16
	eachStore(t, func(t *testing.T, st store, b *blob.Bucket) {
		winners := race(t, n, func(i int) error {
			_, err := put(context.Background(), b, "race", []byte(fmt.Sprintf("writer %d", i)), &blob.WriterOptions{IfNotExist: true})
			return err
		})
		wantContent(t, b, "race", []byte(fmt.Sprintf("writer %d", winners[0])))
	})
}

// TestConcurrentReplace: N writers that all read the same ETag replace the
// object with If-Match at once: exactly one succeeds. This is the
// compare-and-swap a manifest pointer or a lease renewal rests on.
func TestConcurrentReplace(t *testing.T) {
	const n = 16
	eachStore(t, func(t *testing.T, st store, b *blob.Bucket) {
		if !st.ifMatch {
			t.Skip("no If-Match on this store (TestReplaceIfMatch)")
		}
		mustPut(t, b, "current", []byte("v1"), nil)
		tag := etag(t, b, "current")
		winners := race(t, n, func(i int) error {
			_, err := put(context.Background(), b, "current", []byte(fmt.Sprintf("v2 by writer %d", i)), ifMatch(tag))
			return err
		})
		wantContent(t, b, "current", []byte(fmt.Sprintf("v2 by writer %d", winners[0])))
	})
}

// race runs f(0..n-1) at once and checks that exactly one call succeeded
// and every other failed with gcerrors.FailedPrecondition. It returns the
// winners.
func race(t *testing.T, n int, f func(i int) error) []int {
	t.Helper()
	errs := make([]error, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			errs[i] = f(i)
		}()
	}
	start.Done()
	done.Wait()
	var winners []int
	for i, err := range errs {
		switch {
		case err == nil:
			winners = append(winners, i)
		case gcerrors.Code(err) != gcerrors.FailedPrecondition:
			t.Errorf("writer %d: %v (%v), want a precondition failure", i, err, gcerrors.Code(err))
		}
	}
	if len(winners) != 1 {
		t.Fatalf("%d of %d writers won (%v), want exactly one", len(winners), n, winners)
	}
	return winners
}

// Multipart: the transfer manager s3blob writes with buffers up to 16 MiB
// and sends an object smaller than that in one PutObject; a larger one
// goes up in parts of WriterOptions.BufferSize (default 8 MiB; S3's
// smallest part is 5 MiB).
const (
	partSize = 5 << 20
	bigSize  = 3*partSize + 2<<20 // 17 MiB: four parts
)

func bigData(seed byte) []byte {
	data := make([]byte, bigSize)
	for i := range data {
		data[i] = byte(i>>10) ^ byte(i) ^ seed
	}
	return data
}

func bigWrite(opts *blob.WriterOptions) *blob.WriterOptions {
	if opts == nil {
		opts = &blob.WriterOptions{}
	}
	opts.BufferSize = partSize
	return opts
}

// TestMultipart: a 17 MiB object written with 5 MiB parts goes up as a
// four-part upload (ETag "...-4" on S3) and reads back whole and by range.
// IfNotExist and If-Match hold on multipart uploads too: the condition
// travels on CompleteMultipartUpload, so a refused upload fails at Close
// after its parts were sent, and leaves neither the object changed nor an
// unfinished upload behind (the transfer manager aborts it).
func TestMultipart(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 17 MiB objects")
	}
	eachStore(t, func(t *testing.T, st store, b *blob.Bucket) {
		ctx := context.Background()
		first, second := bigData(1), bigData(2)
		mustPut(t, b, "big", first, bigWrite(&blob.WriterOptions{IfNotExist: true}))
		got, err := b.ReadAll(ctx, "big")
		if err != nil {
			t.Fatal(err)
		}
		if sha256.Sum256(got) != sha256.Sum256(first) {
			t.Fatalf("read back %d bytes that differ from the %d written", len(got), len(first))
		}
		tag := etag(t, b, "big")
		if st.multipart && !strings.HasSuffix(tag, `-4"`) {
			t.Errorf("ETag %s: not a four-part upload", tag)
		}
		r, err := b.NewRangeReader(ctx, "big", partSize-3, 6, nil)
		if err != nil {
			t.Fatal(err)
		}
		across, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(across, first[partSize-3:partSize+3]) {
			t.Errorf("range across the first part boundary: %x, want %x", across, first[partSize-3:partSize+3])
		}

		_, cerr := put(ctx, b, "big", second, bigWrite(&blob.WriterOptions{IfNotExist: true}))
		wantCode(t, "second multipart create", cerr, gcerrors.FailedPrecondition)
		if etag(t, b, "big") != tag {
			t.Fatal("a refused multipart create changed the object")
		}
		if st.ifMatch {
			_, cerr = put(ctx, b, "big", second, bigWrite(ifMatch(`"0123456789abcdef0123456789abcdef-4"`)))
			wantCode(t, "multipart write with a stale If-Match", cerr, gcerrors.FailedPrecondition)
			if etag(t, b, "big") != tag {
				t.Fatal("a refused multipart replace changed the object")
			}
			mustPut(t, b, "big", second, bigWrite(ifMatch(tag)))
			if etag(t, b, "big") == tag {
				t.Fatal("multipart replace with the current If-Match left the ETag")
			}
		}
		if st.name == "s3" {
			var client *s3.Client
			if !b.As(&client) {
				t.Fatal("s3blob bucket is not an *s3.Client")
			}
			out, err := client.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("pqdb")})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Uploads) != 0 {
				var keys []string
				for _, u := range out.Uploads {
					keys = append(keys, aws.ToString(u.Key))
				}
				sort.Strings(keys)
				t.Errorf("unfinished multipart uploads left behind: %v", keys)
			}
		}
	})
}

// TestConcurrentMultipartCreate: racing multipart creates of one key, like
// racing small ones, have exactly one winner.
func TestConcurrentMultipartCreate(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 17 MiB objects")
	}
	const n = 3
	eachStore(t, func(t *testing.T, st store, b *blob.Bucket) {
		data := make([][]byte, n)
		for i := range data {
			data[i] = bigData(byte(i))
		}
		winners := race(t, n, func(i int) error {
			_, err := put(context.Background(), b, "big", data[i], bigWrite(&blob.WriterOptions{IfNotExist: true}))
			return err
		})
		got, err := b.ReadAll(context.Background(), "big")
		if err != nil {
			t.Fatal(err)
		}
		if sha256.Sum256(got) != sha256.Sum256(data[winners[0]]) {
			t.Fatal("the object is not the winner's")
		}
	})
}
