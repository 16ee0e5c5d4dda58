package wire

import (
	"bufio"
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/xdg-go/scram"
)

// The users file holds each user's password verifier, never the password:
//
//	# name   verifier
//	alice    SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0c2FsdA==$<StoredKey>:<ServerKey>
//	legacy   md5a3556571e93b0d20722ba62be61e8c2d
//
// A verifier is written exactly as PostgreSQL stores it in
// pg_authid.rolpassword, so verifiers can be copied from a PostgreSQL
// server and back:
//
//   - SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey> with the
//     salt and keys in base64 (RFC 5802). Such a user can log in with
//     scram-sha-256, md5 (upgraded to SCRAM, as PostgreSQL does) and
//     password.
//   - md5 followed by the 32 hex digits of md5(password || username). Such
//     a user can log in with md5 and password, not with scram-sha-256.
//
// "pqdb-server --hash-password NAME" prints a line for this file.
// Anything else on a line (a cleartext password, say) is refused when the
// file is loaded.

// scramIterations is PostgreSQL's default scram_iterations.
const scramIterations = 4096

// Users maps user names to password verifiers.
type Users struct {
	byName map[string]userSecret
}

type userSecret struct {
	scram *scram.StoredCredentials // nil for an md5 user
	md5   string                   // "md5" + 32 hex digits, for an md5 user
}

// LoadUsers reads a users file.
func LoadUsers(path string) (*Users, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseUsers(f, path)
}

// ParseUsers reads users and verifiers from r; name is used in error
// messages.
func ParseUsers(r io.Reader, name string) (*Users, error) {
	u := &Users{byName: make(map[string]userSecret)}
	sc := bufio.NewScanner(r)
	for lineNo := 1; sc.Scan(); lineNo++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 2 {
			return nil, fmt.Errorf("%s:%d: expected a user name and a verifier, got %d fields", name, lineNo, len(fields))
		}
		secret, err := parseVerifier(fields[1])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: user %q: %w", name, lineNo, fields[0], err)
		}
		if _, dup := u.byName[fields[0]]; dup {
			return nil, fmt.Errorf("%s:%d: user %q appears twice", name, lineNo, fields[0])
		}
		u.byName[fields[0]] = secret
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return u, nil
}

func parseVerifier(v string) (userSecret, error) {
	if rest, ok := strings.CutPrefix(v, "SCRAM-SHA-256$"); ok {
		creds, err := parseSCRAMVerifier(rest)
		if err != nil {
			return userSecret{}, err
		}
		return userSecret{scram: creds}, nil
	}
	if hexDigits, ok := strings.CutPrefix(v, "md5"); ok && len(hexDigits) == 32 {
		if _, err := hex.DecodeString(hexDigits); err == nil {
			return userSecret{md5: strings.ToLower(v)}, nil
		}
	}
	return userSecret{}, fmt.Errorf("not a SCRAM-SHA-256 or md5 verifier (cleartext passwords are not accepted; use pqdb-server --hash-password)")
}

// parseSCRAMVerifier parses "<iterations>:<salt>$<StoredKey>:<ServerKey>".
func parseSCRAMVerifier(s string) (*scram.StoredCredentials, error) {
	bad := fmt.Errorf("malformed SCRAM-SHA-256 verifier")
	factors, keys, ok := strings.Cut(s, "$")
	if !ok {
		return nil, bad
	}
	iterText, saltText, ok1 := strings.Cut(factors, ":")
	storedText, serverText, ok2 := strings.Cut(keys, ":")
	if !ok1 || !ok2 {
		return nil, bad
	}
	iters, err := strconv.Atoi(iterText)
	if err != nil || iters < 1 {
		return nil, bad
	}
	salt, err1 := base64.StdEncoding.DecodeString(saltText)
	stored, err2 := base64.StdEncoding.DecodeString(storedText)
	server, err3 := base64.StdEncoding.DecodeString(serverText)
	if err1 != nil || err2 != nil || err3 != nil || len(salt) == 0 || len(stored) != 32 || len(server) != 32 {
		return nil, bad
	}
	return &scram.StoredCredentials{
		KeyFactors: scram.KeyFactors{Salt: string(salt), Iters: iters},
		StoredKey:  stored,
		ServerKey:  server,
	}, nil
}

// SCRAMVerifier returns a fresh SCRAM-SHA-256 verifier for password, with
// a random salt, in the users file's (and PostgreSQL's) format.
func SCRAMVerifier(password string) (string, error) {
	var salt [16]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return "", err
	}
	creds, err := scramCredentials(password, scram.KeyFactors{Salt: string(salt[:]), Iters: scramIterations})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", creds.Iters,
		base64.StdEncoding.EncodeToString([]byte(creds.Salt)),
		base64.StdEncoding.EncodeToString(creds.StoredKey),
		base64.StdEncoding.EncodeToString(creds.ServerKey)), nil
}

// MD5Verifier returns the md5 verifier of user's password, as PostgreSQL
// stores it.
func MD5Verifier(user, password string) string {
	sum := md5.Sum([]byte(password + user))
	return "md5" + hex.EncodeToString(sum[:])
}

// scramCredentials derives the stored keys of password. Like PostgreSQL,
// a password that SASLprep rejects is used as it is.
func scramCredentials(password string, kf scram.KeyFactors) (scram.StoredCredentials, error) {
	client, err := scram.SHA256.NewClient("", password, "")
	if err != nil {
		if client, err = scram.SHA256.NewClientUnprepped("", password, ""); err != nil {
			return scram.StoredCredentials{}, err
		}
	}
	return client.GetStoredCredentialsWithError(kf)
}

// lookup returns the verifier of user.
func (u *Users) lookup(user string) (userSecret, bool) {
	if u == nil {
		return userSecret{}, false
	}
	s, ok := u.byName[user]
	return s, ok
}

// checkPassword reports whether password, received in clear text, is
// user's.
func (s userSecret) checkPassword(user, password string) bool {
	if s.scram != nil {
		creds, err := scramCredentials(password, s.scram.KeyFactors)
		return err == nil && subtle.ConstantTimeCompare(creds.StoredKey, s.scram.StoredKey) == 1
	}
	return s.md5 != "" && subtle.ConstantTimeCompare([]byte(MD5Verifier(user, password)), []byte(s.md5)) == 1
}

// checkMD5Response reports whether response answers the md5 challenge
// salt: "md5" + md5hex(md5hex(password || user) || salt).
func (s userSecret) checkMD5Response(salt [4]byte, response string) bool {
	if s.md5 == "" {
		return false
	}
	sum := md5.Sum(append([]byte(s.md5[3:]), salt[:]...))
	want := "md5" + hex.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(want), []byte(response)) == 1
}
