// Command pqdb-server runs pqdb: a PostgreSQL-compatible server whose
// tables live as Parquet files.
//
//	pqdb-server [--listen HOST:PORT] [--data-dir DIR|URL [--wal-dir DIR]] [--pprof HOST:PORT]
//	            [--tls-cert FILE --tls-key FILE [--tls-mode prefer|require]]
//	            [--hba FILE --users FILE] [--max-connections N]
//	            [--memory-limit SIZE] [--temp-dir DIR] [--allow-files DIR]
//	            [--history-retention DURATION] [--cache-size SIZE] [--max-open-files N]
//	            [--metrics-listen HOST:PORT] [--log-format text|json] [--config FILE] [--iceberg=false]
//	pqdb-server --hash-password USER < password
//
// PQDB_LISTEN and PQDB_DATA_DIR set the same options. SIGINT or SIGTERM
// finishes running statements, flushes everything to Parquet and exits.
//
// The tables can live on an object store: --data-dir s3://bucket/prefix
// (with gocloud.dev's URL parameters: endpoint, region, use_path_style;
// credentials from AWS's environment variables) and --wal-dir, a local
// directory for the schemas' SQLite databases, which hold the commits not
// yet flushed to the tables' files. One server uses a bucket at a time:
// it locks it (the object LOCK) until it exits.
//
// Every table is also published as an Apache Iceberg v2 table in the
// data directory or bucket, at the table's prefix, unless --iceberg=false:
// its metadata (<schema>/<table-id>/metadata/v<N>.metadata.json) names the
// table's Parquet segments and position delete files for its deleted
// rows, so that Spark, Trino, DuckDB or iceberg-go read exactly the rows
// of the table as of its last flush, published at most every ten seconds
// (CHECKPOINT flushes and publishes at once).
//
// Connection security:
//
//   - --tls-cert and --tls-key name PEM files with the server's certificate
//     (chain) and private key. With them, clients that ask for TLS get it
//     (sslmode=require, verify-ca, verify-full); without them, pqdb
//     answers that it does not encrypt. --tls-mode prefer (the default)
//     also serves clear-text clients; require refuses them with FATAL
//     28000, as PostgreSQL does when only hostssl rules match.
//   - --hba names a file of rules in the form of PostgreSQL's
//     pg_hba.conf: "host|hostssl|hostnossl database user address method",
//     first match wins, "all" matches anything, methods trust, reject,
//     password, md5 and scram-sha-256. The password method sends the
//     password unencrypted and is refused without TLS unless the rule adds
//     allow_plaintext=1. Without --hba, connections from the loopback
//     interface are trusted and all others refused.
//   - --users names a file of "user verifier" lines. Verifiers are
//     PostgreSQL's (pg_authid.rolpassword): SCRAM-SHA-256$... or md5...;
//     cleartext passwords are refused. --hash-password USER reads a
//     password from standard input and prints the line for USER.
//   - --max-connections (default 100) bounds concurrent sessions; one
//     more gets FATAL 53300 "sorry, too many clients already".
//   - --memory-limit (e.g. 4GB; default 0, no limit; env
//     PQDB_MEMORY_LIMIT) bounds the memory that all running statements'
//     sorts, hash tables and materialized inputs hold together. Sorts,
//     hash aggregates and hash joins past work_mem (default 64MB) spill
//     to temporary files instead of growing; a statement that would pass
//     the limit and cannot spill fails with 53200 "out of memory", and
//     its session goes on. --temp-dir (env PQDB_TEMP_DIR; default the
//     system's temporary directory) is where the server makes its
//     directory of those files, removed when it stops. With
//     --memory-limit, the Go runtime's soft memory limit is set to it
//     plus --cache-size plus 256MB, unless GOMEMLIMIT sets one.
//   - --history-retention (default 24h) is how far back time travel
//     (SET pqdb.as_of) and pqdb_history reach; older history is deleted.
//   - --cache-size (default 512MB; env PQDB_CACHE_SIZE) bounds the cache
//     of open Parquet segments (footers and page indexes) and of hot
//     segment bytes; 0 caches no bytes and closes segments once no
//     query reads them. --max-open-files (env PQDB_MAX_OPEN_FILES;
//     default a quarter of the process's open-file limit, from 64 to
//     8192) caps the segments kept open.
//
// Operations:
//
//   - --metrics-listen (env PQDB_METRICS_LISTEN) serves Prometheus
//     metrics at /metrics on that address (package metrics).
//   - --config (env PQDB_CONFIG) names a file of settings in
//     postgresql.conf's syntax (work_mem = '256MB', log_statement = ddl,
//     include 'other.conf'), every session's defaults; pg_settings shows
//     them with source "configuration file", their file and line.
//   - --log-format (env PQDB_LOG_FORMAT) writes the log on stderr as
//     text (the default) or JSON lines, the statement log
//     (log_statement, log_min_duration_statement) included.
//
// The Go collector lets a small live heap grow to four times its size
// between cycles, and a live heap of 128 MiB or more to twice its size,
// GOGC's default (internal/gcpace); GOGC in the environment replaces
// this with its own fixed setting.
//
// A wrong password gets FATAL 28P01 after a delay that doubles with each
// failure from the same address, up to five seconds.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pqdb/pqdb/engine"
	"github.com/pqdb/pqdb/internal/gcpace"
	"github.com/pqdb/pqdb/server"
	"github.com/pqdb/pqdb/storage"
	"github.com/pqdb/pqdb/wire"
)

func main() {
	os.Exit(run())
}

func run() int {
	f, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2 // parseFlags printed the error and the usage
	}
	if f.hashUser != "" {
		return hashPassword(f.hashUser, os.Stdin)
	}
	tlsMode, err := wire.ParseTLSMode(f.tlsMode)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pqdb-server:", err)
		return 2
	}
	memLimit, err := engine.ParseMemorySize(f.memoryLimit)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pqdb-server: --memory-limit:", err)
		return 2
	}
	if f.maxConns == 0 {
		f.maxConns = -1 // server.Config's "no limit"
	}
	cacheBytes, err := parseCacheSize(f.cacheSize)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pqdb-server: --cache-size:", err)
		return 2
	}
	openFiles, err := strconv.Atoi(f.maxOpenFiles)
	if err != nil || openFiles < 0 {
		fmt.Fprintf(os.Stderr, "pqdb-server: --max-open-files: invalid number %q\n", f.maxOpenFiles)
		return 2
	}
	keep, err := parseRetention(f.retention)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pqdb-server: --history-retention:", err)
		return 2
	}
	var fileSettings []engine.FileSetting
	if f.config != "" {
		if fileSettings, err = readConfigFile(f.config); err == nil {
			err = engine.CheckFileSettings(fileSettings)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "pqdb-server: --config:", err)
			return 2
		}
	}
	if soft, ok := softMemoryLimit(memLimit, cacheBytes, os.Getenv("GOMEMLIMIT")); ok {
		debug.SetMemoryLimit(soft)
	}
	// A small live heap gets more headroom than GOGC 100's, a large one
	// not (internal/gcpace); GOGC in the environment turns this off.
	defer gcpace.Start().Stop()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if f.logFormat == "json" {
		log = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	slog.SetDefault(log) // the engine's and storage's messages, the statement log
	srv, err := server.Start(server.Config{
		Listen: f.listen, DataDir: f.dataDir, WALDir: f.walDir, Logger: log,
		TLSCertFile: f.tlsCert, TLSKeyFile: f.tlsKey, TLSMode: tlsMode,
		HBAFile: f.hba, UsersFile: f.users, MaxConnections: f.maxConns,
		MemoryLimit: memLimit, TempDir: f.tempDir,
		AllowFiles: f.allowFiles, MetricsListen: f.metricsListen, Settings: fileSettings,
		Storage: storage.Options{HistoryRetention: keep, CacheSize: cacheBytes, MaxOpenFiles: openFiles, TempDir: f.tempDir, IdleTidy: idleTidy, Iceberg: f.iceberg},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "pqdb-server:", err)
		return 1
	}
	log.Info("pqdb is ready", "listen", srv.Addr(), "data_dir", f.dataDir, "tls", f.tlsCert != "", "tls_mode", tlsMode.String())
	if a := srv.MetricsAddr(); a != "" {
		log.Info("serving metrics", "url", "http://"+a+"/metrics")
	}
	if f.hba == "" && !isLoopback(srv.Addr()) {
		log.Warn("no --hba file: only connections from the loopback interface are accepted", "listen", srv.Addr())
	}
	if f.pprof != "" {
		// Waits matter as much as CPU to a server that waits on fsyncs,
		// row locks and the writer: sample blocking of 100µs or more and
		// one contended mutex in ten for /debug/pprof/block and /mutex.
		runtime.SetBlockProfileRate(100_000)
		runtime.SetMutexProfileFraction(10)
		go func() {
			if err := http.ListenAndServe(f.pprof, nil); err != nil {
				log.Error("pprof listener failed", "err", err)
			}
		}()
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	s := <-sig
	log.Info("shutting down", "signal", s.String())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "pqdb-server: shutdown:", err)
		return 1
	}
	return 0
}

// softMemoryHeadroom is what softMemoryLimit allows beyond the
// statements' and the cache's budgets: sessions, catalogs, writers'
// tails, flushes and the runtime itself.
const softMemoryHeadroom = 256 << 20

// softMemoryLimit is the Go runtime's soft memory limit for a server
// whose statements may hold memLimit bytes together (--memory-limit) and
// whose cache cacheBytes (--cache-size, negative for none): their sum
// and softMemoryHeadroom. A server that knows its budget tells the
// collector, which then collects harder as the heap nears it instead of
// letting the heap grow to twice its live size (GOGC): that headroom,
// not live data, is most of a bulk load's peak. ok is false without
// --memory-limit, or when GOMEMLIMIT (env) sets the limit itself.
func softMemoryLimit(memLimit, cacheBytes int64, env string) (int64, bool) {
	if memLimit <= 0 || env != "" {
		return 0, false
	}
	return memLimit + max(cacheBytes, 0) + softMemoryHeadroom, true
}

// parseCacheSize reads --cache-size as storage.Options.CacheSize wants
// it: a size as --memory-limit takes ("2GB"), 0 meaning no cache (which
// storage spells -1; its 0 is the default).
func parseCacheSize(v string) (int64, error) {
	n, err := engine.ParseMemorySize(v)
	if err != nil || n > 0 {
		return n, err
	}
	return -1, nil
}

// parseRetention reads --history-retention as storage.Options wants it:
// a Go duration or a number of days ("7d"); 0 keeps no history (the
// shortest retention), "forever" all of it.
func parseRetention(v string) (time.Duration, error) {
	switch v = strings.TrimSpace(v); {
	case v == "forever":
		return -1, nil
	case strings.HasSuffix(v, "d"):
		days, err := strconv.ParseFloat(strings.TrimSuffix(v, "d"), 64)
		if err != nil || days < 0 {
			return 0, fmt.Errorf("invalid retention %q", v)
		}
		return max(time.Duration(days*24*float64(time.Hour)), 1), nil
	}
	d, err := time.ParseDuration(v)
	if v == "0" {
		d, err = 0, nil
	}
	if err != nil || d < 0 {
		return 0, fmt.Errorf("invalid retention %q", v)
	}
	return max(d, 1), nil
}

// hashPassword prints the users-file line for user with a SCRAM-SHA-256
// verifier of the first line read from in.
func hashPassword(user string, in io.Reader) int {
	if f, ok := in.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprintf(os.Stderr, "Password for %s: ", user)
		}
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && err != io.EOF {
		fmt.Fprintln(os.Stderr, "pqdb-server:", err)
		return 1
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		fmt.Fprintln(os.Stderr, "pqdb-server: empty password")
		return 1
	}
	verifier, err := wire.SCRAMVerifier(password)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pqdb-server:", err)
		return 1
	}
	fmt.Printf("%s %s\n", user, verifier)
	return 0
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// idleTidy is how long a schema's writer waits with nothing to do before
// it flushes its tables' tails and merges their small segments
// (storage.Options.IdleTidy): long enough that a pause between
// statements of a write burst does not start it.
const idleTidy = time.Second
