package server

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pqdb/pqdb/wire"
)

// writeCertificate writes a self-signed certificate for 127.0.0.1 and its
// key as PEM files in dir, and returns their paths and a pool trusting it.
func writeCertificate(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(7),
		Subject:               pkix.Name{CommonName: "pqdb server test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key")
	writeFile(t, certFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	writeFile(t, keyFile, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})))
	leaf, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(leaf)
	return certFile, keyFile, pool
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// connectAs opens a pgx connection; pool nil means no TLS.
func connectAs(t *testing.T, addr, user, password string, pool *x509.CertPool) (*pgx.Conn, error) {
	t.Helper()
	cfg, err := pgx.ParseConfig("postgres://" + addr + "/pqdb?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	cfg.User, cfg.Password = user, password
	if pool != nil {
		cfg.TLSConfig = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
	}
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(c, cfg)
	if err == nil {
		t.Cleanup(func() { conn.Close(context.Background()) })
	}
	return conn, err
}

func fatalCode(t *testing.T, err error) string {
	t.Helper()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		t.Fatalf("got %v, want a server error", err)
	}
	if pe.Severity != "FATAL" {
		t.Fatalf("got %s %s %s, want FATAL", pe.Severity, pe.Code, pe.Message)
	}
	return pe.Code
}

func TestServerTLSAndSCRAM(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := writeCertificate(t, dir)
	verifier, err := wire.SCRAMVerifier("open sesame")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "users"), "tester "+verifier+"\nold "+wire.MD5Verifier("old", "legacy")+"\n")
	writeFile(t, filepath.Join(dir, "hba"), `
		hostssl  all  tester  127.0.0.1/32  scram-sha-256
		host     all  old     127.0.0.1/32  md5
	`)
	srv, err := Start(Config{
		Listen: "127.0.0.1:0", DataDir: filepath.Join(dir, "data"),
		TLSCertFile: certFile, TLSKeyFile: keyFile, TLSMode: wire.TLSRequire,
		HBAFile: filepath.Join(dir, "hba"), UsersFile: filepath.Join(dir, "users"),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })

	conn, err := connectAs(t, srv.Addr(), "tester", "open sesame", pool)
	if err != nil {
		t.Fatalf("TLS + SCRAM: %v", err)
	}
	if _, ok := conn.PgConn().Conn().(*tls.Conn); !ok {
		t.Fatalf("connection is %T, not TLS", conn.PgConn().Conn())
	}
	mustExec(t, conn, "CREATE TABLE t (a int)", "INSERT INTO t VALUES (1)")

	if _, err := connectAs(t, srv.Addr(), "tester", "open sesame", nil); fatalCode(t, err) != "28000" {
		t.Fatalf("plaintext under require: %v", err)
	}
	if _, err := connectAs(t, srv.Addr(), "tester", "wrong", pool); fatalCode(t, err) != "28P01" {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := connectAs(t, srv.Addr(), "old", "legacy", pool); err != nil {
		t.Fatalf("md5 over TLS: %v", err)
	}
	if _, err := connectAs(t, srv.Addr(), "intruder", "x", pool); fatalCode(t, err) != "28000" {
		t.Fatalf("user without a rule: %v", err)
	}
}

func TestServerMaxConnections(t *testing.T) {
	srv, err := Start(Config{Listen: "127.0.0.1:0", DataDir: t.TempDir(), MaxConnections: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if _, err := connectAs(t, srv.Addr(), "tester", "", nil); err != nil {
		t.Fatal(err)
	}
	_, err = connectAs(t, srv.Addr(), "tester", "", nil)
	if fatalCode(t, err) != "53300" || !strings.Contains(err.Error(), "sorry, too many clients already") {
		t.Fatalf("second connection: %v", err)
	}
}

func TestServerRefusesBadSecurityConfig(t *testing.T) {
	dir := t.TempDir()
	certFile, _, _ := writeCertificate(t, dir)
	writeFile(t, filepath.Join(dir, "cleartext_users"), "tester hunter2\n")
	for name, cfg := range map[string]Config{
		"require without certificate": {TLSMode: wire.TLSRequire},
		"certificate without key":     {TLSCertFile: certFile},
		"key is not a key":            {TLSCertFile: certFile, TLSKeyFile: certFile},
		"missing hba file":            {HBAFile: filepath.Join(dir, "nope")},
		"cleartext users file":        {UsersFile: filepath.Join(dir, "cleartext_users")},
	} {
		cfg.Listen, cfg.DataDir = "127.0.0.1:0", filepath.Join(dir, "data")
		if srv, err := Start(cfg); err == nil {
			srv.Close()
			t.Errorf("%s: Start succeeded", name)
		}
	}
}
