package wire

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// testCertificate is a self-signed certificate for 127.0.0.1 and
// localhost, and a pool that trusts it.
func testCertificate(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "pqdb test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// withTLS gives the server a fresh certificate and returns a client TLS
// configuration that verifies it.
func withTLS(t testing.TB, mode TLSMode) (func(*Server), *tls.Config) {
	cert, pool := testCertificate(t)
	return func(s *Server) {
			s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
			s.TLSMode = mode
		},
		&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

// dialPgx connects as user with password; clientTLS nil means no TLS
// (sslmode=disable), otherwise TLS is required and verified with it.
func dialPgx(t *testing.T, ts *testServer, user, database, password string, clientTLS *tls.Config) (*pgx.Conn, error) {
	t.Helper()
	cfg, err := pgx.ParseConfig("postgres://" + ts.addr + "/?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	cfg.User, cfg.Database, cfg.Password = user, database, password
	cfg.TLSConfig = clientTLS
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err == nil {
		t.Cleanup(func() { conn.Close(context.Background()) })
	}
	return conn, err
}

// wantPgError asserts that err is a server error with code and message.
func wantPgError(t *testing.T, err error, code, message string) {
	t.Helper()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		t.Fatalf("got %v, want a server error %s", err, code)
	}
	if pe.Code != code || pe.Severity != "FATAL" || (message != "" && pe.Message != message) {
		t.Fatalf("got %s %s %q, want FATAL %s %q", pe.Severity, pe.Code, pe.Message, code, message)
	}
}

func TestTLSWithPgx(t *testing.T) {
	configure, clientTLS := withTLS(t, TLSPrefer)
	ts := startServer(t, newFakeBackend(), configure)
	conn, err := dialPgx(t, ts, "alice", "shop", "", clientTLS)
	if err != nil {
		t.Fatalf("connect with TLS: %v", err)
	}
	if _, ok := conn.PgConn().Conn().(*tls.Conn); !ok {
		t.Fatalf("connection is %T, not TLS", conn.PgConn().Conn())
	}
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT 1").Scan(&n); err != nil || n != 1 {
		t.Fatalf("SELECT 1 over TLS: %d, %v", n, err)
	}

	// prefer still lets clear-text clients in.
	if _, err := dialPgx(t, ts, "alice", "shop", "", nil); err != nil {
		t.Fatalf("connect without TLS under prefer: %v", err)
	}
}

func TestTLSWrongCertificateRefusedByClient(t *testing.T) {
	configure, _ := withTLS(t, TLSPrefer)
	ts := startServer(t, newFakeBackend(), configure)
	_, otherPool := testCertificate(t)
	_, err := dialPgx(t, ts, "alice", "shop", "", &tls.Config{RootCAs: otherPool, ServerName: "127.0.0.1"})
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("got %v, want an unknown authority error", err)
	}
	// The server survives a failed handshake.
	if _, err := dialPgx(t, ts, "alice", "shop", "", nil); err != nil {
		t.Fatalf("connect after failed handshake: %v", err)
	}
}

func TestScriptSSLRequestAnsweredSWithCertificate(t *testing.T) {
	configure, clientTLS := withTLS(t, TLSPrefer)
	ts := startServer(t, newFakeBackend(), configure)
	c := ts.dial(t)

	// GSSAPI encryption is still refused, before and after TLS.
	c.send(&pgproto3.GSSEncRequest{})
	answer := make([]byte, 1)
	if _, err := c.conn.Read(answer); err != nil || answer[0] != 'N' {
		t.Fatalf("GSSENCRequest answered %q, %v", answer, err)
	}
	c.send(&pgproto3.SSLRequest{})
	if _, err := c.conn.Read(answer); err != nil || answer[0] != 'S' {
		t.Fatalf("SSLRequest answered %q, %v", answer, err)
	}
	tc := tls.Client(c.conn, clientTLS)
	if err := tc.Handshake(); err != nil {
		t.Fatalf("handshake: %v", err)
	}
	c.fe = pgproto3.NewFrontend(tc, tc)
	c.send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": "alice", "database": "shop"},
	})
	c.untilReady()
	selectOne(t, c)
}

func TestTLSRequireRefusesPlaintext(t *testing.T) {
	configure, clientTLS := withTLS(t, TLSRequire)
	ts := startServer(t, newFakeBackend(), configure)
	_, err := dialPgx(t, ts, "alice", "shop", "", nil)
	wantPgError(t, err, "28000", `no pg_hba.conf entry for host "127.0.0.1", user "alice", database "shop", no encryption`)
	if _, err := dialPgx(t, ts, "alice", "shop", "", clientTLS); err != nil {
		t.Fatalf("connect with TLS under require: %v", err)
	}
}

func TestParseTLSMode(t *testing.T) {
	for _, s := range []string{"prefer", "require"} {
		m, err := ParseTLSMode(s)
		if err != nil || m.String() != s {
			t.Errorf("ParseTLSMode(%q) = %v, %v", s, m, err)
		}
	}
	if _, err := ParseTLSMode("verify-full"); err == nil {
		t.Error("ParseTLSMode accepted verify-full")
	}
}
