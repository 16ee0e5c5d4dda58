package difftest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// FuzzGeneratedSQL is coverage-guided fuzzing over the query generator:
// the fuzz input is not SQL but the generator's random numbers
// (byteSource), so every input is a query the generator can make, and
// the fuzzer's mutations of the bytes change grammar choices locally
// (a join type, an operator, a constant) instead of breaking the
// syntax. It runs on pqdb alone, needs no PostgreSQL, and checks that
// nothing pqdb is asked fails with an internal error (XX000, how a
// panic of the binder, planner or executor reaches the client), breaks
// the connection, or outlives its statement_timeout by far (a cancel
// that is not heard).
//
// One input draws the session's TimeZone and execution configuration
// (pqdb.batch_rows, parallel workers), which of the fuzzSchemas to
// query, then either a query, or a transaction block with generated
// INSERT ... SELECT, UPDATE and DELETE statements and a query over the
// changed rows, rolled back at the end. A query is sometimes sent in
// the extended protocol (Parse, Describe, Bind, Execute), sometimes
// under EXPLAIN or EXPLAIN ANALYZE.
//
// The schemas and their data are loaded once per fuzzing process into a
// pqdb started in-process (StartPqdb), with tables of at most
// fuzzMaxRows rows, so that an input runs in milliseconds. Without
// -fuzz, go test runs the seeds below and the inputs saved in
// testdata/fuzz/FuzzGeneratedSQL (findings, kept as regression tests).
func FuzzGeneratedSQL(f *testing.F) {
	f.Add([]byte{})
	for i := range uint64(24) {
		r := rand.New(rand.NewPCG(i, 0xf022))
		b := make([]byte, 64+r.IntN(448))
		for j := range b {
			b[j] = byte(r.Uint64())
		}
		f.Add(b)
	}
	fz := startFuzzServer(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		fz.run(t, data)
	})
}

// fuzzSchemas are the seeds of the schemas FuzzGeneratedSQL loads (as
// TestDifferential's rounds draw theirs), and fuzzMaxRows the most rows
// a table keeps of what GenSchema drew.
var fuzzSchemas = []uint64{1, 2, 3}

const fuzzMaxRows = 60

// fuzzStatementTimeout is pqdb's statement_timeout; a statement that
// has not ended fuzzHangAfter later is taken for a hang.
const (
	fuzzStatementTimeout = "2s"
	fuzzHangAfter        = 30 * time.Second
)

type fuzzServer struct {
	conn    *Conn
	schemas []*Schema
}

// startFuzzServer starts pqdb in-process and loads the schemas. Their
// tables are renamed after the schema (a_t1, b_t1, ...) so that all of
// them live in one database.
func startFuzzServer(f *testing.F) *fuzzServer {
	srv, dsn, err := StartPqdb(dataDir(f), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close() })
	conn, err := Connect("pqdb", dsn, "SET DateStyle = 'ISO, MDY'", "SET extra_float_digits = 1",
		"SET statement_timeout = '"+fuzzStatementTimeout+"'", "SET pqdb.parallel_min_rows = 1")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(conn.Close)
	conn.Timeout = fuzzHangAfter
	fz := &fuzzServer{conn: conn}
	for i, seed := range fuzzSchemas {
		r := rand.New(rand.NewPCG(seed, 0xd1ff))
		s := GenSchema(r)
		for _, t := range s.Tables {
			t.Name = fmt.Sprintf("%c_%s", 'a'+i, t.Name)
			if t.Rows > fuzzMaxRows {
				t.Rows = fuzzMaxRows
				id := &t.Cols[0]
				id.Hi, id.Bound = fuzzMaxRows, fuzzMaxRows
			}
		}
		stmts := s.DDL()
		for _, st := range GenData(r, s) {
			stmts = append(stmts, st.SQL)
		}
		for _, sql := range stmts {
			if res := conn.Run(sql); res.Err != nil {
				f.Fatalf("%s: %v", sql, res.Err)
			}
		}
		fz.schemas = append(fz.schemas, s)
	}
	return fz
}

// run runs the statements data draws.
func (fz *fuzzServer) run(t *testing.T, data []byte) {
	r := rand.New(&byteSource{data: data, rest: rand.NewPCG(0xf022, 0)})
	c := fz.conn
	settings := []string{
		"TimeZone", quote(roundZones[r.IntN(len(roundZones))]),
		"pqdb.batch_rows", fmt.Sprint(batchRowsChoices[r.IntN(len(batchRowsChoices))]),
		"max_parallel_workers_per_gather", fmt.Sprint(r.IntN(5)),
	}
	for i := 0; i < len(settings); i += 2 {
		if err := c.Set(settings[i], settings[i+1]); err != nil {
			t.Fatalf("SET %s = %s: %v", settings[i], settings[i+1], err)
		}
	}
	config := strings.Join(settings, " ")
	s := fz.schemas[r.IntN(len(fz.schemas))]
	var stmts []string
	block := r.IntN(3) == 0
	if block {
		stmts = append(stmts, "BEGIN")
		for range 1 + r.IntN(2) {
			stmts = append(stmts, genDML(newGen(r, s)))
		}
	}
	q, _, _ := GenQuery(r, s)
	sql := q.SQL()
	switch r.IntN(10) {
	case 0:
		sql = "EXPLAIN " + sql
	case 1:
		sql = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql
	}
	stmts = append(stmts, sql)
	extended := r.IntN(2) == 0
	for _, sql := range stmts {
		var res Result
		if extended {
			res = c.RunExtended(sql)
		} else {
			res = c.Run(sql)
		}
		if testing.Verbose() {
			t.Logf("%s: %s rows=%d", sql, errText(res), len(res.Rows))
		}
		switch res.Code {
		case "XX000":
			t.Errorf("internal error: %s\nin %s\nafter %q\nunder %s, extended protocol %v", errText(res), sql, stmts, config, extended)
		case "timeout", "conn":
			t.Errorf("%s: %s\nin %s\nafter %q\nunder %s, extended protocol %v", res.Code, errText(res), sql, stmts, config, extended)
		}
	}
	if block {
		if res := c.Run("ROLLBACK"); res.Err != nil {
			t.Fatalf("ROLLBACK: %v", res.Err)
		}
	}
}

// genDML makes an INSERT ... SELECT, UPDATE or DELETE on one of the
// schema's tables, with generated expressions and predicates, sometimes
// with RETURNING.
func genDML(g *gen) string {
	t := g.s.Tables[g.r.IntN(len(g.s.Tables))]
	alias, sc := g.subScope(nil, t)
	var sql string
	switch g.r.IntN(3) {
	case 0:
		sql = fmt.Sprintf("DELETE FROM %s AS %s WHERE %s", t.Name, alias, g.pred(sc, 1+g.r.IntN(2)))
	case 1:
		col := t.Cols[1+g.r.IntN(len(t.Cols)-1)]
		sql = fmt.Sprintf("UPDATE %s AS %s SET %s = %s", t.Name, alias, col.Name, g.expr(sc, col.Type.Kind, g.r.IntN(3)).SQL)
		if !g.oneIn(4) {
			sql += " WHERE " + g.pred(sc, 1+g.r.IntN(2))
		}
	default:
		var names []string
		var kinds []Kind
		for _, i := range g.r.Perm(len(t.Cols))[:1+g.r.IntN(len(t.Cols))] {
			names = append(names, t.Cols[i].Name)
			kinds = append(kinds, t.Cols[i].Type.Kind)
		}
		sel, _ := g.simpleSelect(nil, kinds)
		sql = fmt.Sprintf("INSERT INTO %s (%s) %s", t.Name, strings.Join(names, ", "), sel.SQL())
		if g.oneIn(2) {
			sql += " LIMIT " + fmt.Sprint(g.r.IntN(20))
		}
	}
	if g.oneIn(3) {
		sql += " RETURNING *"
	}
	return sql
}

// byteSource is a rand.Source that reads its numbers from a fuzz input,
// one byte each, then from rest. The byte is repeated through the
// number, so that every way math/rand/v2 reduces a number (its high
// bits for IntN, its low bits for a power of two and for Float64) sees
// it, and the draw of IntN(n) is about byte/256 of n.
type byteSource struct {
	data []byte
	rest rand.Source
}

func (s *byteSource) Uint64() uint64 {
	if len(s.data) == 0 {
		return s.rest.Uint64()
	}
	b := s.data[0]
	s.data = s.data[1:]
	return uint64(b) * 0x0101010101010101
}
