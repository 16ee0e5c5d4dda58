package crashcheck

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"

	"github.com/pqdb/pqdb/server"
	"github.com/pqdb/pqdb/storage"
)

// childEnv makes a test binary act as a pqdb server process over the data
// directory it names (see Child); childFlushEnv sets its flush size.
const (
	childEnv      = "PQDB_CRASHCHECK_SERVER"
	childFlushEnv = "PQDB_CRASHCHECK_FLUSH_ROWS"
)

// Child runs a pqdb server and never returns when the process was started
// by StartServer; otherwise it returns at once. A test binary calls it
// first thing in TestMain.
func Child() {
	dir := os.Getenv(childEnv)
	if dir == "" {
		return
	}
	flush, _ := strconv.Atoi(os.Getenv(childFlushEnv))
	// Small flushes and row groups put the data of one round in the tail,
	// in several segments and in several row groups per segment.
	srv, err := server.Start(server.Config{Listen: "127.0.0.1:0", DataDir: dir,
		Storage: storage.Options{FlushRows: flush, RowGroupRows: 97}})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println("listening", srv.Addr())
	select {}
}

// Server is a pqdb server process that can be killed.
type Server struct {
	cmd  *exec.Cmd
	Addr string
}

// StartServer re-executes the running test binary as a server over dir.
func StartServer(dir string, flushRows int) (*Server, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir, childFlushEnv+"="+strconv.Itoa(flushRows))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening ") {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("server did not start: %q %v", line, err)
	}
	return &Server{cmd: cmd, Addr: strings.TrimSpace(strings.TrimPrefix(line, "listening "))}, nil
}

// DSN is the connection string of the server.
func (s *Server) DSN() string { return "postgres://crashcheck@" + s.Addr + "/pqdb?sslmode=disable" }

// Kill sends SIGKILL and waits for the process to end.
func (s *Server) Kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
}
