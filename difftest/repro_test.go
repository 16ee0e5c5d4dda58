package difftest

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var flagRepro = flag.String("repro", "", "a reproduction script (as a finding prints it) for TestRepro to run on both servers")

// TestRepro runs a finding's reproduction script on a fresh pqdb and
// PostgreSQL 15 and prints both results of its last statement:
//
//	go test ./difftest -run TestRepro -repro /tmp/finding.sql -v
//
// Lines ending in "-- pqdb only" run on pqdb only.
func TestRepro(t *testing.T) {
	if *flagRepro == "" {
		t.Skip("no -repro script")
	}
	text, err := os.ReadFile(*flagRepro)
	if err != nil {
		t.Fatal(err)
	}
	bin := PGBinDir()
	if bin == "" {
		t.Skip("PostgreSQL 15 server binaries not found")
	}
	pg, err := StartPostgres(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Stop()
	srv, dsn, err := StartPqdb(dataDir(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	init := []string{"SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, MDY'", "SET extra_float_digits = 1"}
	pgc, err := Connect("postgres", pg.DSN(), init...)
	if err != nil {
		t.Fatal(err)
	}
	defer pgc.Close()
	pqc, err := Connect("pqdb", dsn, init...)
	if err != nil {
		t.Fatal(err)
	}
	defer pqc.Close()
	var last string
	var rpg, rpq Result
	for _, line := range strings.Split(string(text), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "--") {
			continue
		}
		pqOnly := strings.HasSuffix(line, "-- pqdb only")
		line = strings.TrimSpace(strings.TrimSuffix(line, "-- pqdb only"))
		for _, stmt := range strings.Split(line, "; ") {
			stmt = strings.TrimSuffix(strings.TrimSpace(stmt), ";")
			if stmt == "" {
				continue
			}
			last = stmt
			rpq = pqc.Run(stmt)
			if !pqOnly {
				rpg = pgc.Run(stmt)
			}
		}
	}
	t.Logf("%s\n%s", last, sideBySide(rpg.Rows, rpq.Rows, 50))
	if rpg.Err != nil || rpq.Err != nil {
		t.Logf("postgres: %s\npqdb: %s", errText(rpg), errText(rpq))
	}
	if d := CompareResults(rpg, rpq, strings.Contains(last, "ORDER BY")); d != "" {
		t.Errorf("difference:\n%s", d)
	}
}
