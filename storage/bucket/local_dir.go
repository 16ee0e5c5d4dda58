package bucket

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"gocloud.dev/blob"
	"gocloud.dev/blob/driver"
	"gocloud.dev/gcerrors"
)

// LocalRoot is what Bucket.As fills in for a bucket over a local
// directory: the directory, so that a reader can open a key's file
// (Dir/key) itself.
type LocalRoot struct {
	Dir string
}

// OpenDir opens the local directory root as a bucket, creating it if
// need be (see the package documentation for what it guarantees).
func OpenDir(root string) (*blob.Bucket, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, err
	}
	return blob.NewBucket(&localDir{root: abs}), nil
}

// localDir is the driver of a local directory.
type localDir struct {
	root string
}

// tempPrefix starts the names of files being written; no key has a
// segment starting with it.
const tempPrefix = ".tmp-"

var (
	errExists       = errors.New("object exists")
	errInvalidKey   = errors.New("invalid key")
	errUnsupported  = errors.New("not supported by a local directory bucket")
	contentTypeData = "application/octet-stream"
)

// path is the file of key, which must be a plain relative path.
func (d *localDir) path(key string) (string, error) {
	if key == "" || strings.ContainsAny(key, "\x00\\") {
		return "", fmt.Errorf("%w %q", errInvalidKey, key)
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, tempPrefix) {
			return "", fmt.Errorf("%w %q", errInvalidKey, key)
		}
	}
	return filepath.Join(d.root, filepath.FromSlash(key)), nil
}

func (d *localDir) ErrorCode(err error) gcerrors.ErrorCode {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return gcerrors.NotFound
	case errors.Is(err, errExists):
		return gcerrors.FailedPrecondition
	case errors.Is(err, errInvalidKey):
		return gcerrors.InvalidArgument
	case errors.Is(err, errUnsupported):
		return gcerrors.Unimplemented
	case errors.Is(err, context.Canceled):
		return gcerrors.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		return gcerrors.DeadlineExceeded
	}
	return gcerrors.Unknown
}

func (d *localDir) As(i any) bool {
	if p, ok := i.(*LocalRoot); ok {
		*p = LocalRoot{Dir: d.root}
		return true
	}
	return false
}

func (d *localDir) ErrorAs(err error, i any) bool {
	if p, ok := i.(**fs.PathError); ok {
		return errors.As(err, p)
	}
	return false
}

// etag names a file's content: the inode, size and modification time
// change whenever a write replaces it.
func etag(fi fs.FileInfo) string {
	var ino uint64
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		ino = st.Ino
	}
	return fmt.Sprintf(`"%x-%x-%x"`, ino, fi.Size(), fi.ModTime().UnixNano())
}

func (d *localDir) Attributes(_ context.Context, key string) (*driver.Attributes, error) {
	path, err := d.path(key)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: fs.ErrNotExist}
	}
	return &driver.Attributes{ContentType: contentTypeData, CreateTime: fi.ModTime(), ModTime: fi.ModTime(),
		Size: fi.Size(), ETag: etag(fi)}, nil
}

// defaultPageSize is a listing's page when the caller sets none.
const defaultPageSize = 1000

// ListPaged lists the keys under opts.Prefix in order. With the "/"
// delimiter it reads one directory (the prefix's); without, it walks
// the prefix's directory tree. Other delimiters are not supported.
func (d *localDir) ListPaged(_ context.Context, opts *driver.ListOptions) (*driver.ListPage, error) {
	if opts.BeforeList != nil {
		if err := opts.BeforeList(func(any) bool { return false }); err != nil {
			return nil, err
		}
	}
	if opts.Delimiter != "" && opts.Delimiter != "/" {
		return nil, fmt.Errorf("%w: delimiter %q", errUnsupported, opts.Delimiter)
	}
	dirKey := opts.Prefix[:strings.LastIndexByte(opts.Prefix, '/')+1]
	dir := filepath.Join(d.root, filepath.FromSlash(dirKey))
	var objs []*driver.ListObject
	add := func(key string, fi fs.FileInfo) {
		if strings.HasPrefix(key, opts.Prefix) && (len(opts.PageToken) == 0 || key > string(opts.PageToken)) {
			objs = append(objs, &driver.ListObject{Key: key, ModTime: fi.ModTime(), Size: fi.Size()})
		}
	}
	if opts.Delimiter == "/" {
		entries, err := os.ReadDir(dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), tempPrefix) {
				continue
			}
			key := dirKey + e.Name()
			if e.IsDir() {
				key += "/"
				if strings.HasPrefix(key, opts.Prefix) && (len(opts.PageToken) == 0 || key > string(opts.PageToken)) {
					objs = append(objs, &driver.ListObject{Key: key, IsDir: true})
				}
				continue
			}
			if fi, err := e.Info(); err == nil {
				add(key, fi)
			}
		}
	} else {
		err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if strings.HasPrefix(e.Name(), tempPrefix) || e.IsDir() {
				return nil
			}
			rel, err := filepath.Rel(d.root, path)
			if err != nil {
				return err
			}
			if fi, err := e.Info(); err == nil {
				add(filepath.ToSlash(rel), fi)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(objs, func(a, b *driver.ListObject) int { return strings.Compare(a.Key, b.Key) })
	page := &driver.ListPage{Objects: objs}
	size := opts.PageSize
	if size <= 0 {
		size = defaultPageSize
	}
	if len(objs) > size {
		page.Objects = objs[:size]
		page.NextPageToken = []byte(objs[size-1].Key)
	}
	return page, nil
}

func (d *localDir) NewRangeReader(_ context.Context, key string, offset, length int64, opts *driver.ReaderOptions) (driver.Reader, error) {
	path, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && fi.IsDir() {
		err = &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	if opts.BeforeRead != nil {
		if err := opts.BeforeRead(func(any) bool { return false }); err != nil {
			f.Close()
			return nil, err
		}
	}
	var r io.Reader = io.NewSectionReader(f, offset, max(fi.Size()-offset, 0))
	if length >= 0 {
		r = io.LimitReader(r, length)
	}
	return &localReader{r: r, f: f, attrs: driver.ReaderAttributes{ContentType: contentTypeData, ModTime: fi.ModTime(), Size: fi.Size()}}, nil
}

// localReader reads a range of a file.
type localReader struct {
	r     io.Reader
	f     *os.File
	attrs driver.ReaderAttributes
}

func (r *localReader) Read(p []byte) (int, error)           { return r.r.Read(p) }
func (r *localReader) Close() error                         { return r.f.Close() }
func (r *localReader) Attributes() *driver.ReaderAttributes { return &r.attrs }
func (r *localReader) As(any) bool                          { return false }

func (d *localDir) NewTypedWriter(ctx context.Context, key, _ string, opts *driver.WriterOptions) (driver.Writer, error) {
	path, err := d.path(key)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	if err := d.mkdirAllSync(dir); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return nil, err
	}
	if opts.BeforeWrite != nil {
		if err := opts.BeforeWrite(func(any) bool { return false }); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
	}
	return &localWriter{ctx: ctx, f: f, path: path, ifNotExist: opts.IfNotExist}, nil
}

// localWriter writes a temporary file that Close makes the key's.
type localWriter struct {
	ctx        context.Context
	f          *os.File
	path       string
	ifNotExist bool
}

func (w *localWriter) Write(p []byte) (int, error) { return w.f.Write(p) }

// Close publishes the file durably: synced, then linked (create-if-
// absent) or renamed into place, then its directory synced. A write
// whose context ended publishes nothing.
func (w *localWriter) Close() error {
	tmp := w.f.Name()
	defer os.Remove(tmp) // gone already once renamed
	if err := w.ctx.Err(); err != nil {
		w.f.Close()
		return err
	}
	if err := w.f.Sync(); err != nil {
		w.f.Close()
		return err
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	if w.ifNotExist {
		// link(2) fails if the name exists, in any process.
		if err := os.Link(tmp, w.path); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("%w: %s", errExists, w.path)
			}
			return err
		}
	} else if err := os.Rename(tmp, w.path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(w.path))
}

// mkdirAllSync creates dir and the directories above it up to the root
// that are missing, each synced into its parent.
func (d *localDir) mkdirAllSync(dir string) error {
	if dir == d.root {
		return nil
	}
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	parent := filepath.Dir(dir)
	if err := d.mkdirAllSync(parent); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(parent)
}

// syncDir makes the entries of dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (d *localDir) Copy(ctx context.Context, dstKey, srcKey string, _ *driver.CopyOptions) error {
	src, err := d.path(srcKey)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	w, err := d.NewTypedWriter(ctx, dstKey, contentTypeData, &driver.WriterOptions{})
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, bytes.NewReader(data)); err != nil {
		w.(*localWriter).f.Close()
		return err
	}
	return w.Close()
}

func (d *localDir) Delete(_ context.Context, key string, _ *driver.DeleteOptions) error {
	path, err := d.path(key)
	if err != nil {
		return err
	}
	return os.Remove(path)
}

func (d *localDir) SignedURL(context.Context, string, *driver.SignedURLOptions) (string, error) {
	return "", fmt.Errorf("%w: signed URLs", errUnsupported)
}

func (d *localDir) Close() error { return nil }
