package wire

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

func TestExtendedQueryWithPgx(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	conn := ts.connect(t) // statement cache: Parse+Describe once, then Bind+Execute
	ctx := context.Background()

	for range 3 {
		var n int32
		if err := conn.QueryRow(ctx, "select 42").Scan(&n); err != nil || n != 42 {
			t.Fatalf("select 42: n=%d err=%v", n, err)
		}
	}
	var v string
	if err := conn.QueryRow(ctx, "select $1", "hello").Scan(&v); err != nil || v != "hello" {
		t.Fatalf("select $1: v=%q err=%v", v, err)
	}
	// An empty string and NULL stay distinct through Bind and DataRow.
	var empty, null *string
	if err := conn.QueryRow(ctx, "select $1", "").Scan(&empty); err != nil || empty == nil || *empty != "" {
		t.Fatalf("select '': %v %v", empty, err)
	}
	if err := conn.QueryRow(ctx, "select $1", nil).Scan(&null); err != nil || null != nil {
		t.Fatalf("select NULL: %v %v", null, err)
	}
	var sum, count int32
	rows, err := conn.Query(ctx, "select generate_series(1,100)")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var g int32
		if err := rows.Scan(&g); err != nil {
			t.Fatal(err)
		}
		sum += g
		count++
	}
	if rows.Err() != nil || count != 100 || sum != 5050 {
		t.Fatalf("generate_series(1,100): count=%d sum=%d err=%v", count, sum, rows.Err())
	}

	_, err = conn.Exec(ctx, "select 1/0")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "22012" {
		t.Fatalf("select 1/0: got %v", err)
	}
	_, err = conn.Exec(ctx, "nonsense")
	if !errors.As(err, &pe) || pe.Code != "42601" || pe.Message != `syntax error at or near "nonsense"` {
		t.Fatalf("nonsense: got %v", err)
	}
	var n int32
	if err := conn.QueryRow(ctx, "select 5").Scan(&n); err != nil || n != 5 {
		t.Fatalf("select 5 after errors: n=%d err=%v", n, err)
	}
}

func TestExtendedQueryOtherPgxModes(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	ctx := context.Background()
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheDescribe, pgx.QueryExecModeDescribeExec} {
		conn := ts.connect(t, mode)
		var v string
		if err := conn.QueryRow(ctx, "select $1", "x").Scan(&v); err != nil || v != "x" {
			t.Fatalf("mode %v: v=%q err=%v", mode, v, err)
		}
		batch := &pgx.Batch{}
		batch.Queue("select 1")
		batch.Queue("select generate_series(1,3)")
		results := conn.SendBatch(ctx, batch)
		var one int32
		if err := results.QueryRow().Scan(&one); err != nil || one != 1 {
			t.Fatalf("mode %v batch select 1: %d %v", mode, one, err)
		}
		if tag, err := results.Exec(); err != nil || tag.String() != "SELECT 3" {
			t.Fatalf("mode %v batch generate_series: %v %v", mode, tag, err)
		}
		if err := results.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestScriptIgnoreTillSyncAfterError(t *testing.T) {
	c := scriptTarget(t).startup(t)
	c.send(
		&pgproto3.Parse{Query: "select 1"},
		&pgproto3.Bind{},
		&pgproto3.Execute{},
		&pgproto3.Parse{Query: "bogus"},
		&pgproto3.Bind{},
		&pgproto3.Execute{},
		// Discarded: they follow the error and precede Sync.
		&pgproto3.Parse{Name: "late", Query: "select 2"},
		&pgproto3.Bind{PreparedStatement: "late"},
		&pgproto3.Execute{},
		&pgproto3.Query{String: "select 3"},
		&pgproto3.Sync{},
	)
	c.expect(
		"ParseComplete",
		"BindComplete",
		`DataRow("1")`,
		"CommandComplete(SELECT 1)",
		`Error(ERROR 42601 syntax error at or near "bogus")`,
		"ReadyForQuery(I)",
	)
	// The discarded Parse created nothing.
	c.send(&pgproto3.Describe{ObjectType: 'S', Name: "late"}, &pgproto3.Sync{})
	c.expect(`Error(ERROR 26000 prepared statement "late" does not exist)`, "ReadyForQuery(I)")
	// Normal service resumes after Sync.
	c.send(&pgproto3.Query{String: "select 4"})
	c.expect("RowDescription(?column?:23:0)", `DataRow("4")`, "CommandComplete(SELECT 1)", "ReadyForQuery(I)")
}

func TestScriptDescribeStatementAndPortal(t *testing.T) {
	c := scriptTarget(t).startup(t)
	c.send(
		&pgproto3.Parse{Name: "echo", Query: "select $1"},
		&pgproto3.Describe{ObjectType: 'S', Name: "echo"},
		&pgproto3.Parse{Name: "tx", Query: "begin"},
		&pgproto3.Describe{ObjectType: 'S', Name: "tx"},
		&pgproto3.Bind{DestinationPortal: "p", PreparedStatement: "echo",
			Parameters: [][]byte{[]byte("hi")}, ResultFormatCodes: []int16{1}},
		&pgproto3.Describe{ObjectType: 'P', Name: "p"},
		&pgproto3.Execute{Portal: "p"},
		&pgproto3.Sync{},
	)
	c.expect(
		"ParseComplete",
		"ParameterDescription[25]",
		"RowDescription(?column?:25:0)",
		"ParseComplete",
		"ParameterDescription[]",
		"NoData",
		"BindComplete",
		"RowDescription(?column?:25:1)",
		`DataRow("hi")`,
		"CommandComplete(SELECT 1)",
		"ReadyForQuery(I)",
	)
	// Outside a transaction block the portal ended at Sync.
	c.send(&pgproto3.Describe{ObjectType: 'P', Name: "p"}, &pgproto3.Sync{})
	c.expect(`Error(ERROR 34000 portal "p" does not exist)`, "ReadyForQuery(I)")
}

func TestScriptParseAndBindErrors(t *testing.T) {
	c := scriptTarget(t).startup(t)
	cases := []struct {
		name string
		msgs []pgproto3.FrontendMessage
		want string
	}{
		{"multiple statements",
			[]pgproto3.FrontendMessage{&pgproto3.Parse{Query: "select 1; select 2"}},
			"Error(ERROR 42601 cannot insert multiple commands into a prepared statement)"},
		{"duplicate name",
			[]pgproto3.FrontendMessage{&pgproto3.Parse{Name: "s", Query: "select 1"}},
			`Error(ERROR 42P05 prepared statement "s" already exists)`},
		{"missing statement",
			[]pgproto3.FrontendMessage{&pgproto3.Bind{PreparedStatement: "nope"}},
			`Error(ERROR 26000 prepared statement "nope" does not exist)`},
		{"too few parameters",
			[]pgproto3.FrontendMessage{&pgproto3.Bind{PreparedStatement: "echo"}},
			`Error(ERROR 08P01 bind message supplies 0 parameters, but prepared statement "echo" requires 1)`},
		{"format count",
			[]pgproto3.FrontendMessage{&pgproto3.Bind{PreparedStatement: "echo",
				ParameterFormatCodes: []int16{0, 0}, Parameters: [][]byte{[]byte("a")}}},
			"Error(ERROR 08P01 bind message has 2 parameter formats but 1 parameters)"},
		{"result format count",
			[]pgproto3.FrontendMessage{&pgproto3.Bind{PreparedStatement: "s", ResultFormatCodes: []int16{0, 1, 0}}},
			"Error(ERROR 08P01 bind message has 3 result formats but query has 1 columns)"},
		{"bad parameter format code",
			[]pgproto3.FrontendMessage{&pgproto3.Bind{PreparedStatement: "echo",
				ParameterFormatCodes: []int16{7}, Parameters: [][]byte{[]byte("a")}}},
			"Error(ERROR 22023 unsupported format code: 7)"},
		{"missing portal",
			[]pgproto3.FrontendMessage{&pgproto3.Execute{Portal: "nope"}},
			`Error(ERROR 34000 portal "nope" does not exist)`},
		{"bad describe",
			[]pgproto3.FrontendMessage{&pgproto3.Describe{ObjectType: 'X'}},
			"Error(ERROR 08P01 invalid DESCRIBE message subtype 88)"},
	}
	c.send(&pgproto3.Parse{Name: "s", Query: "select 1"}, &pgproto3.Parse{Name: "echo", Query: "select $1"}, &pgproto3.Sync{})
	c.expect("ParseComplete", "ParseComplete", "ReadyForQuery(I)")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.t = t
			c.send(append(tc.msgs, &pgproto3.Sync{})...)
			c.expect(tc.want, "ReadyForQuery(I)")
		})
	}
	c.t = t
	// Result formats are checked when rows are described or sent.
	c.send(&pgproto3.Bind{PreparedStatement: "s", ResultFormatCodes: []int16{7}}, &pgproto3.Execute{}, &pgproto3.Sync{})
	c.expect("BindComplete", "Error(ERROR 22023 unsupported format code: 7)", "ReadyForQuery(I)")
}

func TestScriptPortalSuspendedAndResumed(t *testing.T) {
	c := scriptTarget(t).startup(t)
	c.send(
		&pgproto3.Parse{Query: "select generate_series(1,5)"},
		&pgproto3.Bind{},
		&pgproto3.Execute{MaxRows: 2},
		&pgproto3.Execute{MaxRows: 2},
		&pgproto3.Execute{MaxRows: 2},
		&pgproto3.Sync{},
	)
	c.expect(
		"ParseComplete",
		"BindComplete",
		`DataRow("1")`, `DataRow("2")`, "PortalSuspended",
		`DataRow("3")`, `DataRow("4")`, "PortalSuspended",
		`DataRow("5")`, "CommandComplete(SELECT 1)",
		"ReadyForQuery(I)",
	)

	// A named portal inside a transaction block outlives Sync; a portal
	// that yields exactly the limit is suspended, and the next Execute
	// completes it with no rows, as PostgreSQL does.
	c.send(
		&pgproto3.Query{String: "begin"},
		&pgproto3.Parse{Query: "select generate_series(1,2)"},
		&pgproto3.Bind{DestinationPortal: "cur"},
		&pgproto3.Execute{Portal: "cur", MaxRows: 2},
		&pgproto3.Sync{},
	)
	c.expect(
		"CommandComplete(BEGIN)", "ReadyForQuery(T)",
		"ParseComplete", "BindComplete",
		`DataRow("1")`, `DataRow("2")`, "PortalSuspended",
		"ReadyForQuery(T)",
	)
	c.send(&pgproto3.Execute{Portal: "cur"}, &pgproto3.Execute{Portal: "cur"}, &pgproto3.Sync{})
	c.expect("CommandComplete(SELECT 0)", "CommandComplete(SELECT 0)", "ReadyForQuery(T)")
	c.send(&pgproto3.Query{String: "commit"}, &pgproto3.Execute{Portal: "cur"}, &pgproto3.Sync{})
	c.expect("CommandComplete(COMMIT)", "ReadyForQuery(I)",
		`Error(ERROR 34000 portal "cur" does not exist)`, "ReadyForQuery(I)")
}

func TestScriptCloseAndReuse(t *testing.T) {
	c := scriptTarget(t).startup(t)
	c.send(
		&pgproto3.Parse{Name: "s", Query: "select 1"},
		&pgproto3.Bind{PreparedStatement: "s"},
		&pgproto3.Close{ObjectType: 'S', Name: "s"},
		&pgproto3.Close{ObjectType: 'S', Name: "never existed"},
		// The portal survives the statement it was bound from.
		&pgproto3.Execute{},
		&pgproto3.Close{ObjectType: 'P'},
		&pgproto3.Parse{Name: "s", Query: "select 2"},
		&pgproto3.Bind{PreparedStatement: "s"},
		&pgproto3.Execute{},
		&pgproto3.Sync{},
	)
	c.expect(
		"ParseComplete", "BindComplete", "CloseComplete", "CloseComplete",
		`DataRow("1")`, "CommandComplete(SELECT 1)", "CloseComplete",
		"ParseComplete", "BindComplete", `DataRow("2")`, "CommandComplete(SELECT 1)",
		"ReadyForQuery(I)",
	)
	// Re-running a portal whose command completed is refused.
	c.send(
		&pgproto3.Parse{Query: "begin"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Execute{},
		&pgproto3.Sync{},
	)
	c.expect("ParseComplete", "BindComplete", "CommandComplete(BEGIN)",
		`Error(ERROR 55000 portal "" cannot be run)`, "ReadyForQuery(E)")
	c.send(&pgproto3.Query{String: "rollback"})
	c.expect("CommandComplete(ROLLBACK)", "ReadyForQuery(I)")
}

func TestScriptEmptyPreparedStatement(t *testing.T) {
	c := scriptTarget(t).startup(t)
	c.send(
		&pgproto3.Parse{Query: ""},
		&pgproto3.Describe{ObjectType: 'S'},
		&pgproto3.Bind{},
		&pgproto3.Describe{ObjectType: 'P'},
		&pgproto3.Execute{},
		&pgproto3.Sync{},
	)
	c.expect("ParseComplete", "ParameterDescription[]", "NoData", "BindComplete", "NoData", "EmptyQueryResponse",
		"ReadyForQuery(I)")
}

func TestScriptFlushWithoutSync(t *testing.T) {
	c := scriptTarget(t).startup(t)
	// Flush makes the server write what it has without ending the cycle.
	c.send(&pgproto3.Parse{Query: "select 9"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Flush{})
	c.expect("ParseComplete", "BindComplete", `DataRow("9")`, "CommandComplete(SELECT 1)")
	c.send(&pgproto3.Sync{})
	c.expect("ReadyForQuery(I)")
}
