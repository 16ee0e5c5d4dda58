package catalog

import (
	"strings"

	"github.com/pqdb/pqdb/pgerr"
)

// aclitem (OID 1033) is one entry of an access privilege list, as the
// catalogs' relacl, nspacl, datacl and typacl columns hold them:
// grantee=privileges/grantor, an empty grantee being PUBLIC. pqdb keeps it
// as its text, read and printed as PostgreSQL's aclitemin and aclitemout
// do (acl.c): the privileges come out in the order "arwdDxtXUCTcsA", each
// followed by * when it may be granted on. Unlike PostgreSQL, whose
// aclitem holds role OIDs, the roles are not looked up, and a grantor
// must be given (PostgreSQL defaults it to the bootstrap superuser with a
// warning).

// aclRights are the privilege letters, in aclitemout's order.
const aclRights = "arwdDxtXUCTcsA"

// aclitemIn reads an aclitem's text into its canonical form.
func aclitemIn(s string) (string, error) {
	p := aclParser{s: s}
	p.space()
	grantee := p.ident()
	p.space()
	if !p.take('=') {
		if grantee == "" && p.i < len(s) {
			grantee = s[p.i:]
		}
		e := pgerr.New(pgerr.InvalidTextRepresentation, "unrecognized key word: \"%s\"", grantee)
		e.Hint = `ACL key word must be "group" or "user".`
		return "", e
	}
	var rights, grantable uint16
	for p.i < len(s) {
		c := s[p.i]
		if c == '/' || c == ' ' {
			break
		}
		p.i++
		if c == '*' {
			continue
		}
		k := strings.IndexByte(aclRights, c)
		if k < 0 {
			return "", pgerr.New(pgerr.InvalidTextRepresentation, "invalid mode character: must be one of \"%s\"", aclRights)
		}
		rights |= 1 << k
		if p.i < len(s) && s[p.i] == '*' {
			grantable |= 1 << k
		}
	}
	p.space()
	if !p.take('/') {
		return "", pgerr.New(pgerr.InvalidTextRepresentation, "aclitem \"%s\" names no grantor", s)
	}
	p.space()
	grantor := p.ident()
	if grantor == "" {
		return "", pgerr.New(pgerr.InvalidTextRepresentation, "a name must follow the \"/\" sign")
	}
	p.space()
	if p.i < len(s) {
		return "", pgerr.New(pgerr.InvalidTextRepresentation, "extra garbage at the end of the ACL specification")
	}
	var b strings.Builder
	b.WriteString(aclQuote(grantee))
	b.WriteByte('=')
	for k := range len(aclRights) {
		if rights&(1<<k) != 0 {
			b.WriteByte(aclRights[k])
			if grantable&(1<<k) != 0 {
				b.WriteByte('*')
			}
		}
	}
	b.WriteByte('/')
	b.WriteString(aclQuote(grantor))
	return b.String(), nil
}

// aclParser reads an aclitem's text.
type aclParser struct {
	s string
	i int
}

func (p *aclParser) space() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *aclParser) take(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// ident reads a role name: letters, digits, underscores and non-ASCII
// bytes, or a double-quoted name ("" for a quote).
func (p *aclParser) ident() string {
	var b strings.Builder
	quoted := false
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"' && quoted && p.i+1 < len(p.s) && p.s[p.i+1] == '"':
			b.WriteByte('"')
			p.i += 2
			continue
		case c == '"':
			quoted = !quoted
		case quoted || aclNameByte(c):
			b.WriteByte(c)
		default:
			return b.String()
		}
		p.i++
	}
	return b.String()
}

func aclNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}

// aclQuote prints a role name as aclitemout's putid does: in double
// quotes when it holds anything but ASCII letters, digits and
// underscores.
func aclQuote(name string) string {
	for i := range len(name) {
		if c := name[i]; c >= 0x80 || !aclNameByte(c) {
			return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
		}
	}
	return name
}
