package engine

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/storage"
)

// Config configures an Engine.
type Config struct {
	// DataDir is where the namespaces live (see storage).
	DataDir string
	// Storage tunes flushing; zero values take storage's defaults.
	Storage storage.Options
	// PasswordVerifier turns a password given in CREATE/ALTER ROLE into
	// the verifier stored for it (SCRAM-SHA-256); the protocol layer that
	// checks passwords provides it.
	PasswordVerifier func(user, password string) (string, error)
	// AllowFiles is the one directory whose files COPY ... FROM/TO a file
	// and read_parquet may read and write (file_access.go); "" refuses
	// every server-side file.
	AllowFiles string
	// MemoryLimit bounds the bytes all running statements hold together
	// (memory_settings.go); 0 means no limit.
	MemoryLimit int64
	// TempDir is where the engine makes its directory of temporary files;
	// "" means os.TempDir().
	TempDir string
	// ObserveStatement, if set, hears of every statement as it ends
	// (observe.go).
	ObserveStatement StatementObserver
	// FileSettings are the settings of a configuration file, every
	// session's defaults (file_settings.go).
	FileSettings []FileSetting
}

// Engine is one database: the store and the sessions using it.
type Engine struct {
	store    *storage.Store
	sessions atomic.Int64
	// observe hears of every statement (observe.go).
	observe StatementObserver
	// fileSettings are the configuration file's settings by name (the
	// last line of each), fileSettingList all of them in order.
	fileSettings    map[string]FileSetting
	fileSettingList []FileSetting
	// live counts the sessions not yet closed, which Close waits for (a
	// closing session drops its temporary schema); closed is set once
	// Close stops waiting.
	live   sync.WaitGroup
	closed atomic.Bool

	mu    sync.Mutex
	byPID map[uint32]*Session // for pg_cancel_backend and pg_terminate_backend

	verifier func(user, password string) (string, error)

	// started is when the engine opened: pg_postmaster_start_time.
	started time.Time
	// memory is the server's memory budget, shared by every statement;
	// tempDir the directory of their temporary files, which tempLock
	// keeps this engine's (temp_dir.go).
	memory   *exec.MemoryBudget
	tempDir  string
	tempLock *os.File

	// files is the --allow-files directory, its symlinks resolved; ""
	// when server-side files are refused.
	files string
}

// Open opens (or creates) the database in cfg.DataDir.
func Open(cfg Config) (*Engine, error) {
	if cfg.Storage.IndexKeys == nil {
		cfg.Storage.IndexKeys = indexKeys
	}
	files, err := allowedDir(cfg.AllowFiles)
	if err != nil {
		return nil, err
	}
	fileSettingList, fileSettings, err := checkFileSettings(cfg.FileSettings)
	if err != nil {
		return nil, err
	}
	st, err := storage.Open(cfg.DataDir, cfg.Storage)
	if err != nil {
		return nil, err
	}
	tempDir, tempLock, err := openTempDir(cfg.TempDir)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("cannot make the directory of temporary files: %w", err)
	}
	e := &Engine{store: st, byPID: map[uint32]*Session{}, verifier: cfg.PasswordVerifier, started: time.Now(), files: files, observe: cfg.ObserveStatement, fileSettings: fileSettings, fileSettingList: fileSettingList,
		memory: exec.NewMemoryBudget(cfg.MemoryLimit), tempDir: tempDir, tempLock: tempLock}
	if err := e.dropLeftoverTempSchemas(); err != nil {
		st.Close()
		e.removeTempDir()
		return nil, err
	}
	return e, nil
}

// Close flushes every namespace to Parquet and closes the store. The
// protocol layer closes the sessions first; Close waits a while for them
// to finish (a session drops its temporary tables as it closes), and a
// session that closes later leaves them to the next Open.
func (e *Engine) Close() error {
	done := make(chan struct{})
	go func() {
		e.live.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
	}
	e.closed.Store(true)
	e.removeTempDir()
	return e.store.Close()
}

// removeTempDir removes the engine's temporary directory and lets its
// lock go.
func (e *Engine) removeTempDir() {
	os.RemoveAll(e.tempDir)
	e.tempLock.Close()
}

// NewSession starts a session for a connection that completed startup.
func (e *Engine) NewSession(info StartupInfo) (*Session, error) {
	s, err := newSession(e, info)
	if err != nil {
		return nil, err
	}
	e.sessions.Add(1)
	e.live.Add(1)
	e.mu.Lock()
	e.byPID[info.ProcessID] = s
	e.mu.Unlock()
	noteBackendStart(s)
	return s, nil
}
