package engine

import (
	"strings"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// The operators of pg_operator, for regoper and regoperator: indexed on
// first use, as pg_proc is.

type operObject struct {
	namedObject
	left, right uint32 // oprleft, oprright (0 for a prefix operator's left)
}

// loadOpers indexes pg_operator, once.
func (n *catalogNames) loadOpers() error {
	if n.opers != nil {
		return n.opersErr
	}
	n.opers, n.opersByName = map[uint32]operObject{}, map[nsName][]uint32{}
	n.opersErr = eachCatalogRow(n.db, "pg_operator", []string{"oid", "oprname", "oprnamespace", "oprleft", "oprright"}, func(v []catalog.Datum) {
		o := operObject{namedObject: namedObject{name: str(v[1]), ns: u32(v[2])}, left: u32(v[3]), right: u32(v[4])}
		n.opers[u32(v[0])] = o
		key := nsName{o.ns, o.name}
		n.opersByName[key] = append(n.opersByName[key], u32(v[0]))
	})
	return n.opersErr
}

// opersNamed are the operators a possibly qualified name finds on the
// search path.
func (n *catalogNames) opersNamed(name string) ([]uint32, error) {
	if err := n.loadOpers(); err != nil {
		return nil, err
	}
	qualifier := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		qualifier, name = name[:i], name[i+1:]
	}
	path, err := n.searchNamespaces(qualifier, false)
	if err != nil {
		return nil, err
	}
	var out []uint32
	for _, ns := range path {
		out = append(out, n.opersByName[nsName{ns, name}]...)
	}
	return out, nil
}

func (n *catalogNames) regoperIn(s string) (uint32, error) {
	// "-" is an operator here, not the OID 0 the other reg* types read.
	if oid, ok, err := numericOID(s); ok {
		return oid, err
	}
	oids, err := n.opersNamed(strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	switch len(oids) {
	case 0:
		return 0, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s", s)
	case 1:
		return oids[0], nil
	}
	return 0, pgerr.New(pgerr.AmbiguousFunction, "more than one operator named %s", s)
}

// regoperatorIn reads name(left,right), NONE for a prefix operator's
// missing left operand.
func (n *catalogNames) regoperatorIn(s string) (uint32, error) {
	if oid, ok, err := numericOID(s); ok {
		return oid, err
	}
	open := strings.IndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(strings.TrimSpace(s), ")") {
		return 0, pgerr.New(pgerr.InvalidTextRepresentation, "expected a left parenthesis")
	}
	args := splitTypeList(strings.TrimSuffix(strings.TrimSpace(s[open+1:]), ")"))
	if len(args) != 2 {
		if len(args) < 2 {
			return 0, pgerr.New(pgerr.UndefinedParameter, "missing argument")
		}
		return 0, pgerr.New(pgerr.TooManyArguments, "too many arguments")
	}
	var types [2]uint32
	for i, a := range args {
		if strings.EqualFold(strings.TrimSpace(a), "none") {
			continue
		}
		oid, err := n.regtypeIn(a)
		if err != nil {
			return 0, err
		}
		types[i] = oid
	}
	oids, err := n.opersNamed(strings.TrimSpace(s[:open]))
	if err != nil {
		return 0, err
	}
	for _, oid := range oids {
		if o := n.opers[oid]; o.left == types[0] && o.right == types[1] {
			return oid, nil
		}
	}
	return 0, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s", s)
}

// operUnique reports whether o is the only operator its name finds:
// regoperout qualifies the name otherwise.
func (n *catalogNames) operUnique(oid uint32, o operObject) bool {
	path, _ := n.searchNamespaces("", false)
	for _, ns := range path {
		if others := n.opersByName[nsName{ns, o.name}]; len(others) > 0 {
			return len(others) == 1 && others[0] == oid
		}
	}
	return false
}

func (n *catalogNames) regoperOut(oid uint32) string {
	n.loadOpers()
	o, ok := n.opers[oid]
	if !ok {
		return unnamedOID(oid)
	}
	if n.operUnique(oid, o) {
		return o.name
	}
	return n.namespaces[o.ns] + "." + o.name
}

func (n *catalogNames) regoperatorOut(oid uint32) string {
	n.loadOpers()
	o, ok := n.opers[oid]
	if !ok {
		return unnamedOID(oid)
	}
	operand := func(t uint32) string {
		if t == 0 {
			return "NONE"
		}
		return n.formatType(t, -1, false)
	}
	name := o.name
	if !n.nsVisible(o.ns) {
		name = n.namespaces[o.ns] + "." + name
	}
	return name + "(" + operand(o.left) + "," + operand(o.right) + ")"
}
