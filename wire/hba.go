package wire

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
)

// Host-based authentication, in the spirit of PostgreSQL's pg_hba.conf.
//
// An HBA file holds one rule a line; '#' starts a comment and blank lines
// are ignored:
//
//	# type     database  user        address          method         [options]
//	hostssl    all       all         0.0.0.0/0        scram-sha-256
//	host       shop      alice,bob   10.1.0.0/16      md5
//	hostnossl  all       monitor     127.0.0.1/32     password       allow_plaintext=1
//	host       all       all         ::1/128          trust
//	host       all       mallory     all              reject
//
// type is host (TLS or not), hostssl (TLS only) or hostnossl (clear text
// only). database and user are comma-separated names or "all"; database
// may also be "sameuser" (the database named like the user). address is a
// CIDR prefix, a bare IP address (one host) or "all". method is trust,
// reject, password (the password in clear text), md5 or scram-sha-256.
// "local" lines are accepted and never match: pqdb listens on TCP only.
//
// The first rule whose type, database, user and address match the
// connection decides; a connection that no rule matches is refused with
// FATAL 28000, as in PostgreSQL.
//
// The password method makes the client send its password as it is, so it
// is refused on a connection without TLS unless the rule says
// allow_plaintext=1: a rule cannot leak passwords by accident.
//
// Passwords themselves live in a users file (users.go).

// AuthMethod is how a rule authenticates the connections it matches.
type AuthMethod uint8

const (
	AuthTrust AuthMethod = iota
	AuthReject
	AuthPassword
	AuthMD5
	AuthSCRAM
)

var authMethodNames = map[string]AuthMethod{
	"trust":         AuthTrust,
	"reject":        AuthReject,
	"password":      AuthPassword,
	"md5":           AuthMD5,
	"scram-sha-256": AuthSCRAM,
}

func (m AuthMethod) String() string {
	for name, method := range authMethodNames {
		if method == m {
			return name
		}
	}
	return fmt.Sprintf("AuthMethod(%d)", uint8(m))
}

// connType is the first field of a rule: which transports it applies to.
type connType uint8

const (
	connHost      connType = iota // TLS or clear text
	connHostSSL                   // TLS only
	connHostNoSSL                 // clear text only
	connLocal                     // Unix-domain sockets, which pqdb does not serve
)

// HBARule is one line of an HBA file.
type HBARule struct {
	Line int // 1-based line in the file, for messages

	conn      connType
	databases []string // nil: all
	sameUser  bool     // database "sameuser"
	users     []string // nil: all
	address   netip.Prefix
	anyAddr   bool

	Method AuthMethod
	// AllowPlaintext lets the password method run without TLS.
	AllowPlaintext bool
}

// HBA is an ordered list of rules; the first that matches decides.
type HBA struct {
	Rules []HBARule
}

// LoopbackTrust is the rule set used when none is configured: connections
// from the loopback interface are trusted and every other one is refused.
func LoopbackTrust() *HBA {
	return &HBA{Rules: []HBARule{
		{conn: connHost, address: netip.MustParsePrefix("127.0.0.0/8"), Method: AuthTrust},
		{conn: connHost, address: netip.MustParsePrefix("::1/128"), Method: AuthTrust},
	}}
}

// LoadHBA reads an HBA file.
func LoadHBA(path string) (*HBA, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseHBA(f, path)
}

// ParseHBA reads HBA rules from r; name is used in error messages.
func ParseHBA(r io.Reader, name string) (*HBA, error) {
	hba := &HBA{}
	sc := bufio.NewScanner(r)
	for lineNo := 1; sc.Scan(); lineNo++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		rule, err := parseHBARule(fields)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, lineNo, err)
		}
		rule.Line = lineNo
		hba.Rules = append(hba.Rules, rule)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return hba, nil
}

func parseHBARule(fields []string) (HBARule, error) {
	var rule HBARule
	switch fields[0] {
	case "host":
		rule.conn = connHost
	case "hostssl":
		rule.conn = connHostSSL
	case "hostnossl":
		rule.conn = connHostNoSSL
	case "local":
		rule.conn = connLocal
	case "hostgssenc", "hostnogssenc":
		return rule, fmt.Errorf("connection type %q is not supported: pqdb has no GSSAPI encryption", fields[0])
	default:
		return rule, fmt.Errorf("invalid connection type %q", fields[0])
	}
	// local lines have no address column.
	want := 5
	if rule.conn == connLocal {
		want = 4
	}
	if len(fields) < want {
		return rule, fmt.Errorf("expected at least %d fields, got %d", want, len(fields))
	}

	var err error
	if fields[1] == "sameuser" {
		rule.sameUser = true
	} else if rule.databases, err = parseNameList(fields[1], "database"); err != nil {
		return rule, err
	}
	if rule.users, err = parseNameList(fields[2], "user"); err != nil {
		return rule, err
	}

	rest := fields[3:]
	if rule.conn != connLocal {
		if err := rule.parseAddress(rest[0]); err != nil {
			return rule, err
		}
		rest = rest[1:]
	}
	method, ok := authMethodNames[rest[0]]
	if !ok {
		return rule, fmt.Errorf("invalid authentication method %q (pqdb supports trust, reject, password, md5, scram-sha-256)", rest[0])
	}
	rule.Method = method
	for _, opt := range rest[1:] {
		key, value, ok := strings.Cut(opt, "=")
		if !ok {
			return rule, fmt.Errorf("authentication option not in name=value format: %s", opt)
		}
		switch {
		case key == "allow_plaintext" && method == AuthPassword:
			switch value {
			case "1", "true", "on", "yes":
				rule.AllowPlaintext = true
			case "0", "false", "off", "no":
				rule.AllowPlaintext = false
			default:
				return rule, fmt.Errorf("invalid value for allow_plaintext: %q", value)
			}
		default:
			return rule, fmt.Errorf("authentication option %q is not supported for method %s", key, method)
		}
	}
	return rule, nil
}

// parseNameList parses "all" (nil) or a comma-separated list of names.
func parseNameList(field, what string) ([]string, error) {
	if field == "all" {
		return nil, nil
	}
	names := strings.Split(field, ",")
	for _, n := range names {
		switch {
		case n == "":
			return nil, fmt.Errorf("empty %s name in %q", what, field)
		case strings.HasPrefix(n, "+"), strings.HasPrefix(n, "@"):
			return nil, fmt.Errorf("%s %q: group membership and included files are not supported", what, n)
		case n == "all":
			return nil, fmt.Errorf("%q in a list of %s names: use all alone", n, what)
		}
	}
	return names, nil
}

func (r *HBARule) parseAddress(field string) error {
	switch field {
	case "all":
		r.anyAddr = true
		return nil
	case "samehost", "samenet":
		return fmt.Errorf("address %q is not supported; give a CIDR prefix", field)
	}
	if strings.Contains(field, "/") {
		p, err := netip.ParsePrefix(field)
		if err != nil {
			return fmt.Errorf("invalid CIDR address %q", field)
		}
		r.address = p.Masked()
		return nil
	}
	a, err := netip.ParseAddr(field)
	if err != nil {
		return fmt.Errorf("invalid IP address %q (host names are not supported)", field)
	}
	r.address = netip.PrefixFrom(a, a.BitLen())
	return nil
}

// match returns the first rule for a connection from addr (invalid when
// the connection is not over IP), or nil.
func (h *HBA) match(addr netip.Addr, tls bool, user, database string) *HBARule {
	addr = addr.Unmap()
	for i := range h.Rules {
		r := &h.Rules[i]
		switch r.conn {
		case connLocal:
			continue
		case connHostSSL:
			if !tls {
				continue
			}
		case connHostNoSSL:
			if tls {
				continue
			}
		}
		if !r.anyAddr && (!addr.IsValid() || !r.address.Contains(addr)) {
			continue
		}
		if r.users != nil && !slices.Contains(r.users, user) {
			continue
		}
		if r.sameUser {
			if database != user {
				continue
			}
		} else if r.databases != nil && !slices.Contains(r.databases, database) {
			continue
		}
		return r
	}
	return nil
}

// remoteIP is the client's IP address, or the zero Addr when the
// connection is not over IP.
func remoteIP(a net.Addr) netip.Addr {
	if tcp, ok := a.(*net.TCPAddr); ok {
		ip, _ := netip.AddrFromSlice(tcp.IP)
		return ip.Unmap()
	}
	return netip.Addr{}
}
