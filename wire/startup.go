package wire

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/pqdb/pqdb/pgerr"
)

// Codes that take the place of a protocol version in the first packet.
const (
	sslRequestCode    = 80877103 // 1234.5679
	gssEncRequestCode = 80877104 // 1234.5680
	cancelRequestCode = 80877102 // 1234.5678

	protocolMajor = 3
	protocolMinor = 0

	// maxStartupPacketLen is PostgreSQL's MAX_STARTUP_PACKET_LENGTH. It
	// bounds the packet after its length word (ProcessStartupPacket
	// subtracts the word's 4 bytes first), unlike the message limits
	// (message_limits.go), whose length words count themselves.
	maxStartupPacketLen = 10000
)

// errBadStartupPacket is a first packet that is not the protocol at all
// (an HTTP request, a port scan); the connection is dropped silently.
var errBadStartupPacket = errors.New("invalid length of startup packet")

// startup runs the connection from its first byte to the first
// ReadyForQuery and reports whether a session was started.
//
// Start-up: To begin a session, a frontend opens a connection to the
// server and sends a startup message. [...] The server then sends an
// appropriate authentication request message, to which the frontend must
// reply with an appropriate authentication response message. [...] After
// having received AuthenticationOk, the frontend must wait for further
// messages from the server: ParameterStatus, BackendKeyData,
// ReadyForQuery (or ErrorResponse if start-up fails).
//
// SSLRequest and GSSENCRequest may precede the StartupMessage, once each:
// the server answers a single byte, 'N' here because pqdb does not
// encrypt, and the client goes on in clear text on the same connection.
// A CancelRequest comes on a connection of its own, is acted on and the
// connection is closed without any reply.
func (c *conn) startup() bool {
	// A client that never finishes starting up must not hold its
	// connection forever.
	c.raw.SetDeadline(time.Now().Add(c.srv.authenticationTimeout()))
	sslDone, gssDone := false, false
	for {
		var code uint32
		var body []byte
		err := c.waitForClient(func() error {
			var err error
			code, body, err = readStartupPacket(c.netConn)
			return err
		})
		if err != nil {
			var pe *pgerr.Error
			if errors.As(err, &pe) {
				c.sendFatal(pe)
			} else if !errors.Is(err, io.EOF) {
				c.log.Info("wire: bad startup packet", "err", err)
			}
			return false
		}

		switch {
		case code == sslRequestCode && !sslDone:
			sslDone = true
			if !c.answerSSLRequest() {
				return false
			}
		case code == gssEncRequestCode && !gssDone:
			gssDone = true
			if _, err := c.netConn.Write([]byte{'N'}); err != nil {
				return false
			}
		case code == cancelRequestCode:
			// CancelRequest: Int32(80877102), Int32 process ID, then the
			// secret key (4 bytes in protocol 3.0, up to 256 in 3.2).
			if len(body) >= 8 {
				c.srv.cancel(binary.BigEndian.Uint32(body), body[4:])
			}
			return false
		default:
			return c.startSession(code, body)
		}
	}
}

// readStartupPacket reads one length-prefixed packet without a type byte,
// straight from the socket so that nothing the client sends afterwards is
// consumed early.
func readStartupPacket(r io.Reader) (code uint32, body []byte, err error) {
	var header [8]byte
	if _, err := io.ReadFull(r, header[:4]); err != nil {
		return 0, nil, err
	}
	length := int32(binary.BigEndian.Uint32(header[:4]))
	if length < 8 || length-4 > maxStartupPacketLen {
		return 0, nil, fmt.Errorf("%w: %d", errBadStartupPacket, length)
	}
	packet := make([]byte, length-4)
	if _, err := io.ReadFull(r, packet); err != nil {
		return 0, nil, err
	}
	return binary.BigEndian.Uint32(packet), packet[4:], nil
}

// startSession handles a StartupMessage.
//
// StartupMessage (F): Int32 length, Int32(196608) the protocol version
// number (major 3 in the most significant 16 bits, minor in the least),
// then pairs of parameter name and value strings, terminated by a zero
// byte. "user" is required; "database" defaults to the user name.
// Parameter names beginning with _pq_. are reserved for protocol
// extensions.
//
// NegotiateProtocolVersion (B) is sent when the client asks for a newer
// minor version than the server supports, or for protocol options it
// does not recognize; the client then continues with what it was told.
// Any other major version is refused with FATAL 0A000, PostgreSQL's code
// for it.
func (c *conn) startSession(version uint32, body []byte) bool {
	major, minor := version>>16, version&0xffff
	if major != protocolMajor {
		c.sendFatal(pgerr.New(pgerr.FeatureNotSupported,
			"unsupported frontend protocol %d.%d: server supports %d.0 to %d.%d",
			major, minor, protocolMajor, protocolMajor, protocolMinor))
		return false
	}
	params, err := parseStartupParams(body)
	if err != nil {
		c.sendFatal(err)
		return false
	}
	var unrecognized []string
	for name := range params {
		if strings.HasPrefix(name, "_pq_.") {
			unrecognized = append(unrecognized, name)
			delete(params, name)
		}
	}
	if minor > protocolMinor || len(unrecognized) > 0 {
		slices.Sort(unrecognized)
		// Despite the field's name, PostgreSQL sends the whole version
		// number here (3.0 is 196608), and libpq reads it that way.
		c.send(&pgproto3.NegotiateProtocolVersion{
			NewestMinorProtocol: protocolMajor<<16 | protocolMinor,
			UnrecognizedOptions: unrecognized,
		})
	}

	user := params["user"]
	if user == "" {
		c.sendFatal(pgerr.New(pgerr.InvalidAuthorizationSpecification,
			"no PostgreSQL user name specified in startup packet"))
		return false
	}
	database := params["database"]
	if database == "" {
		database = user
	}
	if _, err := rand.Read(c.secret[:]); err != nil {
		c.sendFatal(fmt.Errorf("generating cancel key: %w", err))
		return false
	}

	if err := c.srv.admit(c); err != nil {
		c.sendFatal(err)
		return false
	}
	if !c.authenticate(user, database) {
		return false
	}
	c.raw.SetDeadline(time.Time{})
	session, err := c.srv.Backend.NewSession(StartupInfo{
		User:       user,
		Database:   database,
		Params:     params,
		RemoteAddr: c.netConn.RemoteAddr(),
		ProcessID:  c.pid,
	})
	if err != nil {
		c.sendFatal(err)
		return false
	}
	c.session = session
	if t, ok := session.(Terminatable); ok {
		t.SetTerminate(c.requestShutdown)
	}

	c.reportParameterChanges()
	c.send(&pgproto3.BackendKeyData{ProcessID: c.pid, SecretKey: c.secret[:]})
	c.readyForQuery()
	return c.alive()
}

// parseStartupParams decodes the name/value pairs of a StartupMessage.
func parseStartupParams(body []byte) (map[string]string, error) {
	params := make(map[string]string)
	for {
		name, rest, ok := bytes.Cut(body, []byte{0})
		if !ok {
			return nil, pgerr.New(pgerr.ProtocolViolation, "invalid startup packet layout: expected terminator as last byte")
		}
		if len(name) == 0 {
			if len(rest) != 0 {
				return nil, pgerr.New(pgerr.ProtocolViolation, "invalid startup packet layout: expected terminator as last byte")
			}
			return params, nil
		}
		value, rest, ok := bytes.Cut(rest, []byte{0})
		if !ok {
			return nil, pgerr.New(pgerr.ProtocolViolation, "invalid startup packet layout: expected terminator as last byte")
		}
		params[string(name)] = string(value)
		body = rest
	}
}

// reportParameterChanges sends ParameterStatus for every setting that is
// new or changed since it was last reported: all of them at startup, and
// after that whatever a statement such as SET changed.
//
// ParameterStatus (B): Byte1('S'), Int32 length, String the name of the
// run-time parameter being reported, String the current value of the
// parameter.
func (c *conn) reportParameterChanges() {
	if pc, ok := c.session.(ParameterChangeReporter); ok && c.reported != nil && !pc.ParameterStatusChanged() {
		return
	}
	settings := c.session.ParameterStatus()
	var changed []string
	for name, value := range settings {
		if old, ok := c.reported[name]; !ok || old != value {
			changed = append(changed, name)
		}
	}
	if len(changed) == 0 {
		return
	}
	if c.reported == nil {
		c.reported = make(map[string]string, len(settings))
	}
	slices.Sort(changed)
	for _, name := range changed {
		c.reported[name] = settings[name]
		c.send(&pgproto3.ParameterStatus{Name: name, Value: settings[name]})
	}
}
