package tpch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// ServerProcess is a pqdb-server started for one benchmark run on a free
// loopback port with a fresh data directory.
type ServerProcess struct {
	DSN     string
	DataDir string
	LogPath string
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
}

// StartServerProcess runs `binary --listen 127.0.0.1:PORT --data-dir DIR`
// on a free port and waits until it accepts a PostgreSQL session or
// readyTimeout passes.
func StartServerProcess(ctx context.Context, binary string, readyTimeout time.Duration) (*ServerProcess, error) {
	return StartServerProcessWith(ctx, binary, ServerOptions{}, readyTimeout)
}

// ServerOptions are the choices StartServerProcessWith leaves to its caller.
type ServerOptions struct {
	// Port is the loopback port to listen on; 0 takes a free one.
	Port int
	// Args are passed to the server after --listen and --data-dir (e.g.
	// --memory-limit 2GB).
	Args []string
}

// StartServerProcessWith is StartServerProcess with a chosen port and extra
// server arguments.
func StartServerProcessWith(ctx context.Context, binary string, opts ServerOptions, readyTimeout time.Duration) (*ServerProcess, error) {
	path, err := exec.LookPath(binary)
	if err != nil {
		return nil, fmt.Errorf("pqdb-server: %w", err)
	}
	dir, err := os.MkdirTemp("", "pqdb-bench-*")
	if err != nil {
		return nil, err
	}
	port := opts.Port
	if port == 0 {
		if port, err = freeLoopbackPort(); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	p := &ServerProcess{
		DSN:     fmt.Sprintf("postgres://pqdb@%s/pqdb?sslmode=disable", addr),
		DataDir: filepath.Join(dir, "data"),
		LogPath: filepath.Join(dir, "server.log"),
		exited:  make(chan struct{}),
	}
	logFile, err := os.Create(p.LogPath)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	p.cmd = exec.Command(path, append([]string{"--listen", addr, "--data-dir", p.DataDir}, opts.Args...)...)
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	// Its own process group, so that stopping it also reaches any process it
	// started (a wrapper script's server, for example).
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		logFile.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pqdb-server: %w", err)
	}
	go func() {
		p.waitErr = p.cmd.Wait()
		logFile.Close()
		close(p.exited)
	}()
	if err := p.waitReady(ctx, readyTimeout); err != nil {
		p.Stop()
		return nil, err
	}
	return p, nil
}

// waitReady polls with a real session until the server answers one query.
func (p *ServerProcess) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var lastErr error
	for time.Now().Before(deadline) {
		select {
		case <-p.exited:
			return fmt.Errorf("pqdb-server exited before accepting connections (%v); log:\n%s", p.waitErr, p.LogTail(20))
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		attempt, cancel := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgx.Connect(attempt, p.DSN)
		if err == nil {
			_, err = conn.Exec(attempt, "SELECT 1", pgx.QueryExecModeSimpleProtocol)
			conn.Close(attempt)
		}
		cancel()
		if err == nil {
			return nil
		}
		lastErr = err
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("pqdb-server did not accept a session within %v: %v; log:\n%s", timeout, lastErr, p.LogTail(20))
}

// PID is the process id of the started binary, whose /proc entry tells its
// memory use.
func (p *ServerProcess) PID() int { return p.cmd.Process.Pid }

// LogTail returns the last n lines the server wrote.
func (p *ServerProcess) LogTail(n int) string {
	b, err := os.ReadFile(p.LogPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Stop asks the server to shut down (SIGTERM), kills it if it has not exited
// within stopTimeout, and removes its data directory.
func (p *ServerProcess) Stop() error {
	select {
	case <-p.exited:
	default:
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(stopTimeout):
			_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
			<-p.exited
		}
	}
	return os.RemoveAll(filepath.Dir(p.DataDir))
}

// stopTimeout leaves pqdb-server time to flush its writers to Parquet on
// SIGTERM, which it bounds at 30 seconds itself.
const stopTimeout = 40 * time.Second

// freeLoopbackPort asks the kernel for a port nobody is listening on.
func freeLoopbackPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		return 0, errors.New("loopback listener has no TCP address")
	}
	return addr.Port, nil
}

// SegmentFiles lists the Parquet segments the server wrote — the files in
// <data-dir>/<namespace>/<table>/data/ — and their total size in bytes. On a
// server started for one benchmark they all belong to the TPC-H tables.
func (p *ServerProcess) SegmentFiles() ([]string, int64, error) {
	var files []string
	var size int64
	err := filepath.WalkDir(p.DataDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".parquet" || filepath.Base(filepath.Dir(path)) != "data" {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files = append(files, path)
		size += info.Size()
		return nil
	})
	return files, size, err
}
