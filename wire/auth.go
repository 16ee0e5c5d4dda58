package wire

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/xdg-go/scram"
)

// Authentication runs between StartupMessage and AuthenticationOk. The
// HBA rules (hba.go) choose a method for the connection's address, user,
// database and encryption; the method then asks for the password in its
// own way and checks it against the users file (users.go):
//
//   - trust: AuthenticationOk at once. reject: FATAL 28000.
//   - password: AuthenticationCleartextPassword, answered by a
//     PasswordMessage holding the password itself.
//   - md5: AuthenticationMD5Password with a random 4-byte salt, answered
//     by "md5" + md5hex(md5hex(password || user) || salt). A user whose
//     verifier is SCRAM is authenticated with SCRAM instead, as in
//     PostgreSQL.
//   - scram-sha-256: AuthenticationSASL listing SCRAM-SHA-256 (and, over
//     TLS, SCRAM-SHA-256-PLUS with tls-server-end-point channel binding
//     first), SASLInitialResponse, AuthenticationSASLContinue,
//     SASLResponse, AuthenticationSASLFinal (RFC 5802, 7677). The SCRAM
//     user name is ignored; the StartupMessage's is authoritative.
//
// An unknown user goes through the same exchange as a known one (SCRAM
// with a salt derived from a per-server secret) and fails the same way,
// with FATAL 28P01 "password authentication failed for user", so the
// answers do not tell which users exist. Each failure from an address
// doubles the delay before that address's next failure is answered, up to
// maxAuthFailureDelay. A success does not reset it (knowing one password
// must not help guess another); failureMemory without a failure does.

const (
	// defaultAuthFailureDelay is the delay before the first failure's
	// answer.
	defaultAuthFailureDelay = 100 * time.Millisecond
	// maxAuthFailureDelay bounds the delay however many failures an
	// address has.
	maxAuthFailureDelay = 5 * time.Second
	// defaultAuthenticationTimeout is PostgreSQL's authentication_timeout:
	// the time from connecting to AuthenticationOk.
	defaultAuthenticationTimeout = time.Minute
	// maxAuthMessageLen is PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH.
	maxAuthMessageLen = 65535
)

// errAuthFailed is a wrong password, or a password for an unknown user.
var errAuthFailed = errors.New("password authentication failed")

var loopbackTrust = LoopbackTrust()

// authenticate runs the authentication exchange for user and database and
// sends AuthenticationOk, or sends FATAL and reports false.
func (c *conn) authenticate(user, database string) bool {
	addr := remoteIP(c.raw.RemoteAddr())
	hba := c.srv.HBA
	if hba == nil {
		hba = loopbackTrust
	}
	var rule *HBARule
	if c.srv.TLSMode != TLSRequire || c.encrypted {
		rule = hba.match(addr, c.encrypted, user, database)
	}
	if rule == nil {
		c.sendFatal(pgerr.New(pgerr.InvalidAuthorizationSpecification,
			"no pg_hba.conf entry for host \"%s\", user \"%s\", database \"%s\", %s",
			hostString(addr), user, database, c.encryptionName()))
		return false
	}

	secret, known := c.srv.Users.lookup(user)
	if !known && c.srv.RoleVerifier != nil {
		// Roles made with CREATE ROLE ... PASSWORD live in the database.
		if v, ok := c.srv.RoleVerifier(user); ok && v != "" {
			if s, err := parseVerifier(v); err == nil {
				secret, known = s, true
			}
		}
	}
	var err error
	switch rule.Method {
	case AuthTrust:
	case AuthReject:
		err = pgerr.New(pgerr.InvalidAuthorizationSpecification,
			"pg_hba.conf rejects connection for host \"%s\", user \"%s\", database \"%s\", %s",
			hostString(addr), user, database, c.encryptionName())
	case AuthPassword:
		if !c.encrypted && !rule.AllowPlaintext {
			e := pgerr.New(pgerr.InvalidAuthorizationSpecification,
				"password authentication for user \"%s\" requires an SSL connection", user)
			e.Hint = "Connect with sslmode=require, or allow clear text with allow_plaintext=1 on the pg_hba rule."
			err = e
			break
		}
		err = c.authPassword(user, secret, known)
	case AuthMD5:
		if known && secret.scram == nil {
			err = c.authMD5(secret)
			break
		}
		err = c.authSCRAM(user, secret, known)
	case AuthSCRAM:
		err = c.authSCRAM(user, secret, known)
	default:
		err = fmt.Errorf("unknown authentication method %v", rule.Method)
	}

	var pe *pgerr.Error
	switch {
	case err == nil:
		c.send(&pgproto3.AuthenticationOk{})
		return true
	case errors.Is(err, errAuthFailed):
		delay := c.srv.sec.failures.record(addr, time.Now(), c.srv.authFailureDelay())
		c.log.Info("wire: password authentication failed", "user", user, "method", rule.Method.String(),
			"hba_line", rule.Line, "delay", delay)
		if delay > 0 {
			t := time.NewTimer(delay)
			select {
			case <-t.C:
			case <-c.ctx.Done():
				t.Stop()
			}
		}
		c.sendFatal(pgerr.New(pgerr.InvalidPassword, "password authentication failed for user \"%s\"", user))
	case errors.As(err, &pe):
		c.sendFatal(pe)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		// psql hangs up when asked for a password it does not have, and
		// asks the user for one; that is no failure.
	default:
		c.log.Info("wire: authentication ended", "user", user, "err", err)
	}
	return false
}

func (c *conn) encryptionName() string {
	if c.encrypted {
		return "SSL encryption"
	}
	return "no encryption"
}

func hostString(addr netip.Addr) string {
	if !addr.IsValid() {
		return "[local]"
	}
	return addr.String()
}

// authPassword runs the password method.
//
// AuthenticationCleartextPassword (B): Byte1('R'), Int32(8), Int32(3).
// PasswordMessage (F): Byte1('p'), Int32 length, String the password.
func (c *conn) authPassword(user string, secret userSecret, known bool) error {
	c.send(&pgproto3.AuthenticationCleartextPassword{})
	var msg pgproto3.PasswordMessage
	if err := c.readAuthResponse("password", &msg); err != nil {
		return err
	}
	if msg.Password == "" {
		return errAuthFailed
	}
	if !known || !secret.checkPassword(user, msg.Password) {
		return errAuthFailed
	}
	return nil
}

// authMD5 runs the md5 method for a user with an md5 verifier.
//
// AuthenticationMD5Password (B): Byte1('R'), Int32(12), Int32(5), Byte4
// the salt.
func (c *conn) authMD5(secret userSecret) error {
	var salt [4]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return err
	}
	c.send(&pgproto3.AuthenticationMD5Password{Salt: salt})
	var msg pgproto3.PasswordMessage
	if err := c.readAuthResponse("password", &msg); err != nil {
		return err
	}
	if !secret.checkMD5Response(salt, msg.Password) {
		return errAuthFailed
	}
	return nil
}

const (
	scramSHA256     = "SCRAM-SHA-256"
	scramSHA256Plus = "SCRAM-SHA-256-PLUS"
)

// authSCRAM runs SCRAM-SHA-256 (RFC 7677) as a SASL exchange.
//
// AuthenticationSASL (B): Int32(10), then the mechanism names, each a
// String, ending with an empty one. SASLInitialResponse (F): Byte1('p'),
// String the mechanism, Int32 length of the data (-1 for none), the
// client-first-message. AuthenticationSASLContinue (B): Int32(11) and the
// server-first-message. SASLResponse (F): Byte1('p') and the
// client-final-message. AuthenticationSASLFinal (B): Int32(12) and the
// server-final-message.
func (c *conn) authSCRAM(user string, secret userSecret, known bool) error {
	binding := c.channelBinding()
	mechanisms := []string{scramSHA256}
	if binding.IsSupported() {
		mechanisms = []string{scramSHA256Plus, scramSHA256}
	}
	c.send(&pgproto3.AuthenticationSASL{AuthMechanisms: mechanisms})
	var initial pgproto3.SASLInitialResponse
	if err := c.readAuthResponse("SASL", &initial); err != nil {
		return err
	}

	creds := c.srv.sec.mockSCRAMCredentials(user)
	if known && secret.scram != nil {
		creds = *secret.scram
	} else {
		known = false
	}
	server, err := scram.SHA256.NewServer(func(string) (scram.StoredCredentials, error) { return creds, nil })
	if err != nil {
		return err
	}
	var conv *scram.ServerConversation
	switch {
	case initial.AuthMechanism == scramSHA256 && binding.IsSupported():
		// The client saw PLUS offered; a "y" flag now means someone
		// removed it on the way.
		conv = server.NewConversationWithChannelBinding(binding)
	case initial.AuthMechanism == scramSHA256:
		conv = server.NewConversation()
	case initial.AuthMechanism == scramSHA256Plus && binding.IsSupported():
		conv = server.NewConversationWithChannelBindingRequired(binding)
	default:
		return pgerr.New(pgerr.ProtocolViolation, "client selected an invalid SASL authentication mechanism")
	}

	serverFirst, err := conv.Step(string(initial.Data))
	if err != nil {
		return scramError(serverFirst, err)
	}
	c.send(&pgproto3.AuthenticationSASLContinue{Data: []byte(serverFirst)})
	var final pgproto3.SASLResponse
	if err := c.readAuthResponse("SASL", &final); err != nil {
		return err
	}
	serverFinal, err := conv.Step(string(final.Data))
	if err != nil {
		return scramError(serverFinal, err)
	}
	if !known || !conv.Valid() {
		return errAuthFailed
	}
	c.send(&pgproto3.AuthenticationSASLFinal{Data: []byte(serverFinal)})
	return nil
}

// scramError turns a failed SCRAM step into what PostgreSQL reports.
func scramError(serverMessage string, err error) error {
	switch serverMessage {
	case scram.ErrInvalidProof:
		return errAuthFailed
	case scram.ErrChannelBindingsDontMatch:
		return pgerr.New(pgerr.ProtocolViolation, "SCRAM channel binding check failed")
	}
	e := pgerr.New(pgerr.ProtocolViolation, "malformed SCRAM message")
	e.Detail = err.Error()
	return e
}

// authResponse is a frontend message of type 'p', whose meaning depends on
// what the server asked for.
type authResponse interface {
	Decode(body []byte) error
}

// readAuthResponse flushes what was sent and reads the client's answer
// into msg, straight from the socket so that nothing after it is
// consumed early.
func (c *conn) readAuthResponse(kind string, msg authResponse) error {
	if err := c.flush(); err != nil {
		return err
	}
	var body []byte
	var typ byte
	err := c.waitForClient(func() error {
		var header [5]byte
		if _, err := io.ReadFull(c.netConn, header[:]); err != nil {
			return err
		}
		typ = header[0]
		length := int(binary.BigEndian.Uint32(header[1:]))
		if typ != 'p' {
			return nil
		}
		if length < 4 || length-4 > maxAuthMessageLen {
			return pgerr.New(pgerr.ProtocolViolation, "invalid message length %d", length)
		}
		body = make([]byte, length-4)
		_, err := io.ReadFull(c.netConn, body)
		return err
	})
	if err != nil {
		return err
	}
	if typ != 'p' {
		return pgerr.New(pgerr.ProtocolViolation, "expected %s response, got message type %d", kind, typ)
	}
	if err := msg.Decode(body); err != nil {
		return pgerr.New(pgerr.ProtocolViolation, "malformed %s message: %v", kind, err)
	}
	return nil
}

// mockSCRAMCredentials are what an unknown user is challenged with: the
// salt is stable per user, so asking twice does not reveal that the user
// is made up, and the keys match no password.
func (sec *security) mockSCRAMCredentials(user string) scram.StoredCredentials {
	sec.mockOnce.Do(func() { rand.Read(sec.mockNonce[:]) })
	salt := sha256.Sum256(append(sec.mockNonce[:], user...))
	keys := make([]byte, 64)
	rand.Read(keys)
	return scram.StoredCredentials{
		KeyFactors: scram.KeyFactors{Salt: string(salt[:16]), Iters: scramIterations},
		StoredKey:  keys[:32],
		ServerKey:  keys[32:],
	}
}
