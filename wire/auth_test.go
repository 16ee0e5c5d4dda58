package wire

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// Verifiers made by PostgreSQL 15 (CREATE ROLE ... PASSWORD, then
// SELECT rolpassword FROM pg_authid), proving the users file reads
// PostgreSQL's format.
const (
	carolVerifier = "SCRAM-SHA-256$4096:FnpacsHPrBhv1BhkO672+g==$cjV93JvMDVIXOdAR0rLjtVY6ArYe7fdu50oTPOLBid8=:Frhqkfj6UoF+xVg152m2+tLb4cRkNUGaL4ZBUn4tdcg="
	carolPassword = "correct horse"
	daveVerifier  = "md5f95b6db0cec88c848bdf77b9c09f0729"
	davePassword  = "battery staple"
)

// withAuth installs hba rules and a users file with carol (SCRAM), dave
// (md5) and erin (a SCRAM verifier made by SCRAMVerifier), and turns off
// the failure delay.
func withAuth(t testing.TB, hba string) func(*Server) {
	t.Helper()
	rules, err := ParseHBA(strings.NewReader(hba), "test_hba.conf")
	if err != nil {
		t.Fatal(err)
	}
	erin, err := SCRAMVerifier("pässword") // SASLprep normalizes it
	if err != nil {
		t.Fatal(err)
	}
	users, err := ParseUsers(strings.NewReader(fmt.Sprintf(
		"# name verifier\ncarol %s\ndave %s\nerin %s\n", carolVerifier, daveVerifier, erin)), "test_users")
	if err != nil {
		t.Fatal(err)
	}
	return func(s *Server) {
		s.HBA, s.Users, s.AuthFailureDelay = rules, users, -1
	}
}

func TestAuthenticationMethods(t *testing.T) {
	tlsConfigure, clientTLS := withTLS(t, TLSPrefer)
	ts := startServer(t, newFakeBackend(), tlsConfigure, withAuth(t, `
		hostssl   cleartext  all  127.0.0.1/32  password
		hostnossl cleartext  all  127.0.0.1/32  password allow_plaintext=1
		host      md5db      all  127.0.0.1/32  md5
		host      scramdb    all  127.0.0.1/32  scram-sha-256
		host      trustdb    all  all           trust
	`))

	cases := []struct {
		database, user, password string
		tls                      bool
		wantCode                 string // "" for success
	}{
		{"cleartext", "carol", carolPassword, true, ""},
		{"cleartext", "dave", davePassword, true, ""},
		{"cleartext", "carol", carolPassword, false, ""}, // allow_plaintext=1
		{"cleartext", "carol", "wrong", true, "28P01"},
		{"cleartext", "nobody", "x", true, "28P01"},
		{"md5db", "dave", davePassword, false, ""},
		{"md5db", "dave", "wrong", false, "28P01"},
		{"md5db", "carol", carolPassword, false, ""}, // SCRAM verifier: upgraded to SCRAM
		{"md5db", "carol", "wrong", false, "28P01"},
		{"md5db", "nobody", "x", false, "28P01"},
		{"scramdb", "carol", carolPassword, false, ""},
		{"scramdb", "carol", carolPassword, true, ""}, // SCRAM-SHA-256-PLUS
		{"scramdb", "erin", "pa\u0308ssword", true, ""},
		{"scramdb", "carol", "wrong", false, "28P01"},
		{"scramdb", "carol", "wrong", true, "28P01"},
		{"scramdb", "dave", davePassword, false, "28P01"}, // md5 verifier cannot do SCRAM
		{"scramdb", "nobody", "x", false, "28P01"},
		{"trustdb", "nobody", "", false, ""},
	}
	for _, tc := range cases {
		name := fmt.Sprintf("%s/%s/%s/tls=%v", tc.database, tc.user, tc.password, tc.tls)
		t.Run(name, func(t *testing.T) {
			var clientCfg *tls.Config
			if tc.tls {
				clientCfg = clientTLS
			}
			conn, err := dialPgx(t, ts, tc.user, tc.database, tc.password, clientCfg)
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("connect: %v", err)
				}
				var n int
				if err := conn.QueryRow(context.Background(), "SELECT 1").Scan(&n); err != nil || n != 1 {
					t.Fatalf("SELECT 1: %d, %v", n, err)
				}
				return
			}
			wantPgError(t, err, tc.wantCode, fmt.Sprintf(`password authentication failed for user "%s"`, tc.user))
		})
	}
}

func TestSCRAMChannelBindingUsedOverTLS(t *testing.T) {
	tlsConfigure, clientTLS := withTLS(t, TLSPrefer)
	ts := startServer(t, newFakeBackend(), tlsConfigure, withAuth(t, "host all all 127.0.0.1/32 scram-sha-256"))
	c := ts.dial(t)
	c.send(&pgproto3.SSLRequest{})
	answer := make([]byte, 1)
	if _, err := c.conn.Read(answer); err != nil || answer[0] != 'S' {
		t.Fatalf("SSLRequest answered %q, %v", answer, err)
	}
	tc := tls.Client(c.conn, clientTLS)
	c.fe = pgproto3.NewFrontend(tc, tc)
	c.send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": "carol"},
	})
	msg, err := c.fe.Receive()
	if err != nil {
		t.Fatal(err)
	}
	sasl, ok := msg.(*pgproto3.AuthenticationSASL)
	if !ok || len(sasl.AuthMechanisms) != 2 || sasl.AuthMechanisms[0] != "SCRAM-SHA-256-PLUS" || sasl.AuthMechanisms[1] != "SCRAM-SHA-256" {
		t.Fatalf("got %#v, want SCRAM-SHA-256-PLUS and SCRAM-SHA-256", msg)
	}

	// Without TLS, only SCRAM-SHA-256 is offered.
	c = ts.dial(t)
	c.send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": "carol"},
	})
	if msg, err = c.fe.Receive(); err != nil {
		t.Fatal(err)
	}
	if sasl, ok = msg.(*pgproto3.AuthenticationSASL); !ok || len(sasl.AuthMechanisms) != 1 || sasl.AuthMechanisms[0] != "SCRAM-SHA-256" {
		t.Fatalf("got %#v, want SCRAM-SHA-256 alone", msg)
	}
}

func TestPasswordRefusedWithoutTLS(t *testing.T) {
	ts := startServer(t, newFakeBackend(), withAuth(t, "host all all 127.0.0.1/32 password"))
	_, err := dialPgx(t, ts, "carol", "shop", carolPassword, nil)
	wantPgError(t, err, "28000", `password authentication for user "carol" requires an SSL connection`)
}

func TestNoMatchingRuleAndReject(t *testing.T) {
	ts := startServer(t, newFakeBackend(), withAuth(t, `
		host  all   mallory  all           reject
		host  shop  all      127.0.0.1/32  trust
		host  all   all      10.0.0.0/8    trust
	`))
	_, err := dialPgx(t, ts, "alice", "other", "", nil)
	wantPgError(t, err, "28000", `no pg_hba.conf entry for host "127.0.0.1", user "alice", database "other", no encryption`)
	_, err = dialPgx(t, ts, "mallory", "shop", "", nil)
	wantPgError(t, err, "28000", `pg_hba.conf rejects connection for host "127.0.0.1", user "mallory", database "shop", no encryption`)
	if _, err := dialPgx(t, ts, "alice", "shop", "", nil); err != nil {
		t.Fatalf("trusted connection: %v", err)
	}
}

func TestScriptPasswordExchange(t *testing.T) {
	ts := startServer(t, newFakeBackend(), withAuth(t, "host all all 127.0.0.1/32 password allow_plaintext=1"))
	c := ts.dial(t)
	c.send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": "dave", "database": "shop"},
	})
	c.expect("AuthenticationCleartextPassword")
	c.send(&pgproto3.PasswordMessage{Password: davePassword})
	c.expect("AuthenticationOk")
	c.untilReady()
	selectOne(t, c)

	// Anything but a password answer is a protocol violation.
	c = ts.dial(t)
	c.send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": "dave", "database": "shop"},
	})
	c.expect("AuthenticationCleartextPassword")
	c.send(&pgproto3.Query{String: "SELECT 1"})
	c.expect("Error(FATAL 08P01 expected password response, got message type 81)")
	c.expectClosed()
}

func TestAuthFailureDelayGrowsAndIsBounded(t *testing.T) {
	var f authFailures
	addr := remoteIP(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	other := netip.MustParseAddr("10.1.2.3")
	now := time.Unix(1000, 0)
	base := 100 * time.Millisecond
	var got []time.Duration
	for range 8 {
		got = append(got, f.record(addr, now, base))
	}
	want := []time.Duration{100, 200, 400, 800, 1600, 3200, 5000, 5000}
	for i := range want {
		if got[i] != want[i]*time.Millisecond {
			t.Fatalf("delays %v, want %v ms", got, want)
		}
	}
	if d := f.record(other, now, base); d != base {
		t.Fatalf("another address waits %v, want %v", d, base)
	}
	// Failures are forgotten long after the last one.
	if d := f.record(addr, now.Add(failureMemory+time.Second), base); d != base {
		t.Fatalf("after failureMemory: %v, want %v", d, base)
	}
	if d := f.record(addr, now, 0); d != 0 {
		t.Fatalf("disabled delay: %v", d)
	}
}

func TestMaxConnections(t *testing.T) {
	ts := startServer(t, newFakeBackend(), func(s *Server) { s.MaxConnections = 2 })
	first, err := dialPgx(t, ts, "alice", "shop", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dialPgx(t, ts, "alice", "shop", "", nil); err != nil {
		t.Fatal(err)
	}
	_, err = dialPgx(t, ts, "alice", "shop", "", nil)
	wantPgError(t, err, "53300", "sorry, too many clients already")

	// A cancel request is no session and still gets through.
	c := ts.dial(t)
	c.send(&pgproto3.CancelRequest{ProcessID: first.PgConn().PID(), SecretKey: first.PgConn().SecretKey()})
	c.expectClosed()

	// Once a session ends its place is free again; the server notices
	// the closed socket asynchronously, so try until it has.
	first.Close(context.Background())
	deadline := time.Now().Add(ioTimeout)
	for {
		_, err := dialPgx(t, ts, "alice", "shop", "", nil)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("place not freed: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestAuthenticationTimeoutClosesSilentClient(t *testing.T) {
	ts := startServer(t, newFakeBackend(), withAuth(t, "host all all 127.0.0.1/32 password allow_plaintext=1"),
		func(s *Server) { s.AuthenticationTimeout = 20 * time.Millisecond })
	// Nothing at all after connecting.
	ts.dial(t).expectClosed()
	// A StartupMessage, then no password.
	c := ts.dial(t)
	c.send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": "dave"},
	})
	c.expect("AuthenticationCleartextPassword")
	c.expectClosed()
}
