package s3test

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"fmt"
	"go/build"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gocloud.dev/blob"
	"gocloud.dev/blob/s3blob"
)

// The credentials and region every test server uses. They open nothing
// but a server on 127.0.0.1 that lives as long as one test.
const (
	AccessKey = "pqdbtest"
	SecretKey = "pqdbtest-secret"
	Region    = "us-east-1"
)

// Version is the versitygw release the tests are written against; .ci/run
// installs it.
const Version = "v1.8.0"

// envBinary names the versitygw binary to run, ahead of PATH and GOPATH/bin.
const envBinary = "PQDB_VERSITYGW"

// Server is a versitygw S3 server serving a temporary directory.
type Server struct {
	// Endpoint is the server's base URL, http://127.0.0.1:PORT.
	Endpoint string
	// Dir is the directory the posix backend serves: one subdirectory
	// per bucket, one file per object.
	Dir string
	// Binary is the versitygw executable, and BinaryVersion the module
	// version it was built from ("(devel)" or "" when unknown).
	Binary, BinaryVersion string

	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{} // closed when the process has exited
	err  error         // the process's exit status, set before done closes
}

// Start starts a versitygw server for the test and stops it when the test
// ends. Without a versitygw binary it skips the test, or fails it when $CI
// is set.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := FindBinary()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("s3test: %v (CI must install it: see .ci/run)", err)
		}
		t.Skipf("s3test: %v; install it with `go install github.com/versity/versitygw/cmd/versitygw@%s` to run this test", err, Version)
	}
	version := binaryVersion(bin)
	if version != Version && version != "" {
		t.Logf("s3test: %s is versitygw %s; these tests were written against %s", bin, version, Version)
	}
	s, err := startIn(bin, t.TempDir())
	if err != nil {
		t.Fatalf("s3test: starting versitygw: %v", err)
	}
	s.BinaryVersion = version
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("s3test: stopping versitygw: %v\n%s", err, s.out.String())
		}
	})
	return s
}

// StartMain starts a server for a whole test binary (from TestMain, where
// there is no testing.TB), over a temporary directory that Stop removes.
func StartMain() (*Server, error) {
	bin, err := FindBinary()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "s3test-")
	if err != nil {
		return nil, err
	}
	s, err := startIn(bin, dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.BinaryVersion = binaryVersion(bin)
	return s, nil
}

// Stop ends a server StartMain started and removes its directory.
func (s *Server) Stop() error {
	err := s.stop()
	os.RemoveAll(s.Dir)
	return err
}

// startIn starts versitygw over dir. A port picked by listening on port
// 0 can be taken by someone else before versitygw binds it: it tries a
// few.
func startIn(bin, dir string) (*Server, error) {
	for attempt := 1; ; attempt++ {
		s, err := start(bin, dir)
		if err == nil || attempt == 3 || !strings.Contains(err.Error(), "address already in use") {
			return s, err
		}
	}
}

// FindBinary returns the versitygw executable to run: $PQDB_VERSITYGW
// if set, else versitygw on PATH, else in GOBIN or GOPATH/bin, where
// go install puts it.
func FindBinary() (string, error) {
	if p := os.Getenv(envBinary); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("$%s: %w", envBinary, err)
		}
		return p, nil
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	for _, dir := range goBinDirs() {
		p := filepath.Join(dir, "versitygw")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("no versitygw binary in $%s, PATH or %s", envBinary, strings.Join(goBinDirs(), ", "))
}

// goBinDirs are the directories go install writes to: GOBIN if set,
// otherwise the bin directory of the first GOPATH entry. It asks the go
// command (which knows `go env -w` settings) and falls back to the
// environment's defaults.
var goBinDirs = sync.OnceValue(func() []string {
	out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err == nil {
		lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
		if len(lines) == 2 {
			if lines[0] != "" {
				return []string{lines[0]}
			}
			if lines[1] != "" {
				return []string{filepath.Join(filepath.SplitList(lines[1])[0], "bin")}
			}
		}
	}
	if gobin := os.Getenv("GOBIN"); gobin != "" {
		return []string{gobin}
	}
	return []string{filepath.Join(filepath.SplitList(build.Default.GOPATH)[0], "bin")}
})

// binaryVersion is the module version a Go binary was built from, as go
// install records it, or "" when the binary has no build information.
func binaryVersion(path string) string {
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return ""
	}
	return info.Main.Version
}

// start runs versitygw on a free loopback port over dir and waits until it
// accepts connections.
func start(bin, dir string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", port)
	s := &Server{
		Endpoint: "http://" + addr,
		Dir:      dir,
		Binary:   bin,
		out:      &lockedBuffer{},
		done:     make(chan struct{}),
	}
	s.cmd = exec.Command(bin,
		"--access", AccessKey,
		"--secret", SecretKey,
		"--region", Region,
		"--port", addr,
		"--quiet",
		// The posix backend keeps each object's ETag and metadata in
		// extended attributes of its file (the default), which the
		// conditional writes compare against.
		"posix", dir)
	s.cmd.Env = serverEnv()
	s.cmd.Stdout = s.out
	s.cmd.Stderr = s.out
	s.cmd.SysProcAttr = sysProcAttr()
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	if err := s.waitReady(10 * time.Second); err != nil {
		_ = s.stop()
		return nil, fmt.Errorf("%w\n%s", err, s.out.String())
	}
	return s, nil
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}

// serverEnv is the environment versitygw runs with: the test's own, less
// the variables versitygw reads as settings (VGW_*, ROOT_*), so a
// developer's shell cannot change the server under test.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "VGW_") || strings.HasPrefix(kv, "ROOT_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// waitReady waits until the server accepts a connection, or exits, or
// the timeout passes.
func (s *Server) waitReady(timeout time.Duration) error {
	addr := strings.TrimPrefix(s.Endpoint, "http://")
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-s.done:
			if strings.Contains(s.out.String(), "address already in use") {
				return fmt.Errorf("versitygw exited: %v: address already in use", s.err)
			}
			return fmt.Errorf("versitygw exited: %v", s.err)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("versitygw did not accept connections on %s within %v", addr, timeout)
		}
	}
}

// stop ends the server: an interrupt first, a kill if it has not exited
// within five seconds. A server that had already exited on its own is an
// error.
func (s *Server) stop() error {
	select {
	case <-s.done:
		return fmt.Errorf("versitygw exited early: %v", s.err)
	default:
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	return nil
}

// Log is everything the server printed so far, for failure messages.
func (s *Server) Log() string { return s.out.String() }

// URL is the gocloud.dev/blob URL of a bucket on the server, or with
// "bucket/prefix" of a key prefix in it (as pqdb's storage/bucket reads
// the path). Opening it needs the credentials in the environment (Env,
// SetEnv).
func (s *Server) URL(bucket string) string {
	q := url.Values{}
	q.Set("endpoint", s.Endpoint)
	q.Set("region", Region)
	q.Set("use_path_style", "true")
	return "s3://" + bucket + "?" + q.Encode()
}

// Env is the environment a child process needs to open the server's
// URLs: the AWS SDK's credential and region variables, and no shared
// config or credentials files that could override them.
func (s *Server) Env() []string {
	return []string{
		"AWS_ACCESS_KEY_ID=" + AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + SecretKey,
		"AWS_REGION=" + Region,
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
	}
}

// SetEnv puts Env into the test's environment (t.Setenv: restored when the
// test ends, and not allowed in parallel tests), so that blob.OpenBucket
// on the server's URLs finds the credentials.
func (s *Server) SetEnv(t testing.TB) {
	t.Helper()
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
}

// Client is an S3 client for the server with the test credentials, for
// what gocloud.dev/blob does not do (creating buckets, listing multipart
// uploads).
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
	})
}

// NewBucket creates a bucket on the server and returns its URL.
func (s *Server) NewBucket(t testing.TB, name string) string {
	t.Helper()
	_, err := s.Client().CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)})
	if err != nil {
		t.Fatalf("s3test: creating bucket %q: %v\n%s", name, err, s.out.String())
	}
	return s.URL(name)
}

// OpenBucket creates a bucket on the server and opens it with
// gocloud.dev/blob's s3blob driver, credentials passed directly rather
// than through the environment. The bucket is closed when the test ends.
func (s *Server) OpenBucket(t testing.TB, name string) *blob.Bucket {
	t.Helper()
	s.NewBucket(t, name)
	b, err := s3blob.OpenBucket(context.Background(), s.Client(), name, nil)
	if err != nil {
		t.Fatalf("s3test: opening bucket %q: %v", name, err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// lockedBuffer collects a process's output; the process writes while a
// test may read.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	// Keep the first 1 MiB: enough for any startup failure.
	if b.buf.Len() < 1<<20 {
		b.buf.Write(p)
	}
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
