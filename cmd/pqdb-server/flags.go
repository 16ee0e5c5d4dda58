package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/pqdb/pqdb/server"
)

// flags are pqdb-server's command-line options as given, before run
// checks and converts them.
type flags struct {
	listen, dataDir, walDir, pprof  string
	tlsCert, tlsKey, tlsMode        string
	hba, users                      string
	maxConns                        int
	allowFiles, retention           string
	memoryLimit, cacheSize, tempDir string
	maxOpenFiles                    string
	hashUser                        string
	metricsListen, logFormat        string
	config                          string
	iceberg                         bool
}

// parseFlags reads args (the command line without the program name).
// Like the flag package's own command line it prints what is wrong and
// the usage to stderr, but it returns the error instead of exiting, and
// it refuses positional arguments: the flag package stops at the first
// one, so "pqdb-server stray --listen :6000" would otherwise start on
// the default address and data directory, silently ignoring --listen.
// The error is flag.ErrHelp for -h and --help.
func parseFlags(args []string, stderr io.Writer) (*flags, error) {
	fs := flag.NewFlagSet("pqdb-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &flags{}
	fs.StringVar(&f.listen, "listen", envOr("PQDB_LISTEN", "127.0.0.1:5432"), "address to listen on (env PQDB_LISTEN)")
	fs.StringVar(&f.dataDir, "data-dir", envOr("PQDB_DATA_DIR", "./pqdb-data"), "data directory, or an object store's URL for the tables, e.g. s3://bucket/prefix?endpoint=...&region=...&use_path_style=true (env PQDB_DATA_DIR)")
	fs.BoolVar(&f.iceberg, "iceberg", envOr("PQDB_ICEBERG", "on") != "off", "also publish every table as an Apache Iceberg v2 table in the data directory or bucket, for other engines to read; --iceberg=false turns it off (env PQDB_ICEBERG=off)")
	fs.StringVar(&f.walDir, "wal-dir", envOr("PQDB_WAL_DIR", ""), "local directory for the schemas' databases of commits not yet in the tables' files; needed when --data-dir is an object store (env PQDB_WAL_DIR; default: the data directory)")
	fs.StringVar(&f.pprof, "pprof", "", "serve Go's net/http/pprof profiles on this address (e.g. 127.0.0.1:6060)")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "PEM file with the server's TLS certificate (chain)")
	fs.StringVar(&f.tlsKey, "tls-key", "", "PEM file with the TLS certificate's private key")
	fs.StringVar(&f.tlsMode, "tls-mode", "prefer", "prefer: TLS for clients that ask; require: refuse clients without TLS")
	fs.StringVar(&f.hba, "hba", "", "pg_hba.conf-style rules file (default: trust loopback, refuse others)")
	fs.StringVar(&f.users, "users", "", "file of \"user verifier\" lines (SCRAM-SHA-256 or md5 verifiers)")
	fs.IntVar(&f.maxConns, "max-connections", server.DefaultMaxConnections, "maximum concurrent sessions (0: no limit)")
	fs.StringVar(&f.allowFiles, "allow-files", envOr("PQDB_ALLOW_FILES", ""), "directory whose files COPY ... FROM/TO 'file' and read_parquet may use (env PQDB_ALLOW_FILES; default: none)")
	fs.StringVar(&f.retention, "history-retention", envOr("PQDB_HISTORY_RETENTION", "24h"), "how long history stays readable by time travel and pqdb_history: a duration (90m, 36h, 7d), 0 for none, or forever (env PQDB_HISTORY_RETENTION)")
	fs.StringVar(&f.memoryLimit, "memory-limit", envOr("PQDB_MEMORY_LIMIT", "0"), "memory all running statements may hold together, e.g. 4GB (env PQDB_MEMORY_LIMIT; default 0: no limit)")
	fs.StringVar(&f.cacheSize, "cache-size", envOr("PQDB_CACHE_SIZE", "512MB"), "bytes of open Parquet segments (footers, page indexes) and hot segment data kept in memory, e.g. 2GB (env PQDB_CACHE_SIZE; 0: none)")
	fs.StringVar(&f.maxOpenFiles, "max-open-files", envOr("PQDB_MAX_OPEN_FILES", "0"), "most Parquet segments kept open (env PQDB_MAX_OPEN_FILES; default 0: a quarter of the open-file limit, 64 to 8192)")
	fs.StringVar(&f.tempDir, "temp-dir", envOr("PQDB_TEMP_DIR", ""), "directory for the temporary files of sorts, aggregates and joins that spill (env PQDB_TEMP_DIR; default: the system's temporary directory)")
	fs.StringVar(&f.hashUser, "hash-password", "", "read a password from stdin, print the users-file line for this user and exit")
	fs.StringVar(&f.metricsListen, "metrics-listen", envOr("PQDB_METRICS_LISTEN", ""), "serve Prometheus metrics at /metrics on this address, e.g. 127.0.0.1:9187 (env PQDB_METRICS_LISTEN; default: none)")
	fs.StringVar(&f.config, "config", envOr("PQDB_CONFIG", ""), "file of settings in postgresql.conf's syntax, every session's defaults (env PQDB_CONFIG)")
	fs.StringVar(&f.logFormat, "log-format", envOr("PQDB_LOG_FORMAT", "text"), "the server log's format on stderr: text or json (env PQDB_LOG_FORMAT)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var err error
	switch {
	case fs.NArg() > 0:
		err = fmt.Errorf("unexpected argument %q: pqdb-server takes only flags", fs.Arg(0))
	case f.logFormat != "text" && f.logFormat != "json":
		err = fmt.Errorf("invalid --log-format %q: text or json", f.logFormat)
	}
	if err != nil {
		fmt.Fprintln(fs.Output(), err)
		fs.Usage()
		return nil, err
	}
	return f, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
