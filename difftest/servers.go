package difftest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"

	"github.com/pqdb/pqdb/server"
)

// PGBinDir finds PostgreSQL 15's server binaries: $PQDB_PG15_BIN, else
// /usr/lib/postgresql/15/bin. It returns "" when initdb, pg_ctl and
// postgres are not all there.
func PGBinDir() string {
	dir := os.Getenv("PQDB_PG15_BIN")
	if dir == "" {
		dir = "/usr/lib/postgresql/15/bin"
	}
	for _, b := range []string{"initdb", "pg_ctl", "postgres"} {
		if _, err := os.Stat(filepath.Join(dir, b)); err != nil {
			return ""
		}
	}
	return dir
}

// Postgres is a private PostgreSQL 15 instance on loopback, in its own
// temporary directory, with trust authentication and the C.UTF-8 locale
// (byte-order collation, like pqdb).
type Postgres struct {
	bin, dir string
	port     int
	asPG     bool // run as the postgres user (we are root)
}

func (p *Postgres) command(name string, args ...string) *exec.Cmd {
	path := filepath.Join(p.bin, name)
	if p.asPG {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

// StartPostgres runs initdb and pg_ctl start.
func StartPostgres(bin string) (*Postgres, error) {
	p := &Postgres{bin: bin, asPG: os.Getuid() == 0}
	dir, err := os.MkdirTemp("", "difftest-pg15-")
	if err != nil {
		return nil, err
	}
	p.dir = dir
	if p.asPG {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root needs a postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	out, err := p.command("initdb", "-D", filepath.Join(dir, "data"), "--auth=trust", "--username=postgres",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync").CombinedOutput()
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	for attempt := 0; ; attempt++ {
		p.port, err = freePort()
		if err != nil {
			break
		}
		opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories=%s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB -c max_connections=20", p.port, dir)
		out, err = p.command("pg_ctl", "-D", filepath.Join(dir, "data"), "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60", "-o", opts, "start").CombinedOutput()
		if err == nil || attempt == 2 {
			break
		}
	}
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	return p, nil
}

// DSN is the connection string of the instance.
func (p *Postgres) DSN() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.port)
}

// Stop shuts the instance down and removes its directory.
func (p *Postgres) Stop() error {
	out, err := p.command("pg_ctl", "-D", filepath.Join(p.dir, "data"), "-m", "immediate", "-w", "stop").CombinedOutput()
	os.RemoveAll(p.dir)
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %v\n%s", err, out)
	}
	return nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// StartPqdb runs pqdb in-process over dataDir on a free loopback port.
func StartPqdb(dataDir string, logs io.Writer) (*server.Server, string, error) {
	if logs == nil {
		logs = io.Discard
	}
	srv, err := server.Start(server.Config{Listen: "127.0.0.1:0", DataDir: dataDir,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return nil, "", err
	}
	return srv, "postgres://difftest@" + srv.Addr() + "/pqdb?sslmode=disable", nil
}

// Result is what one statement returned, every value in the server's
// own text format.
type Result struct {
	Cols []string
	OIDs []uint32
	Rows [][]string // nullText for NULL
	Err  error
	// Code is the SQLSTATE of Err ("" without error; "timeout" when the
	// statement did not finish in time; "conn" when the connection broke).
	Code string
}

// nullText stands for NULL in Result.Rows.
const nullText = "\x00NULL"

// Conn is one session on a server; it reconnects (and restores its
// settings) when the connection breaks.
type Conn struct {
	Name     string
	dsn      string
	pc       *pgconn.PgConn
	settings map[string]string
	init     []string
	Timeout  time.Duration
	// Busy is the time spent in Run.
	Busy time.Duration
	// Slowest is the slowest statement and its time.
	Slowest     string
	SlowestTime time.Duration
}

// Connect opens a session and runs the init statements (session
// settings both servers need alike).
func Connect(name, dsn string, init ...string) (*Conn, error) {
	c := &Conn{Name: name, dsn: dsn, init: init, settings: map[string]string{}, Timeout: 30 * time.Second}
	return c, c.reconnect()
}

func (c *Conn) reconnect() error {
	if c.pc != nil {
		c.pc.Close(context.Background())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg, err := pgconn.ParseConfig(c.dsn)
	if err != nil {
		return fmt.Errorf("%s: %w", c.Name, err)
	}
	// A query past its timeout is cancelled on the server (CancelRequest)
	// before the connection is given up, so that it does not go on
	// running, and taking CPU from the rest of the run, after the client
	// left.
	cfg.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: 5 * time.Second}
	}
	pc, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("%s: connect: %w", c.Name, err)
	}
	c.pc = pc
	for _, s := range c.init {
		if r := c.Run(s); r.Err != nil {
			return fmt.Errorf("%s: %s: %w", c.Name, s, r.Err)
		}
	}
	for k, v := range c.settings {
		if r := c.Run(fmt.Sprintf("SET %s = %s", k, v)); r.Err != nil {
			return fmt.Errorf("%s: restoring %s: %w", c.Name, k, r.Err)
		}
	}
	return nil
}

// Close ends the session.
func (c *Conn) Close() {
	if c.pc != nil {
		c.pc.Close(context.Background())
	}
}

// Run executes one statement in the simple query protocol.
func (c *Conn) Run(sql string) Result { return c.run(sql, false) }

// RunExtended executes one statement in the extended query protocol
// (Parse, Describe, Bind, Execute, Sync), without parameters.
func (c *Conn) RunExtended(sql string) Result { return c.run(sql, true) }

func (c *Conn) run(sql string, extended bool) Result {
	ctx, cancel := context.WithTimeout(context.Background(), c.Timeout)
	defer cancel()
	t0 := time.Now()
	defer func() {
		d := time.Since(t0)
		c.Busy += d
		if d > c.SlowestTime {
			c.Slowest, c.SlowestTime = sql, d
		}
	}()
	var results []*pgconn.Result
	var err error
	if extended {
		results = []*pgconn.Result{c.pc.ExecParams(ctx, sql, nil, nil, nil, nil).Read()}
	} else {
		results, err = c.pc.Exec(ctx, sql).ReadAll()
	}
	var res Result
	if err == nil && len(results) > 0 {
		last := results[len(results)-1]
		err = last.Err
		for _, fd := range last.FieldDescriptions {
			res.Cols = append(res.Cols, fd.Name)
			res.OIDs = append(res.OIDs, fd.DataTypeOID)
		}
		for _, row := range last.Rows {
			vals := make([]string, len(row))
			for i, v := range row {
				if v == nil {
					vals[i] = nullText
				} else {
					vals[i] = string(v)
				}
			}
			res.Rows = append(res.Rows, vals)
		}
	}
	if err != nil {
		res.Err = err
		var pe *pgconn.PgError
		switch {
		case ctx.Err() != nil:
			// Past the timeout: the error is the server's answer to the
			// cancel request (57014) or the broken wait.
			res.Code = "timeout"
		case errors.As(err, &pe):
			res.Code = pe.Code
		default:
			res.Code = "conn"
		}
		if c.pc.IsClosed() {
			if rerr := c.reconnect(); rerr != nil {
				res.Err = fmt.Errorf("%w (and reconnecting failed: %v)", err, rerr)
			}
		}
	}
	return res
}

// Set changes a session setting when it differs from the current value.
func (c *Conn) Set(name, value string) error {
	if c.settings[name] == value {
		return nil
	}
	r := c.Run(fmt.Sprintf("SET %s = %s", name, value))
	if r.Err != nil {
		return r.Err
	}
	c.settings[name] = value
	return nil
}

// errText is an error's message for the report.
func errText(r Result) string {
	if r.Err == nil {
		return ""
	}
	var pe *pgconn.PgError
	if errors.As(r.Err, &pe) {
		return pe.Code + " " + pe.Message
	}
	return r.Code + " " + strings.TrimSpace(r.Err.Error())
}

// Reset returns settings to their defaults.
func (c *Conn) Reset(names ...string) {
	for _, n := range names {
		if _, ok := c.settings[n]; ok {
			c.Run("RESET " + n)
			delete(c.settings, n)
		}
	}
}
