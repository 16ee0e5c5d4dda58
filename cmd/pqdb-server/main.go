// Command pqdb-server runs pqdb: a PostgreSQL-compatible server whose
// tables live as Parquet files.
//
//	pqdb-server [--listen HOST:PORT] [--data-dir DIR] [--pprof HOST:PORT]
//
// PQDB_LISTEN and PQDB_DATA_DIR set the same options. SIGINT or SIGTERM
// finishes running statements, flushes everything to Parquet and exits.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/pqdb/pqdb/server"
)

func main() {
	os.Exit(run())
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run() int {
	listen := flag.String("listen", envOr("PQDB_LISTEN", "127.0.0.1:5432"), "address to listen on (env PQDB_LISTEN)")
	dataDir := flag.String("data-dir", envOr("PQDB_DATA_DIR", "./pqdb-data"), "data directory (env PQDB_DATA_DIR)")
	pprofAddr := flag.String("pprof", "", "serve Go's net/http/pprof profiles on this address (e.g. 127.0.0.1:6060)")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv, err := server.Start(server.Config{Listen: *listen, DataDir: *dataDir, Logger: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, "pqdb-server:", err)
		return 1
	}
	log.Info("pqdb is ready", "listen", srv.Addr(), "data_dir", *dataDir)
	if *pprofAddr != "" {
		go func() {
			if err := http.ListenAndServe(*pprofAddr, nil); err != nil {
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
