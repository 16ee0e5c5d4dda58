package server

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
)

// BenchmarkSelect1Simple measures the fixed cost of one statement over
// the wire: `SELECT 1` in the simple protocol, one client, one query in
// flight. BenchmarkSelect1SimpleMock runs the same client against a bare
// pgproto3 server that answers every Query with the same one row, the
// ceiling this machine's loopback, pgx and pgproto3 allow; the ratio of
// the two q/s figures is the share of the time pqdb's own per-statement
// path (parse, snapshot, bind, lower, run, encode) takes.
func BenchmarkSelect1Simple(b *testing.B) {
	srv, err := Start(Config{DataDir: b.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	benchSelect1Simple(b, srv.Addr())
}

func BenchmarkSelect1SimpleMock(b *testing.B) {
	addr := startSelect1Mock(b)
	benchSelect1Simple(b, addr)
}

// BenchmarkSelect1Prepared is `SELECT 1` through pgx's statement cache:
// Bind, Execute and Sync of a statement prepared once, whose plan the
// server keeps.
func BenchmarkSelect1Prepared(b *testing.B) {
	c := context.Background()
	conn := benchConnection(b)
	var n int32
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if err := conn.QueryRow(c, "SELECT 1").Scan(&n); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "q/s")
}

func benchSelect1Simple(b *testing.B, addr string) {
	c := context.Background()
	conn, err := pgx.Connect(c, "postgres://tester@"+addr+"/pqdb?sslmode=disable")
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(c)
	var n int32
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if err := conn.QueryRow(c, "SELECT 1", pgx.QueryExecModeSimpleProtocol).Scan(&n); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "q/s")
	if n != 1 {
		b.Fatalf("SELECT 1 returned %d", n)
	}
}

// startSelect1Mock serves the smallest PostgreSQL server pgx talks to:
// trust authentication, then one row ("1", an int4 column) for every
// Query message.
func startSelect1Mock(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go serveSelect1Mock(nc)
		}
	}()
	return ln.Addr().String()
}

func serveSelect1Mock(nc net.Conn) {
	defer nc.Close()
	be := pgproto3.NewBackend(nc, nc)
	for {
		msg, err := be.ReceiveStartupMessage()
		if err != nil {
			return
		}
		if _, ok := msg.(*pgproto3.SSLRequest); ok {
			if _, err := nc.Write([]byte{'N'}); err != nil {
				return
			}
			continue
		}
		break
	}
	be.Send(&pgproto3.AuthenticationOk{})
	be.Send(&pgproto3.ParameterStatus{Name: "server_version", Value: "15.0"})
	be.Send(&pgproto3.ParameterStatus{Name: "client_encoding", Value: "UTF8"})
	be.Send(&pgproto3.ParameterStatus{Name: "standard_conforming_strings", Value: "on"})
	be.Send(&pgproto3.BackendKeyData{ProcessID: 1, SecretKey: []byte{0, 0, 0, 1}})
	be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
	if be.Flush() != nil {
		return
	}
	desc := &pgproto3.RowDescription{Fields: []pgproto3.FieldDescription{{Name: []byte("?column?"), DataTypeOID: 23, DataTypeSize: 4, TypeModifier: -1}}}
	row := &pgproto3.DataRow{Values: [][]byte{[]byte("1")}}
	done := &pgproto3.CommandComplete{CommandTag: []byte("SELECT 1")}
	ready := &pgproto3.ReadyForQuery{TxStatus: 'I'}
	for {
		msg, err := be.Receive()
		if err != nil {
			return
		}
		switch msg.(type) {
		case *pgproto3.Query:
			be.Send(desc)
			be.Send(row)
			be.Send(done)
			be.Send(ready)
			if err := be.Flush(); err != nil {
				return
			}
		case *pgproto3.Terminate:
			return
		default:
			be.Send(&pgproto3.ErrorResponse{Severity: "ERROR", Code: "0A000", Message: "the mock answers simple queries only"})
			be.Send(ready)
			if errors.Is(be.Flush(), net.ErrClosed) {
				return
			}
		}
	}
}
