package jsonb

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pqdb/pqdb/pgerr"
)

// jsonbWireVersion is the only binary format version of jsonb: a version
// byte, then the text form.
const jsonbWireVersion = 1

// AppendSend appends v's binary wire form (jsonb_send): the version byte 1
// followed by the text form.
func AppendSend(dst []byte, v Value) []byte {
	dst = append(dst, jsonbWireVersion)
	return AppendText(dst, v)
}

// Recv parses a binary wire value (jsonb_recv) and appends the Value to
// dst using ps. Only version 1 exists; the text after it must be valid
// UTF-8, as PostgreSQL checks text it receives.
func (ps *Parser) Recv(dst []byte, msg []byte) ([]byte, error) {
	if len(msg) < 1 {
		return dst, pgerr.New(pgerr.ProtocolViolation, "insufficient data left in message")
	}
	if msg[0] != jsonbWireVersion {
		return dst, pgerr.New(pgerr.InternalError, "unsupported jsonb version number %d", msg[0])
	}
	if err := checkUTF8(msg[1:]); err != nil {
		return dst, err
	}
	return ps.Append(dst, msg[1:])
}

// RecvJSON checks a json value's binary wire form (json_recv), which is
// its text: valid UTF-8 and valid JSON. The value is msg itself.
func RecvJSON(msg []byte) error {
	if err := checkUTF8(msg); err != nil {
		return err
	}
	return ValidateJSON(msg)
}

// checkUTF8 is pg_verify_mbstr for UTF8, with report_invalid_encoding's
// error: the bytes of the first bad character. A zero byte is invalid.
func checkUTF8(s []byte) error {
	for i := 0; i < len(s); {
		c := s[i]
		if c != 0 && c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if c != 0 && (r != utf8.RuneError || n > 1) {
			i += n
			continue
		}
		l := 1
		switch {
		case c&0xE0 == 0xC0:
			l = 2
		case c&0xF0 == 0xE0:
			l = 3
		case c&0xF8 == 0xF0:
			l = 4
		}
		l = min(l, len(s)-i)
		parts := make([]string, l)
		for j := range parts {
			parts[j] = fmt.Sprintf("0x%02x", s[i+j])
		}
		return pgerr.New(pgerr.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": %s", strings.Join(parts, " "))
	}
	return nil
}
