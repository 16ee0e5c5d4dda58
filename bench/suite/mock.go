package suite

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgproto3"
)

// Mock is the bare-protocol ceiling for SELECT 1: a pgproto3 server that
// trusts every startup and answers every simple Query with the same one row
// ("1" in an int4 column), doing no work of its own. What a client reaches
// against it is what this machine's loopback, the client and the protocol
// allow; server/simple_query_bench_test.go has the same mock for go test.
type Mock struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// StartMock listens on addr ("127.0.0.1:0" takes a free port).
func StartMock(addr string) (*Mock, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	m := &Mock{ln: ln, conns: map[net.Conn]struct{}{}}
	m.wg.Add(1)
	go m.accept()
	return m, nil
}

// Addr is the host:port the mock listens on.
func (m *Mock) Addr() string { return m.ln.Addr().String() }

// DSN is a connection string for the mock.
func (m *Mock) DSN() string { return "postgres://mock@" + m.Addr() + "/mock?sslmode=disable" }

// Close stops listening, closes every session and waits for them to end.
func (m *Mock) Close() error {
	err := m.ln.Close()
	m.mu.Lock()
	for c := range m.conns {
		c.Close()
	}
	m.mu.Unlock()
	m.wg.Wait()
	return err
}

func (m *Mock) accept() {
	defer m.wg.Done()
	for {
		nc, err := m.ln.Accept()
		if err != nil {
			return
		}
		m.mu.Lock()
		m.conns[nc] = struct{}{}
		m.mu.Unlock()
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			serveMock(nc)
			m.mu.Lock()
			delete(m.conns, nc)
			m.mu.Unlock()
		}()
	}
}

// serveMock is one session: startup (refusing TLS), then one row per Query
// until Terminate or the connection's end.
func serveMock(nc net.Conn) {
	defer nc.Close()
	be := pgproto3.NewBackend(nc, nc)
	for {
		msg, err := be.ReceiveStartupMessage()
		if err != nil {
			return
		}
		if _, ok := msg.(*pgproto3.SSLRequest); ok {
			if _, err := nc.Write([]byte{'N'}); err != nil {
				return
			}
			continue
		}
		if _, ok := msg.(*pgproto3.StartupMessage); !ok {
			return
		}
		break
	}
	be.Send(&pgproto3.AuthenticationOk{})
	be.Send(&pgproto3.ParameterStatus{Name: "server_version", Value: "15.0"})
	be.Send(&pgproto3.ParameterStatus{Name: "client_encoding", Value: "UTF8"})
	be.Send(&pgproto3.ParameterStatus{Name: "standard_conforming_strings", Value: "on"})
	be.Send(&pgproto3.BackendKeyData{ProcessID: 1, SecretKey: []byte{0, 0, 0, 1}})
	be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
	if be.Flush() != nil {
		return
	}
	desc := &pgproto3.RowDescription{Fields: []pgproto3.FieldDescription{{Name: []byte("?column?"), DataTypeOID: 23, DataTypeSize: 4, TypeModifier: -1}}}
	row := &pgproto3.DataRow{Values: [][]byte{[]byte("1")}}
	done := &pgproto3.CommandComplete{CommandTag: []byte("SELECT 1")}
	ready := &pgproto3.ReadyForQuery{TxStatus: 'I'}
	for {
		msg, err := be.Receive()
		if err != nil {
			return
		}
		switch msg.(type) {
		case *pgproto3.Query:
			be.Send(desc)
			be.Send(row)
			be.Send(done)
			be.Send(ready)
			if err := be.Flush(); err != nil {
				return
			}
		case *pgproto3.Terminate:
			return
		default:
			be.Send(&pgproto3.ErrorResponse{Severity: "ERROR", Code: "0A000", Message: "the mock answers simple queries only"})
			be.Send(ready)
			if errors.Is(be.Flush(), net.ErrClosed) {
				return
			}
		}
	}
}

// MockProcess is the mock run as a process of its own, as pqdb is, so
// that the client and the server it measures do not share a Go runtime
// (an in-process mock answers from the client's own scheduler, a ceiling
// no separate server can reach on the same cores).
type MockProcess struct {
	cmd  *exec.Cmd
	addr string
	// stdin stays open while the mock should serve.
	stdin io.WriteCloser
}

// mockListening is the line a mock process prints once it listens.
const mockListening = "mock listening on "

// ServeMock runs the mock on addr for a process started by
// StartMockProcess: it prints where it listens, then serves until its
// standard input closes (its parent ended or closed it).
func ServeMock(addr string) error {
	m, err := StartMock(addr)
	if err != nil {
		return err
	}
	fmt.Println(mockListening + m.Addr())
	io.Copy(io.Discard, os.Stdin)
	return m.Close()
}

// StartMockProcess starts command (a program that calls ServeMock) and
// waits until it listens.
func StartMockProcess(command []string) (*MockProcess, error) {
	cmd := exec.Command(command[0], command[1:]...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), mockListening)
	if err != nil || !ok {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("mock process did not start: %q %v", line, err)
	}
	return &MockProcess{cmd: cmd, addr: addr, stdin: stdin}, nil
}

// DSN is a connection string for the mock process.
func (p *MockProcess) DSN() string { return "postgres://mock@" + p.addr + "/mock?sslmode=disable" }

// Close ends the mock process: closing its standard input stops it.
func (p *MockProcess) Close() error {
	p.stdin.Close()
	return p.cmd.Wait()
}
