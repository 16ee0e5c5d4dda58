package server

import (
	"encoding/binary"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
)

// A kept plan of constants runs the operators its last run ran, re-opened
// (engine.lowerQuery): every run must still produce all its rows, fresh
// volatile values, and its own errors.
func TestKeptConstantPlanRunsAgain(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		for run := range 3 {
			rows, err := conn.Query(ctx(t), "SELECT x, x * 2 FROM (VALUES (1), (2), (3)) v(x) WHERE x <> 2", mode)
			if err != nil {
				t.Fatal(err)
			}
			got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]int32, error) {
				var v [2]int32
				return v, r.Scan(&v[0], &v[1])
			})
			if err != nil || !slices.Equal(got, [][2]int32{{1, 2}, {3, 6}}) {
				t.Fatalf("mode %v run %d: %v %v", mode, run, got, err)
			}
			if tag := rows.CommandTag().String(); tag != "SELECT 2" {
				t.Fatalf("mode %v run %d: tag %q", mode, run, tag)
			}
		}
		seen := map[float64]bool{}
		for range 5 {
			var f float64
			if err := conn.QueryRow(ctx(t), "SELECT random()", mode).Scan(&f); err != nil {
				t.Fatal(err)
			}
			seen[f] = true
		}
		if len(seen) < 2 {
			t.Fatalf("mode %v: random() gave %v in five runs", mode, seen)
		}
		for run := range 3 {
			var n int32
			err := conn.QueryRow(ctx(t), "SELECT 1 / (random() * 0)::int", mode).Scan(&n)
			if code := sqlstate(err); code != "22012" {
				t.Fatalf("mode %v run %d: %v (%s)", mode, run, err, code)
			}
		}
		var one int32
		if err := conn.QueryRow(ctx(t), "SELECT 1", mode).Scan(&one); err != nil || one != 1 {
			t.Fatalf("mode %v: SELECT 1 after errors: %d %v", mode, one, err)
		}
	}
}

// A prepared statement's runs reuse its row encoder and its encoded
// RowDescription only for the result formats they were made for: runs
// alternating text and binary results get each in its format.
func TestPreparedRunsAlternateResultFormats(t *testing.T) {
	srv, _ := startServer(t)
	c := dialScript(t, srv.Addr(), "tester", "pqdb")
	c.fe.Send(&pgproto3.Parse{Name: "p", Query: "SELECT $1::int4 + 1 AS n, 'x'::text AS t", ParameterOIDs: []uint32{23}})
	c.fe.Send(&pgproto3.Sync{})
	c.flush()
	c.until(t, "Parse")
	for run, format := range []int16{0, 1, 1, 0, 1, 0, 0} {
		c.fe.Send(&pgproto3.Bind{PreparedStatement: "p", Parameters: [][]byte{[]byte("41")}, ResultFormatCodes: []int16{format}})
		c.fe.Send(&pgproto3.Describe{ObjectType: 'P'})
		c.fe.Send(&pgproto3.Execute{})
		c.fe.Send(&pgproto3.Sync{})
		c.flush()
		var desc *pgproto3.RowDescription
		var row *pgproto3.DataRow
		for _, msg := range c.until(t, "Execute") {
			switch m := msg.(type) {
			case *pgproto3.RowDescription:
				desc = m
			case *pgproto3.DataRow:
				row = m
			}
		}
		if desc == nil || len(desc.Fields) != 2 || desc.Fields[0].Format != format || desc.Fields[1].Format != format ||
			string(desc.Fields[0].Name) != "n" || string(desc.Fields[1].Name) != "t" {
			t.Fatalf("run %d (format %d): %+v", run, format, desc)
		}
		want := []byte("42")
		if format == 1 {
			want = binary.BigEndian.AppendUint32(nil, 42)
		}
		if row == nil || string(row.Values[0]) != string(want) || string(row.Values[1]) != "x" {
			t.Fatalf("run %d (format %d): %+v", run, format, row)
		}
	}
}

// until reads the answer up to ReadyForQuery, failing on an error.
func (c *scriptClient) until(t *testing.T, what string) []pgproto3.BackendMessage {
	t.Helper()
	var msgs []pgproto3.BackendMessage
	for {
		msg := c.receive()
		switch m := msg.(type) {
		case *pgproto3.ErrorResponse:
			t.Fatalf("%s: %s", what, m.Message)
		case *pgproto3.ReadyForQuery:
			return msgs
		case *pgproto3.RowDescription:
			// pgproto3 decodes into buffers it reuses
			m = &pgproto3.RowDescription{Fields: slices.Clone(m.Fields)}
			for i := range m.Fields {
				m.Fields[i].Name = slices.Clone(m.Fields[i].Name)
			}
			msg = m
		case *pgproto3.DataRow:
			vals := make([][]byte, len(m.Values))
			for i, v := range m.Values {
				vals[i] = slices.Clone(v)
			}
			msg = &pgproto3.DataRow{Values: vals}
		}
		msgs = append(msgs, msg)
	}
}

// A prepared lookup by primary key runs its kept operators again with
// each execution's key and snapshot (planner.LoweringRebindable): while
// another session updates the rows, every read sees the last committed
// balance of the key it asks for, the client's statement cache on.
func TestKeptKeyLookupSeesEachCommit(t *testing.T) {
	_, connect := startServer(t)
	reader, writer := connect(t), connect(t)
	if _, err := writer.Exec(ctx(t), `CREATE TABLE acct (id int PRIMARY KEY, balance bigint, note text);
		INSERT INTO acct SELECT g, 0, 'n' || g FROM generate_series(1, 2000) g`); err != nil {
		t.Fatal(err)
	}
	want := map[int32]int64{}
	for step := range 60 {
		id := int32(step*37%2000 + 1)
		if _, err := writer.Exec(ctx(t), `UPDATE acct SET balance = balance + $1 WHERE id = $2`, int64(step+1), id); err != nil {
			t.Fatal(err)
		}
		want[id] += int64(step + 1)
		for _, k := range []int32{id, int32(step%2000 + 1), 2001} {
			var got int64
			err := reader.QueryRow(ctx(t), `SELECT balance FROM acct WHERE id = $1`, k).Scan(&got)
			if k == 2001 {
				if err != pgx.ErrNoRows {
					t.Fatalf("step %d: id 2001: %v", step, err)
				}
				continue
			}
			if err != nil || got != want[k] {
				t.Fatalf("step %d: id %d balance %d (%v), want %d", step, k, got, err, want[k])
			}
		}
	}
}
