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
	rows, err := conn.Query(ctx, "generate 4")
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
		t.Fatalf("generate 4: sum=%d err=%v", sum, rows.Err())
	}

	_, err = conn.Exec(ctx, "error")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "42601" || pe.Severity != "ERROR" || pe.Position != 1 {
		t.Fatalf("error: got %v", err)
	}
	// The connection survives the error.
	if err := conn.QueryRow(ctx, "select 8").Scan(&n); err != nil || n != 8 {
		t.Fatalf("select 8 after error: n=%d err=%v", n, err)
	}
}

func TestSimpleQueryErrorSkipsRemainingStatements(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	c := ts.startup(t)
	c.send(&pgproto3.Query{String: "select 1; error; select 2"})
	c.expect(
		"RowDescription(n:23:0)",
		`DataRow("1")`,
		"CommandComplete(SELECT 1)",
		`Error(ERROR 42601 syntax error at or near "error")`,
		"ReadyForQuery(I)",
	)
	c.send(&pgproto3.Query{String: "select 3"})
	c.expect("RowDescription(n:23:0)", `DataRow("3")`, "CommandComplete(SELECT 1)", "ReadyForQuery(I)")
}

func TestSimpleQueryParseError(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	c := ts.startup(t)
	// A parse error runs nothing, not even the valid statement before it.
	c.send(&pgproto3.Query{String: "select 1; bogus"})
	c.expect(`Error(ERROR 42601 syntax error at or near "bogus")`, "ReadyForQuery(I)")
}

func TestEmptyQuery(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	c := ts.startup(t)
	c.send(&pgproto3.Query{String: "  ;  "})
	c.expect("EmptyQueryResponse", "ReadyForQuery(I)")
}

func TestNoticeAndTransactionStatus(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	c := ts.startup(t)
	c.send(&pgproto3.Query{String: "begin; notice"})
	c.expect(
		"CommandComplete(BEGIN)",
		"Notice(NOTICE 00000 hello from the engine)",
		"CommandComplete(DO)",
		"ReadyForQuery(T)",
	)
	c.send(&pgproto3.Query{String: "commit"})
	c.expect("CommandComplete(COMMIT)", "ReadyForQuery(I)")
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
	if _, err := conn.Exec(context.Background(), "notice"); err != nil {
		t.Fatal(err)
	}
	if got := <-notices; got != "hello from the engine" {
		t.Fatalf("notice %q", got)
	}
}
