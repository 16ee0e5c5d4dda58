package wire

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

func TestSimpleQueryWithPgx(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	conn := ts.connect(t, pgx.QueryExecModeSimpleProtocol)
	ctx := context.Background()

	var n int32
	if err := conn.QueryRow(ctx, "select 7").Scan(&n); err != nil || n != 7 {
		t.Fatalf("select 7: n=%d err=%v", n, err)
	}
	var sum int32
	rows, err := conn.Query(ctx, "select generate_series(1,4)")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var g int32
		if err := rows.Scan(&g); err != nil {
			t.Fatal(err)
		}
		sum += g
	}
	if rows.Err() != nil || sum != 10 {
		t.Fatalf("generate_series: sum=%d err=%v", sum, rows.Err())
	}

	_, err = conn.Exec(ctx, "bogus")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "42601" || pe.Severity != "ERROR" || pe.Position != 1 {
		t.Fatalf("bogus: got %v", err)
	}
	// The connection survives the error.
	if err := conn.QueryRow(ctx, "select 8").Scan(&n); err != nil || n != 8 {
		t.Fatalf("select 8 after error: n=%d err=%v", n, err)
	}
}

func TestScriptSimpleQueryErrorSkipsRemainingStatements(t *testing.T) {
	c := scriptTarget(t).startup(t)
	c.send(&pgproto3.Query{String: "select 1; select 1/0; select 2"})
	c.expect(
		"RowDescription(?column?:23:0)",
		`DataRow("1")`,
		"CommandComplete(SELECT 1)",
		"Error(ERROR 22012 division by zero)",
		"ReadyForQuery(I)",
	)
	c.send(&pgproto3.Query{String: "select 3"})
	c.expect("RowDescription(?column?:23:0)", `DataRow("3")`, "CommandComplete(SELECT 1)", "ReadyForQuery(I)")
}

func TestScriptSimpleQueryParseError(t *testing.T) {
	c := scriptTarget(t).startup(t)
	// A parse error runs nothing, not even the valid statement before it.
	c.send(&pgproto3.Query{String: "select 1; bogus"})
	c.expect(`Error(ERROR 42601 syntax error at or near "bogus")`, "ReadyForQuery(I)")
}

func TestScriptEmptyQuery(t *testing.T) {
	c := scriptTarget(t).startup(t)
	c.send(&pgproto3.Query{String: "  ;  "})
	c.expect("EmptyQueryResponse", "ReadyForQuery(I)")
}

func TestScriptNoticeAndTransactionStatus(t *testing.T) {
	c := scriptTarget(t).startup(t)
	c.send(&pgproto3.Query{String: "begin; drop table if exists nonexistent_table"})
	c.expect(
		"CommandComplete(BEGIN)",
		`Notice(NOTICE 00000 table "nonexistent_table" does not exist, skipping)`,
		"CommandComplete(DROP TABLE)",
		"ReadyForQuery(T)",
	)
	c.send(&pgproto3.Query{String: "select 1/0"})
	c.expect("Error(ERROR 22012 division by zero)", "ReadyForQuery(E)")
	c.send(&pgproto3.Query{String: "select 1"})
	c.expect("Error(ERROR 25P02 current transaction is aborted, commands ignored until end of transaction block)",
		"ReadyForQuery(E)")
	c.send(&pgproto3.Query{String: "commit"})
	c.expect("CommandComplete(ROLLBACK)", "ReadyForQuery(I)")
}

func TestNoticeReachesPgx(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	cfg, err := pgx.ParseConfig(ts.connString(""))
	if err != nil {
		t.Fatal(err)
	}
	notices := make(chan string, 1)
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { notices <- n.Message }
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "drop table if exists nonexistent_table"); err != nil {
		t.Fatal(err)
	}
	if got := <-notices; got != `table "nonexistent_table" does not exist, skipping` {
		t.Fatalf("notice %q", got)
	}
}

func TestScriptChangedSettingsReported(t *testing.T) {
	c := scriptTarget(t).startup(t)
	c.send(&pgproto3.Query{String: "set application_name = 'wiretest'"})
	c.expect("CommandComplete(SET)", "ParameterStatus(application_name=wiretest)", "ReadyForQuery(I)")
	// Reported once: an unchanged value is not sent again.
	c.send(&pgproto3.Query{String: "set application_name = 'wiretest'"})
	c.expect("CommandComplete(SET)", "ReadyForQuery(I)")
}

func TestFunctionCallUnsupported(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	c := ts.startup(t)
	c.send(&pgproto3.FunctionCall{Function: 1598})
	c.expect("Error(ERROR 0A000 fastpath function calls are not supported)", "ReadyForQuery(I)")
	selectOne(t, c)
}
