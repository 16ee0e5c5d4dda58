package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseWorkloads(t *testing.T) {
	got, err := parseWorkloads("select1, tpch,copy,tpch")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"tpch", "copy", "select1"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v (allWorkloads' order, once each)", got, want)
	}
	if _, err := parseWorkloads("tpch,oltp"); err == nil {
		t.Error("an unknown workload was accepted")
	}
}

func TestCheckOptionsReuseLoadedServer(t *testing.T) {
	ok := options{workloads: []string{"tpch"}, pgbenchTime: time.Second, pgbenchRuns: 1, select1Time: time.Second, pgbenchScale: 1}
	ok.tpch.Runs, ok.tpch.Load = 1, true
	ok.tpch.PQDBDSN = "postgres://pqdb@127.0.0.1:56800/pqdb"
	if err := checkOptions(ok); err != nil {
		t.Fatalf("a -dsn run that loads: %v", err)
	}
	reuse := ok
	reuse.tpch.Load = false
	if err := checkOptions(reuse); err != nil {
		t.Fatalf("-load=false against -dsn: %v", err)
	}
	fresh := reuse
	fresh.startServer = "/tmp/pqdb-server"
	if err := checkOptions(fresh); err == nil || !strings.Contains(err.Error(), "-load=false") {
		t.Errorf("-load=false with -start-server (an empty server) was accepted: %v", err)
	}
	noRuns := ok
	noRuns.tpch.Runs = 0
	if err := checkOptions(noRuns); err == nil {
		t.Error("-runs 0 was accepted")
	}
}
