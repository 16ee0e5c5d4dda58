package suite

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pqdb/pqdb/bench/tpch"
)

func TestGeomean(t *testing.T) {
	for _, c := range []struct {
		ratios []float64
		want   float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{2, 0.5}, 1},
		{[]float64{4, 1}, 2},
		{[]float64{1, 2, 4}, 2},
		{[]float64{2, 0}, 0}, // a zero is no ratio: no geomean rather than a wrong one
	} {
		if got := Geomean(c.ratios); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Geomean(%v) = %v, want %v", c.ratios, got, c.want)
		}
	}
}

func TestSummaryTable(t *testing.T) {
	rows := []Row{
		{Workload: "TPC-H SF1 Q1", Unit: "ms", Figures: map[string]float64{EnginePQDB: 656.04, EngineDuckDB: 316}, Ratio: 656.04 / 316, Against: EngineDuckDB,
			Target: "≤ 2× DuckDB, answer equal", Verdict: missed("")},
		{Workload: "COPY lineitem SF1 (FORMAT csv)", Unit: "rows/s", Figures: map[string]float64{EngineDuckDB: 4100000.4}, Failed: "22P04",
			Target: "≥ 2 M rows/s", Verdict: missed("pqdb did not load"), PeakRSS: 300 << 20, PeakRSSLifetime: true},
		{Workload: "SELECT 1", Unit: "queries/s", Figures: map[string]float64{EnginePQDB: 10873, EngineMock: 25956}, Ratio: 10873.0 / 25956, Against: EngineMock,
			Verdict: unjudged("why"), PeakRSS: 52 << 20},
	}
	want := `| workload                       | unit      | pqdb          | DuckDB    | pgproto3 mock | pqdb ratio   | target                    | met                    | pqdb peak RSS      |
|--------------------------------|-----------|---------------|-----------|---------------|--------------|---------------------------|------------------------|--------------------|
| TPC-H SF1 Q1                   | ms        | 656.0         | 316.0     | —             | 2.08× DuckDB | ≤ 2× DuckDB, answer equal | no                     | —                  |
| COPY lineitem SF1 (FORMAT csv) | rows/s    | FAILED: 22P04 | 4,100,000 | —             | —            | ≥ 2 M rows/s              | no (pqdb did not load) | 300 MiB (lifetime) |
| SELECT 1                       | queries/s | 10,873        | —         | 25,956        | 0.42× mock   | —                         | n/a (why)              | 52 MiB             |
`
	got := SummaryTable(rows)
	if got != want {
		t.Errorf("SummaryTable:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(got, "PostgreSQL") {
		t.Errorf("a table without PostgreSQL figures has a PostgreSQL column")
	}
}

// outcomes makes n answered queries at ratio r.
func outcomes(n int, r float64) []QueryOutcome {
	qs := make([]QueryOutcome, n)
	for i := range qs {
		qs[i] = QueryOutcome{Name: tpch.Queries[i].Name, Ratio: r}
	}
	return qs
}

func TestTPCHTarget(t *testing.T) {
	slowQ9 := outcomes(22, 0.9)
	slowQ9[8].Ratio = 2.5
	failedQ4 := outcomes(22, 0.4)
	failedQ4[3] = QueryOutcome{Name: "Q4", Failed: true}
	wrongQ2 := outcomes(22, 0.4)
	wrongQ2[1].Mismatch = true
	for _, c := range []struct {
		name    string
		sf      int64
		queries []QueryOutcome
		rss     int64
		want    string
	}{
		{"both stages", 1, outcomes(22, 0.4), 0, "yes (both stages)"},
		{"first stage", 1, outcomes(22, 0.9), 0, "yes (first stage; ≤ 0.5× not yet)"},
		{"at the limits", 1, outcomes(22, 1.0), 0, "yes (first stage; ≤ 0.5× not yet)"},
		{"geomean above 1", 1, outcomes(22, 1.2), 0, "no (geomean 1.20×)"},
		{"one query above 2x", 1, slowQ9, 0, "no (above 2×: Q9)"},
		{"a failed query", 1, failedQ4, 0, "no (Q4 failed)"},
		{"a wrong answer", 1, wrongQ2, 0, "no (Q2 wrong answer)"},
		{"a subset", 1, outcomes(2, 0.4), 0, "n/a (2 of 22 queries run)"},
		{"a slow subset is a miss", 1, outcomes(2, 3), 0, "no (geomean 3.00×; above 2×: Q1, Q2)"},
		{"SF10 met", 10, outcomes(22, 0.9), 3 << 30, "yes"},
		{"SF10 over 4 GiB", 10, outcomes(22, 0.9), 5 << 30, "no (peak RSS 5120 MiB)"},
		{"SF10 queries above 2x are allowed", 10, slowQ9, 3 << 30, "yes"},
		{"SF10 without RSS", 10, outcomes(22, 0.9), 0, "n/a (peak RSS not measured (use -start-server))"},
		{"SF2", 2, outcomes(22, 0.9), 0, "n/a (the issue sets targets at SF1 and SF10, not SF2)"},
	} {
		_, v := TPCHTarget(c.sf, c.queries, c.rss)
		if v.String() != c.want {
			t.Errorf("%s: %q, want %q", c.name, v, c.want)
		}
	}
}

func TestTPCHQueryTarget(t *testing.T) {
	for _, c := range []struct {
		sf   int64
		q    QueryOutcome
		want string
	}{
		{1, QueryOutcome{Ratio: 2}, "yes"},
		{1, QueryOutcome{Ratio: 2.01}, "no"},
		{10, QueryOutcome{Ratio: 2.01}, "yes"}, // SF10 sets no per-query limit
		{1, QueryOutcome{Ratio: 0.1, Mismatch: true}, "no (wrong answer)"},
		{10, QueryOutcome{Ratio: 0.1, Mismatch: true}, "no (wrong answer)"},
		{1, QueryOutcome{Failed: true}, "no (failed)"},
	} {
		if _, v := TPCHQueryTarget(c.sf, c.q); v.String() != c.want {
			t.Errorf("SF%d %+v: %q, want %q", c.sf, c.q, v, c.want)
		}
	}
}

func TestCopyTarget(t *testing.T) {
	for _, c := range []struct {
		format     string
		pqdb, pg   float64
		wantVerdic string
	}{
		{"csv", 2.5e6, 0.5e6, "yes"},
		{"binary", 2e6, 0.5e6, "yes"},
		{"csv", 1.9e6, 0.4e6, "no (below 2 M rows/s)"},
		{"csv", 2.5e6, 0.7e6, "no (below 4× PostgreSQL)"},
		{"binary", 1e6, 0.5e6, "no (below 2 M rows/s; below 4× PostgreSQL)"},
		{"csv", 2.5e6, 0, "n/a (no PostgreSQL figure)"},
		{"csv", 0, 0.5e6, "no (pqdb did not load)"},
		{"text", 9e6, 0.5e6, "n/a (the issue sets targets for CSV and binary)"},
	} {
		if _, v := CopyTarget(c.format, c.pqdb, c.pg); v.String() != c.wantVerdic {
			t.Errorf("%s %v vs %v: %q, want %q", c.format, c.pqdb, c.pg, v, c.wantVerdic)
		}
	}
}

func TestPgbenchTarget(t *testing.T) {
	for _, c := range []struct {
		tpcb     bool
		pqdb, pg float64
		failed   int64
		want     string
	}{
		{true, 500, 500, 0, "yes"},
		{true, 499, 500, 0, "no (below 1.0×)"},
		{true, 600, 500, 3, "no (3 failed)"},
		{false, 600, 500, 3, "yes"}, // the select-only target says nothing of failures
		{false, 600, 0, 0, "n/a (no PostgreSQL figure)"},
		{false, 0, 500, 0, "no (pqdb did not run)"},
	} {
		if _, v := PgbenchTarget(c.tpcb, c.pqdb, c.pg, c.failed); v.String() != c.want {
			t.Errorf("%+v: %q, want %q", c, v, c.want)
		}
	}
}

func TestSelect1Target(t *testing.T) {
	for _, c := range []struct {
		pqdb, mock float64
		want       string
	}{
		{80, 100, "yes"},
		{79, 100, "no"},
		{80, 0, "n/a (no mock figure)"},
		{0, 100, "no (pqdb did not run)"},
	} {
		if _, v := Select1Target(c.pqdb, c.mock); v.String() != c.want {
			t.Errorf("%+v: %q, want %q", c, v, c.want)
		}
	}
}

func TestTPCHRows(t *testing.T) {
	ms := time.Millisecond
	engine := func(name string, medians map[string]time.Duration) *tpch.EngineReport {
		return &tpch.EngineReport{Name: name, Medians: medians, QueryErrs: map[string]error{}, Diffs: map[string][]string{}}
	}
	duck := engine(EngineDuckDB, map[string]time.Duration{"Q1": 100 * ms, "Q2": 10 * ms, "Q3": 50 * ms})
	pqdb := engine(EnginePQDB, map[string]time.Duration{"Q1": 400 * ms, "Q2": 10 * ms})
	pqdb.QueryErrs["Q3"] = &pgconn.PgError{Code: "0A000", Message: "not supported"}
	pg := engine(EnginePostgreSQL, map[string]time.Duration{"Q1": 900 * ms, "Q2": 5 * ms, "Q3": 60 * ms})
	report := &tpch.RunReport{Engines: []*tpch.EngineReport{duck, pqdb, pg}}
	queries := []tpch.Query{tpch.Q1, tpch.Q2, tpch.Q3}
	rows := TPCHRows(1, queries, report, Peak{Bytes: 1 << 30})
	if len(rows) != 4 {
		t.Fatalf("%d rows, want one per query and the geomean", len(rows))
	}
	q1 := rows[0]
	if q1.Figures[EnginePQDB] != 400 || q1.Figures[EngineDuckDB] != 100 || q1.Figures[EnginePostgreSQL] != 900 || q1.Ratio != 4 || q1.Verdict.Met {
		t.Errorf("Q1 row %+v", q1)
	}
	if rows[1].Ratio != 1 || !rows[1].Verdict.Met {
		t.Errorf("Q2 row %+v", rows[1])
	}
	if rows[2].Failed != "0A000" || rows[2].Ratio != 0 || rows[2].Verdict.Met {
		t.Errorf("Q3 row %+v", rows[2])
	}
	sum := rows[3]
	if sum.Workload != "TPC-H SF1 geomean (2 of 3 answered)" || sum.Ratio != 2 || sum.PeakRSS != 1<<30 {
		t.Errorf("geomean row %+v", sum)
	}
	if sum.Verdict.String() != "no (Q3 failed; geomean 2.00×; above 2×: Q1)" {
		t.Errorf("geomean verdict %q", sum.Verdict)
	}
}

func TestParsePgbench(t *testing.T) {
	out := `pgbench (15.18 (Debian 15.18-0+deb12u1))
starting vacuum...end.
transaction type: <builtin: TPC-B (sort of)>
scaling factor: 1
query mode: prepared
number of clients: 4
number of threads: 2
maximum number of tries: 1
duration: 5 s
number of transactions actually processed: 2077
number of failed transactions: 3 (0.144%)
latency average = 9.621 ms
initial connection time = 4.123 ms
tps = 415.767001 (without initial connection time)
`
	r, err := ParsePgbench(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.TPS != 415.767001 || r.Processed != 2077 || r.Failed != 3 {
		t.Errorf("%+v", r)
	}
	if _, err := ParsePgbench("pgbench: error: connection refused\n"); err == nil {
		t.Error("a report without tps parsed")
	}
}

func TestShellQuote(t *testing.T) {
	got := ShellQuote([]string{"-sf", "1", "-pg-dsn", "postgres://u@h:1/db?sslmode=disable", "-server-args", "--cache-size 1GB", "it's", ""})
	want := `-sf 1 -pg-dsn 'postgres://u@h:1/db?sslmode=disable' -server-args '--cache-size 1GB' 'it'\''s' ''`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestFailureWord(t *testing.T) {
	wrong := errors.Join(errors.New("context"), errWrongAnswer{[]string{"row 1"}})
	if got := failureWord(wrong); got != "wrong answer" {
		t.Errorf("failureWord(wrong answer) = %q", got)
	}
	if got := failureWord(&pgconn.PgError{Code: "22P04"}); got != "22P04" {
		t.Errorf("failureWord(22P04) = %q", got)
	}
}

func TestReportMarkdown(t *testing.T) {
	r := Report{
		Date:          time.Date(2026, 12, 5, 3, 4, 0, 0, time.UTC),
		Command:       "cd bench && go run ./cmd/bench -sf 1",
		Machine:       tpch.Machine{CPUs: 2, CPUModel: "AMD EPYC", MemoryGiB: 23.5, OS: "linux/amd64", GoVersion: "go1.26.8"},
		Engines:       []string{"DuckDB v1.5.6", "PostgreSQL 15.18"},
		Rows:          []Row{{Workload: "SELECT 1", Unit: "queries/s", Figures: map[string]float64{EnginePQDB: 10, EngineMock: 20}, Ratio: 0.5, Against: EngineMock}},
		ClientPeakRSS: 3 << 30,
	}
	md := r.Markdown()
	for _, want := range []string{
		"## Issue 10 workloads (2026-12-05 03:04 UTC)",
		"Command: `cd bench && go run ./cmd/bench -sf 1`",
		"Machine: 2 CPUs (nproc), AMD EPYC, 23.5 GiB RAM, linux/amd64, go1.26.8",
		"Engines: DuckDB v1.5.6; PostgreSQL 15.18",
		"| SELECT 1 | queries/s | 10   | 20            | 0.50× mock |",
		"(data generation and DuckDB, in-process): 3072 MiB.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q:\n%s", want, md)
		}
	}
}

func TestMedianTPS(t *testing.T) {
	rs := func(tps ...float64) []PgbenchResult {
		var out []PgbenchResult
		for _, v := range tps {
			out = append(out, PgbenchResult{TPS: v})
		}
		return out
	}
	for _, c := range []struct {
		results []PgbenchResult
		runs    int
		want    float64
		ok      bool
	}{
		{rs(5, 1, 3), 3, 3, true},
		{rs(4, 1, 3, 2), 4, 2.5, true},
		{rs(7), 1, 7, true},
		{rs(5, 1), 3, 0, false}, // a run failed
		{nil, 1, 0, false},
	} {
		got, ok := medianTPS(c.results, c.runs)
		if got != c.want || ok != c.ok {
			t.Errorf("medianTPS(%v, %d) = %v, %v; want %v, %v", c.results, c.runs, got, ok, c.want, c.ok)
		}
	}
}
