package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

	"gocloud.dev/blob"

	"github.com/pqdb/pqdb/storage/bucket"
)

// Every file a table is made of (segments, event files, deletion
// vectors, index files, manifests) is an object in the store's bucket
// (storage/bucket), named by a key below the bucket's root:
// <schema-dir>/<table-id>/<file>. A local data directory is a bucket
// whose root is the directory itself, so a key is also the file's path
// below it. Objects are immutable once written, but for a manifest's
// version hint; a write is durable when it returns. Reads of a local
// bucket open the file itself (a pread per block instead of a reader per
// range); every other access goes through the bucket.

// objectStore is a store's bucket, and its directory when it is local.
type objectStore struct {
	bucket *blob.Bucket
	// root is the bucket's directory when it is local, else "".
	root string
	// published, when set, is told of every manifest version published
	// (iceberg_tables.go).
	published func(prefix string, version int64)
	// mayHaveLeftFiles is set when a write or a deletion failed, or a job
	// that writes files did (noteFailedJob): objects no manifest names
	// may remain, for the next run's orphan sweep (orphan_sweep.go).
	mayHaveLeftFiles atomic.Bool
}

// noteFailedJob records that a flush, compaction, index build or history
// rewrite failed, and so may have left files it wrote.
func (o *objectStore) noteFailedJob() { o.mayHaveLeftFiles.Store(true) }

// failed notes err, when it is one, as a failed write or deletion.
func (o *objectStore) failed(err error) error {
	if err != nil {
		o.mayHaveLeftFiles.Store(true)
	}
	return err
}

// newObjectStore wraps b.
func newObjectStore(b *blob.Bucket) *objectStore {
	o := &objectStore{bucket: b}
	var lr bucket.LocalRoot
	if b.As(&lr) {
		o.root = lr.Dir
	}
	return o
}

// objectContext is the context of every bucket call: storage's
// operations run to the end once started, as file system calls did.
var objectContext = context.Background()

// objectFile is an object open for reading at offsets: a local file, or
// ranged reads of a remote object.
type objectFile interface {
	io.ReaderAt
	io.Closer
}

// notExist turns a bucket's not-found error into one that
// errors.Is(err, fs.ErrNotExist) recognizes, as callers test for.
func notExist(op, key string, err error) error {
	if bucket.IsNotFound(err) {
		return &fs.PathError{Op: op, Path: key, Err: fs.ErrNotExist}
	}
	return err
}

// objectWriter writes one object; it exists, durably, once commit
// returns, and never if abort is called or commit fails.
type objectWriter struct {
	o      *objectStore
	w      *blob.Writer
	cancel context.CancelFunc
	key    string
	size   int64 // bytes written
}

// create starts writing the object key.
func (o *objectStore) create(key string) (*objectWriter, error) {
	if err := fault("create", key); err != nil {
		return nil, o.failed(err)
	}
	ctx, cancel := context.WithCancel(objectContext)
	w, err := o.bucket.NewWriter(ctx, key, &blob.WriterOptions{ContentType: "application/octet-stream"})
	if err != nil {
		cancel()
		return nil, o.failed(err)
	}
	return &objectWriter{o: o, w: w, cancel: cancel, key: key}, nil
}

func (ow *objectWriter) Write(p []byte) (int, error) {
	n, err := ow.w.Write(p)
	ow.size += int64(n)
	return n, ow.o.failed(err)
}

// commit makes the object durable under its key.
func (ow *objectWriter) commit() error {
	defer ow.cancel()
	if err := fault("sync", ow.key); err != nil {
		ow.cancel() // a cancelled write publishes nothing
		ow.w.Close()
		return ow.o.failed(err)
	}
	return ow.o.failed(ow.w.Close())
}

// abort gives the object up.
func (ow *objectWriter) abort() {
	ow.cancel()
	ow.w.Close()
}

// put writes data as the object key, replacing it if it exists.
func (o *objectStore) put(key string, data []byte) error {
	if err := fault("write", key); err != nil {
		return o.failed(err)
	}
	return o.failed(o.bucket.WriteAll(objectContext, key, data, &blob.WriterOptions{ContentType: "application/octet-stream"}))
}

// errObjectExists is putIfAbsent's failure when the key exists.
var errObjectExists = errors.New("object exists")

// putIfAbsent writes data as the object key unless it exists; then it
// returns errObjectExists and the object is unchanged.
func (o *objectStore) putIfAbsent(key string, data []byte) error {
	if err := fault("write", key); err != nil {
		return o.failed(err)
	}
	err := bucket.CreateIfAbsent(objectContext, o.bucket, key, data)
	if bucket.IsPrecondition(err) {
		return fmt.Errorf("%w: %s", errObjectExists, key)
	}
	return o.failed(err)
}

// read returns the content of the object key.
func (o *objectStore) read(key string) ([]byte, error) {
	if err := fault("read", key); err != nil {
		return nil, err
	}
	if o.root != "" {
		return os.ReadFile(o.path(key))
	}
	data, err := o.bucket.ReadAll(objectContext, key)
	return data, notExist("read", key, err)
}

// open opens the object key for reads at offsets, and returns its size.
func (o *objectStore) open(key string) (objectFile, int64, error) {
	if err := fault("read", key); err != nil {
		return nil, 0, err
	}
	if o.root != "" {
		f, err := os.Open(o.path(key))
		if err != nil {
			return nil, 0, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, err
		}
		return f, st.Size(), nil
	}
	attrs, err := o.bucket.Attributes(objectContext, key)
	if err != nil {
		return nil, 0, notExist("open", key, err)
	}
	return &remoteObject{bucket: o.bucket, key: key}, attrs.Size, nil
}

// size returns the size of the object key.
func (o *objectStore) size(key string) (int64, error) {
	if o.root != "" {
		fi, err := os.Stat(o.path(key))
		if err != nil {
			return 0, err
		}
		return fi.Size(), nil
	}
	attrs, err := o.bucket.Attributes(objectContext, key)
	if err != nil {
		return 0, notExist("stat", key, err)
	}
	return attrs.Size, nil
}

// remove deletes the object key; one that does not exist is no error.
func (o *objectStore) remove(key string) error {
	err := o.bucket.Delete(objectContext, key)
	if err == nil || bucket.IsNotFound(err) {
		return nil
	}
	return o.failed(err)
}

// removeAll deletes every object whose key starts with prefix + "/".
func (o *objectStore) removeAll(prefix string) error {
	if o.root != "" {
		return os.RemoveAll(o.path(prefix))
	}
	keys, err := o.list(prefix + "/")
	if err != nil {
		return err
	}
	var errs []error
	for _, k := range keys {
		errs = append(errs, o.remove(k.key))
	}
	return errors.Join(errs...)
}

// children returns the names of the "directories" right below prefix
// (which ends in "/"): the next segments of the keys under it.
func (o *objectStore) children(prefix string) ([]string, error) {
	var out []string
	err := o.each(&blob.ListOptions{Prefix: prefix, Delimiter: "/"}, func(obj *blob.ListObject) {
		if obj.IsDir {
			out = append(out, strings.TrimSuffix(strings.TrimPrefix(obj.Key, prefix), "/"))
		}
	})
	return out, err
}

// each calls fn for each entry of the bucket's listing opts asks for, in
// key order.
func (o *objectStore) each(opts *blob.ListOptions, fn func(*blob.ListObject)) error {
	it := o.bucket.List(opts)
	for {
		obj, err := it.Next(objectContext)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		fn(obj)
	}
}

// A schema's objects are under a prefix of their own. On a local data
// directory it is the schema's directory, so that the renames that
// create and drop a schema carry its tables along. On an object store,
// which cannot rename, a schema's objects are under its directory name
// and a tag (objectTagKey in its database) no other schema ever gets,
// so that the objects a dropped schema left behind (its deletion was cut
// off) are never taken for those of a new schema of the same name.
const objectTagKey = "object_tag"

// objectPrefix is the prefix of the objects of the schema in directory
// dirName with tag (0: none, the local directory's layout).
func objectPrefix(dirName string, tag int64) string {
	if tag == 0 {
		return dirName
	}
	return dirName + "-" + strconv.FormatUint(uint64(tag), 36)
}

// objectEntry is one object a listing found.
type objectEntry struct {
	key  string
	size int64
}

// list returns the objects whose keys start with prefix, at any depth,
// in key order.
func (o *objectStore) list(prefix string) ([]objectEntry, error) {
	var out []objectEntry
	err := o.each(&blob.ListOptions{Prefix: prefix}, func(obj *blob.ListObject) {
		if !obj.IsDir {
			out = append(out, objectEntry{key: obj.Key, size: obj.Size})
		}
	})
	return out, err
}

// path is the local file of key in a local bucket.
func (o *objectStore) path(key string) string {
	return o.root + string(filepath.Separator) + filepath.FromSlash(key)
}

// local reports whether the bucket is the local directory dir, so that
// what is under dir's schema directories is the schemas' objects too.
func (o *objectStore) local(dir string) bool {
	if o.root == "" {
		return false
	}
	abs, err := filepath.Abs(dir)
	return err == nil && abs == o.root
}

// remoteObject reads an object of a remote bucket by ranged reads.
type remoteObject struct {
	bucket *blob.Bucket
	key    string
}

func (r *remoteObject) ReadAt(p []byte, off int64) (int, error) {
	rd, err := r.bucket.NewRangeReader(objectContext, r.key, off, int64(len(p)), nil)
	if err != nil {
		return 0, notExist("read", r.key, err)
	}
	defer rd.Close()
	n, err := io.ReadFull(rd, p)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	return n, err
}

// readRun reads consecutive blocks by one ranged request.
func (r *remoteObject) readRun(off int64, bufs [][]byte) error {
	n := 0
	for _, b := range bufs {
		n += len(b)
	}
	rd, err := r.bucket.NewRangeReader(objectContext, r.key, off, int64(n), nil)
	if err != nil {
		return notExist("read", r.key, err)
	}
	defer rd.Close()
	for _, b := range bufs {
		if _, err := io.ReadFull(rd, b); err != nil {
			return err
		}
	}
	return nil
}

func (r *remoteObject) Close() error { return nil }
