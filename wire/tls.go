package wire

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"hash"

	"github.com/xdg-go/scram"
)

// TLS: a client that wants encryption sends SSLRequest before its
// StartupMessage. With a TLSConfig the server answers 'S' and both sides
// run a TLS handshake on the same socket; everything after it, startup
// included, goes through TLS. Without one it answers 'N' and the client
// goes on in clear text (or gives up, under sslmode=require).
//
// SSLRequest (F): Int32(8) length, Int32(80877103).

// TLSMode says whether clients may connect without TLS.
type TLSMode uint8

const (
	// TLSPrefer lets each client choose; it is the default.
	TLSPrefer TLSMode = iota
	// TLSRequire refuses a StartupMessage that did not come over TLS, with
	// the FATAL 28000 PostgreSQL sends when only hostssl rules would match.
	TLSRequire
)

// ParseTLSMode parses "prefer" or "require".
func ParseTLSMode(s string) (TLSMode, error) {
	switch s {
	case "prefer":
		return TLSPrefer, nil
	case "require":
		return TLSRequire, nil
	}
	return 0, fmt.Errorf("invalid TLS mode %q: want prefer or require", s)
}

func (m TLSMode) String() string {
	if m == TLSRequire {
		return "require"
	}
	return "prefer"
}

// answerSSLRequest answers 'S' and runs the handshake when the server has
// a certificate, 'N' otherwise. It reports whether the connection goes on.
func (c *conn) answerSSLRequest() bool {
	if c.srv.TLSConfig == nil {
		_, err := c.raw.Write([]byte{'N'})
		return err == nil
	}
	if _, err := c.raw.Write([]byte{'S'}); err != nil {
		return false
	}
	cfg := c.srv.TLSConfig.Clone()
	if len(cfg.NextProtos) == 0 {
		// The ALPN name PostgreSQL 17 registers; clients that send none
		// are unaffected.
		cfg.NextProtos = []string{"postgresql"}
	}
	tc := tls.Server(c.raw, cfg)
	err := c.waitForClient(func() error { return tc.HandshakeContext(c.ctx) })
	if err != nil {
		c.log.Info("wire: TLS handshake failed", "err", err)
		return false
	}
	c.netConn = tc
	c.output.w = tc
	c.output.interrupt.tls = true
	c.encrypted = true
	return true
}

// channelBinding is the tls-server-end-point channel binding (RFC 5929)
// of an encrypted connection: a hash of the server's certificate, which
// SCRAM-SHA-256-PLUS mixes into the proof so that a man in the middle
// holding another certificate cannot relay the exchange. It is the zero
// ChannelBinding when the connection is clear text or the certificate is
// chosen per connection (GetCertificate) and so not known in advance.
func (c *conn) channelBinding() scram.ChannelBinding {
	if !c.encrypted {
		return scram.ChannelBinding{}
	}
	c.srv.sec.bindingOnce.Do(func() {
		c.srv.sec.binding = serverEndPointBinding(c.srv.TLSConfig)
	})
	return c.srv.sec.binding
}

func serverEndPointBinding(cfg *tls.Config) scram.ChannelBinding {
	if cfg == nil || cfg.GetCertificate != nil || len(cfg.Certificates) != 1 || len(cfg.Certificates[0].Certificate) == 0 {
		return scram.ChannelBinding{}
	}
	cert := cfg.Certificates[0].Leaf
	if cert == nil {
		var err error
		if cert, err = x509.ParseCertificate(cfg.Certificates[0].Certificate[0]); err != nil {
			return scram.ChannelBinding{}
		}
	}
	// RFC 5929 section 4.1: the certificate's own signature hash, with MD5
	// and SHA-1 upgraded to SHA-256.
	var h hash.Hash
	switch cert.SignatureAlgorithm {
	case x509.MD5WithRSA, x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1,
		x509.SHA256WithRSA, x509.SHA256WithRSAPSS, x509.ECDSAWithSHA256:
		h = sha256.New()
	case x509.SHA384WithRSA, x509.SHA384WithRSAPSS, x509.ECDSAWithSHA384:
		h = sha512.New384()
	case x509.SHA512WithRSA, x509.SHA512WithRSAPSS, x509.ECDSAWithSHA512:
		h = sha512.New()
	default:
		// Ed25519 and others define no hash; PostgreSQL offers no PLUS for
		// them either.
		return scram.ChannelBinding{}
	}
	h.Write(cert.Raw)
	return scram.ChannelBinding{Type: scram.ChannelBindingTLSServerEndpoint, Data: h.Sum(nil)}
}
