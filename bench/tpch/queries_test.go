package tpch

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// queryDuckDBAnswers are DuckDB's answers to the 22 queries over the fixture,
// computed once for the tests that compare against them.
func queryDuckDBAnswers(t *testing.T) map[string]Result {
	t.Helper()
	d := openFixtureDuckDB(t)
	answers := map[string]Result{}
	for _, q := range Queries {
		res, _, err := d.Run(context.Background(), q)
		if err != nil {
			t.Fatalf("DuckDB cannot run %s: %v", q.Name, err)
		}
		answers[q.Name] = res
	}
	return answers
}

// TestDuckDBAnswersAllQueries runs the 22 queries on the reference engine and
// checks their shape, so a typo in a query text shows up here rather than as
// a disagreement between engines.
func TestDuckDBAnswersAllQueries(t *testing.T) {
	answers := queryDuckDBAnswers(t)
	wantColumns := map[string]int{
		"Q1": 10, "Q2": 8, "Q3": 4, "Q4": 2, "Q5": 2, "Q6": 1, "Q7": 4, "Q8": 2, "Q9": 3, "Q10": 8, "Q11": 2,
		"Q12": 3, "Q13": 2, "Q14": 1, "Q15": 5, "Q16": 4, "Q17": 1, "Q18": 6, "Q19": 1, "Q20": 2, "Q21": 2, "Q22": 3,
	}
	for _, q := range Queries {
		res := answers[q.Name]
		if len(res.Columns) != wantColumns[q.Name] {
			t.Errorf("%s: %d columns, want %d", q.Name, len(res.Columns), wantColumns[q.Name])
		}
		if len(res.Rows) == 0 {
			t.Errorf("%s: no rows over the fixture, so comparing it proves little", q.Name)
		}
	}
	// Q4 counts orders of the five priorities; Q13 counts every customer once.
	if n := len(answers["Q4"].Rows); n != 5 {
		t.Errorf("Q4: %d priorities, want 5", n)
	}
	var customers int64
	for _, r := range answers["Q13"].Rows {
		var n int64
		for _, c := range r[1].Text {
			n = n*10 + int64(c-'0')
		}
		customers += n
	}
	if customers != fixture.rows["customer"] {
		t.Errorf("Q13 counts %d customers, want %d", customers, fixture.rows["customer"])
	}
}

// fixtureQueryTimeout bounds each query on the server: DuckDB answers any of
// them over the fixture in under a second, so a query that takes longer than
// this is failed rather than left to run into go test's own timeout. It is
// generous because Q2 reads only the dimension tables, which are whole SF1
// tables even in the fixture.
const fixtureQueryTimeout = time.Minute

// TestServerAnswersEqualDuckDB runs all 22 queries on the loaded server (pqdb
// built from this repository unless PQDB_BENCH_DSN names another) and compares
// every answer with DuckDB's by the benchmark's rules. A query the server
// cannot run fails its subtest with the SQLSTATE.
func TestServerAnswersEqualDuckDB(t *testing.T) {
	srv := fixtureServer(t)
	answers := queryDuckDBAnswers(t)
	for _, q := range Queries {
		t.Run(q.Name, func(t *testing.T) {
			if srv.Closed() {
				// A timed-out query makes pgx close its session.
				srv = fixtureServer(t)
			}
			ctx, cancel := context.WithTimeout(context.Background(), queryBudget(t))
			defer cancel()
			got, _, err := srv.Run(ctx, q)
			if err != nil {
				var pgErr *pgconn.PgError
				switch {
				case errors.As(err, &pgErr):
					t.Fatalf("SQLSTATE %s: %s", pgErr.Code, pgErr.Message)
				case ctx.Err() != nil:
					t.Fatalf("no answer within %v: %v", queryBudget(t), err)
				}
				t.Fatal(err)
			}
			if diffs := Compare(answers[q.Name], got); len(diffs) > 0 {
				t.Errorf("answer differs from DuckDB's:\n  %s\nserver:\n%sDuckDB:\n%s",
					strings.Join(diffs, "\n  "), got.Format(), answers[q.Name].Format())
			}
		})
	}
}

// queryBudget is fixtureQueryTimeout, cut short so that the test ends before
// go test's -timeout panics and loses every result.
func queryBudget(t *testing.T) time.Duration {
	budget := fixtureQueryTimeout
	if deadline, ok := t.Deadline(); ok {
		budget = min(budget, time.Until(deadline)-30*time.Second)
	}
	return max(budget, time.Second)
}

func TestSelectQueries(t *testing.T) {
	for list, want := range map[string]string{
		"":           strings.Join(queryNames(Queries), ","),
		"1,6,13":     "Q1,Q6,Q13",
		"q13, Q1 ,6": "Q1,Q6,Q13",
		"22,22":      "Q22",
	} {
		got, err := SelectQueries(list)
		if err != nil || strings.Join(queryNames(got), ",") != want {
			t.Errorf("SelectQueries(%q) = %v, %v; want %s", list, queryNames(got), err, want)
		}
	}
	for _, bad := range []string{"0", "23", "x", "1,,2"} {
		if _, err := SelectQueries(bad); err == nil {
			t.Errorf("SelectQueries(%q) succeeded", bad)
		}
	}
}

func queryNames(qs []Query) []string {
	var names []string
	for _, q := range qs {
		names = append(names, q.Name)
	}
	return names
}
