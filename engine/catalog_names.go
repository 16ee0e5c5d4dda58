package engine

import (
	"slices"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/catalog/pgcatalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/storage"
)

// catalogNames indexes the objects a session sees by OID and by name, as
// the reg* types' input and output functions and the catalog
// information functions (format_type, pg_get_userbyid, ...) read them.
// It is built from the rows of pg_class, pg_namespace, pg_type,
// pg_database, pg_authid, pg_proc and pg_operator themselves (the last
// two on first use), so that every name and OID agrees with what the
// system catalogs show. The session keeps one for as long as the catalog
// and search path stay the same (catalogNamesFor): statements call these
// functions per row, and bind nextval('s'::regclass) per INSERT.
type catalogNames struct {
	classes    map[uint32]namedObject
	namespaces map[uint32]string
	nsByName   map[string]uint32
	types      map[uint32]namedObject
	procs      map[uint32]procObject
	roles      map[uint32]string
	roleByName map[string]uint32
	// databases are pg_database's, by name: the one pqdb serves and
	// the templates it lists.
	databases map[string]uint32
	// classByName, typeByName and procsByName find objects by
	// namespace and name.
	classByName map[nsName]uint32
	typeByName  map[nsName]uint32
	procsByName map[nsName][]uint32
	// path is the effective search path, by namespace OID: the
	// temporary schema (for relations), pg_catalog unless the path
	// places it, then the existing schemas of search_path.
	path     []uint32
	tempNS   uint32
	database string
	// pg_proc is the largest of the catalogs and the one fewest
	// callers need: its index is made on first use (loadProcs).
	db          sessionDatabase
	procsLoaded bool
	procsErr    error
	// opers and opersByName index pg_operator (loadOpers).
	opers       map[uint32]operObject
	opersByName map[nsName][]uint32
	opersErr    error
	// descriptions index pg_description (catalog_descriptions.go).
	descriptions descriptions
	// searchables index the catalogs of regconfig, regdictionary and
	// regcollation (catalog_names_searchable.go).
	searchables map[catalog.Kind]*searchable
}

type nsName struct {
	ns   uint32
	name string
}

type namedObject struct {
	name string
	ns   uint32
	kind string // relkind of a class
	// elem is the element type of an array type (typelem with
	// typcategory A), or 0.
	elem uint32
}

type procObject struct {
	namedObject
	args []uint32 // proargtypes: the input arguments
	// ret and retset are prorettype and proretset; allArgs, modes and
	// argNames are proallargtypes, proargmodes and proargnames (nil
	// when pg_proc has NULL: all arguments are IN, or unnamed).
	ret      uint32
	retset   bool
	allArgs  []uint32
	modes    []string
	argNames []string
}

// catalogNamesFor returns the index for the session's current catalog
// view, building it when the catalog (not merely the rows) or the search
// path changed.
func (s *Session) catalogNamesFor() (*catalogNames, error) {
	snap := s.catalogView()
	path := s.settings["search_path"]
	if c := s.namesCache; c != nil && c.snap.SameCatalog(snap) && c.path == path {
		return c.names, nil
	}
	n, err := buildCatalogNames(s, snap)
	if err != nil {
		return nil, err
	}
	s.namesCache = &namesCache{snap: snap, path: path, names: n}
	return n, nil
}

// namesCache is the session's last catalogNames, for the snapshot and
// search_path it was built for.
type namesCache struct {
	snap  *storage.Snapshot
	path  string
	names *catalogNames
}

func buildCatalogNames(s *Session, snap *storage.Snapshot) (*catalogNames, error) {
	db := sessionDatabase{s: s, snap: snap}
	n := &catalogNames{classes: map[uint32]namedObject{}, namespaces: map[uint32]string{}, nsByName: map[string]uint32{},
		types: map[uint32]namedObject{}, procs: map[uint32]procObject{}, roles: map[uint32]string{}, roleByName: map[string]uint32{},
		classByName: map[nsName]uint32{}, typeByName: map[nsName]uint32{}, procsByName: map[nsName][]uint32{},
		databases: map[string]uint32{},
		database:  s.info.Database, db: db}
	err := eachCatalogRow(db, "pg_namespace", []string{"oid", "nspname"}, func(v []catalog.Datum) {
		n.namespaces[u32(v[0])] = str(v[1])
		n.nsByName[str(v[1])] = u32(v[0])
	})
	if err == nil {
		err = eachCatalogRow(db, "pg_class", []string{"oid", "relname", "relnamespace", "relkind"}, func(v []catalog.Datum) {
			o := namedObject{name: str(v[1]), ns: u32(v[2]), kind: str(v[3])}
			n.classes[u32(v[0])] = o
			n.classByName[nsName{o.ns, o.name}] = u32(v[0])
		})
	}
	if err == nil {
		err = eachCatalogRow(db, "pg_type", []string{"oid", "typname", "typnamespace", "typelem", "typcategory"}, func(v []catalog.Datum) {
			o := namedObject{name: str(v[1]), ns: u32(v[2])}
			if str(v[4]) == "A" {
				o.elem = u32(v[3])
			}
			n.types[u32(v[0])] = o
			n.typeByName[nsName{o.ns, o.name}] = u32(v[0])
		})
	}
	if err == nil {
		err = eachCatalogRow(db, "pg_database", []string{"oid", "datname"}, func(v []catalog.Datum) {
			n.databases[str(v[1])] = u32(v[0])
		})
	}
	if err == nil {
		err = eachCatalogRow(db, "pg_authid", []string{"oid", "rolname"}, func(v []catalog.Datum) {
			n.roles[u32(v[0])] = str(v[1])
			n.roleByName[str(v[1])] = u32(v[0])
		})
	}
	if err != nil {
		return nil, err
	}
	if snap.HasSchema(s.tempSchema()) {
		n.tempNS = n.nsByName[s.tempSchema()]
		n.path = append(n.path, n.tempNS)
	}
	schemas := searchPath(s.settings["search_path"], s.info.User)
	if !slices.Contains(schemas, pgcatalog.PgCatalog) {
		n.path = append(n.path, pgcatalog.PgCatalogOID)
	}
	for _, sc := range schemas {
		if oid, ok := n.nsByName[sc]; ok && !slices.Contains(n.path, oid) {
			n.path = append(n.path, oid)
		}
	}
	return n, nil
}

// eachCatalogRow calls fn with the values of columns cols of each row
// of the catalog name.
func eachCatalogRow(db sessionDatabase, name string, cols []string, fn func(v []catalog.Datum)) error {
	rel, rows, err := pgcatalog.CatalogRows(db, name)
	if err != nil || rel == nil {
		return err
	}
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = rel.Column(c)
	}
	v := make([]catalog.Datum, len(cols))
	for _, r := range rows {
		for i, k := range idx {
			v[i] = r[k]
		}
		fn(v)
	}
	return nil
}

func u32(d catalog.Datum) uint32 { x, _ := d.(uint32); return x }
func str(d catalog.Datum) string { x, _ := d.(string); return x }

// loadProcs indexes pg_proc, once. The input functions report its
// error; printing and visibility treat the functions as unknown.
func (n *catalogNames) loadProcs() error {
	if n.procsLoaded {
		return n.procsErr
	}
	n.procsLoaded = true
	cols := []string{"oid", "proname", "pronamespace", "proargtypes", "prorettype", "proretset", "proallargtypes", "proargmodes", "proargnames"}
	n.procsErr = eachCatalogRow(n.db, "pg_proc", cols, func(v []catalog.Datum) {
		p := procObject{namedObject: namedObject{name: str(v[1]), ns: u32(v[2])}, ret: u32(v[4])}
		p.retset, _ = v[5].(bool)
		oids := func(d catalog.Datum) (out []uint32) {
			for _, a := range d.(catalog.ArrayValue) {
				out = append(out, u32(a))
			}
			return out
		}
		strs := func(d catalog.Datum) (out []string) {
			for _, a := range d.(catalog.ArrayValue) {
				out = append(out, str(a))
			}
			return out
		}
		if v[3] != nil {
			p.args = oids(v[3])
		}
		if v[6] != nil {
			p.allArgs = oids(v[6])
		}
		if v[7] != nil {
			p.modes = strs(v[7])
		}
		if v[8] != nil {
			p.argNames = strs(v[8])
		}
		n.procs[u32(v[0])] = p
		key := nsName{p.ns, p.name}
		n.procsByName[key] = append(n.procsByName[key], u32(v[0]))
	})
	return n.procsErr
}

// searchNamespaces are the namespaces an object name is looked up in:
// the one its qualifier names (pg_temp meaning the session's temporary
// schema), else the search path, without the temporary schema unless
// relations is set (PostgreSQL never finds functions and types there
// unqualified).
func (n *catalogNames) searchNamespaces(qualifier string, relations bool) ([]uint32, error) {
	if qualifier != "" {
		if qualifier == "pg_temp" && n.tempNS != 0 {
			return []uint32{n.tempNS}, nil
		}
		oid, ok := n.nsByName[qualifier]
		if !ok {
			return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", qualifier)
		}
		return []uint32{oid}, nil
	}
	if relations || n.tempNS == 0 {
		return n.path, nil
	}
	return slices.DeleteFunc(slices.Clone(n.path), func(ns uint32) bool { return ns == n.tempNS }), nil
}

// qualified prints name, qualified by its namespace unless it is the
// object the name finds on the search path (visible).
func (n *catalogNames) qualified(ns uint32, name string, visible bool) string {
	if visible {
		return exec.QuoteIdent(name)
	}
	return exec.QuoteIdent(n.namespaces[ns]) + "." + exec.QuoteIdent(name)
}

// classVisible is pg_table_is_visible: the relation is the first one of
// its name on the search path.
func (n *catalogNames) classVisible(oid uint32) bool {
	c, ok := n.classes[oid]
	if !ok {
		return false
	}
	for _, ns := range n.path {
		if found, ok := n.classByName[nsName{ns, c.name}]; ok {
			return found == oid
		}
	}
	return false
}

// typeVisible is pg_type_is_visible.
func (n *catalogNames) typeVisible(oid uint32) bool {
	t, ok := n.types[oid]
	if !ok {
		return false
	}
	path, _ := n.searchNamespaces("", false)
	for _, ns := range path {
		if found, ok := n.typeByName[nsName{ns, t.name}]; ok {
			return found == oid
		}
	}
	return false
}

// procVisible is pg_function_is_visible: no function of the same name
// and argument types comes before it on the search path.
func (n *catalogNames) procVisible(oid uint32) bool {
	n.loadProcs()
	p, ok := n.procs[oid]
	if !ok {
		return false
	}
	path, _ := n.searchNamespaces("", false)
	for _, ns := range path {
		for _, other := range n.procsByName[nsName{ns, p.name}] {
			if slices.Equal(n.procs[other].args, p.args) {
				return other == oid
			}
		}
	}
	return false
}

// nsVisible reports whether namespace ns is on the search path, as
// pg_*_is_visible of objects kept per namespace answer for the ones
// pqdb has no rows of (operators, collations, ...).
func (n *catalogNames) nsVisible(ns uint32) bool { return slices.Contains(n.path, ns) }

// The output functions: an OID that names nothing prints as its number,
// and 0 as "-", as PostgreSQL's do.

func (n *catalogNames) regclassOut(oid uint32) string {
	c, ok := n.classes[oid]
	if !ok {
		return unnamedOID(oid)
	}
	return n.qualified(c.ns, c.name, n.classVisible(oid))
}

func (n *catalogNames) regnamespaceOut(oid uint32) string {
	if name, ok := n.namespaces[oid]; ok {
		return exec.QuoteIdent(name)
	}
	return unnamedOID(oid)
}

func (n *catalogNames) regroleOut(oid uint32) string {
	if name, ok := n.roles[oid]; ok {
		return exec.QuoteIdent(name)
	}
	return unnamedOID(oid)
}

func (n *catalogNames) regprocOut(oid uint32) string {
	n.loadProcs()
	p, ok := n.procs[oid]
	if !ok {
		return unnamedOID(oid)
	}
	// regprocout qualifies a name that does not find the function
	// alone: not visible, or overloaded.
	visible := n.procVisible(oid)
	path, _ := n.searchNamespaces("", false)
	for _, ns := range path {
		if others := n.procsByName[nsName{ns, p.name}]; len(others) > 0 {
			visible = visible && len(others) == 1
			break
		}
	}
	return n.qualified(p.ns, p.name, visible)
}

func (n *catalogNames) regprocedureOut(oid uint32) string {
	n.loadProcs()
	p, ok := n.procs[oid]
	if !ok {
		return unnamedOID(oid)
	}
	args := make([]string, len(p.args))
	for i, a := range p.args {
		args[i] = n.formatType(a, -1, false)
	}
	return n.qualified(p.ns, p.name, n.procVisible(oid)) + "(" + strings.Join(args, ",") + ")"
}

func (n *catalogNames) regtypeOut(oid uint32) string {
	if _, ok := n.types[oid]; !ok {
		if _, builtin := catalog.TypeByOID(oid); !builtin {
			return unnamedOID(oid)
		}
	}
	return n.formatType(oid, -1, false)
}

func unnamedOID(oid uint32) string {
	if oid == 0 {
		return "-"
	}
	return strconv.FormatUint(uint64(oid), 10)
}

// formatType is format_type(oid, typmod): the SQL name of a built-in
// type pqdb has, with its modifier, else pg_type's name, qualified
// when the type is not visible; typmodGiven is whether a modifier was
// passed (format_type(bpchar, NULL) is character, with -1 bpchar).
func (n *catalogNames) formatType(oid uint32, typmod int32, typmodGiven bool) string {
	if oid == 0 {
		return "-"
	}
	if t, ok := catalog.TypeByOID(oid); ok && t.Kind != catalog.Enum && t.Kind != catalog.Record {
		if t.Kind == catalog.Array && !t.Vector {
			return n.formatType(t.ElemType().OID(), typmod, typmodGiven) + "[]"
		}
		if t.Kind == catalog.Bpchar && (!typmodGiven || typmod < 0) {
			if typmodGiven {
				return "bpchar"
			}
			return "character"
		}
		if typmod >= 0 {
			t.Typmod = typmod
			if t.Kind == catalog.Numeric {
				t = catalog.NumericType((typmod-4)>>16, int32(int16((typmod-4)<<5)>>5))
			}
		}
		return t.String()
	}
	switch oid {
	// The SQL names format_type gives the built-in types pqdb lacks.
	case catalog.OIDBit, catalog.OIDVarbit:
		name := map[uint32]string{catalog.OIDBit: "bit", catalog.OIDVarbit: "bit varying"}[oid]
		if typmod >= 0 {
			return name + "(" + strconv.Itoa(int(typmod)) + ")"
		}
		return name
	case catalog.OIDTimetz:
		if typmod >= 0 {
			return "time(" + strconv.Itoa(int(typmod)) + ") with time zone"
		}
		return "time with time zone"
	}
	ty, ok := n.types[oid]
	if !ok {
		return "???"
	}
	if ty.elem != 0 {
		return n.formatType(ty.elem, typmod, typmodGiven) + "[]"
	}
	return n.qualified(ty.ns, ty.name, n.typeVisible(oid))
}

// The input functions read a name (or a number, which is the OID as
// it is) into the OID of the object it names on the search path.

// numericOID reads s as an OID when it is all digits, as the reg*
// input functions do before looking a name up.
func numericOID(s string) (uint32, bool, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false, nil
	}
	d, err := catalog.ParseText(catalog.TypeOid, s)
	if err != nil {
		return 0, true, err
	}
	return d.(uint32), true, nil
}

func (n *catalogNames) regclassIn(s string) (uint32, error) {
	if oid, ok, err := numericOID(s); ok || s == "-" {
		return oid, err
	}
	parts, err := catalog.SplitRelationName(s)
	if err != nil {
		return 0, err
	}
	if len(parts) > 3 {
		return 0, pgerr.New(pgerr.InvalidName, "improper relation name (too many dotted names): %s", s)
	}
	if len(parts) == 3 && parts[0] != n.database {
		return 0, pgerr.New(pgerr.FeatureNotSupported, "cross-database references are not implemented: %s", s)
	}
	qualifier, name := "", parts[len(parts)-1]
	if len(parts) > 1 {
		qualifier = parts[len(parts)-2]
	}
	path, err := n.searchNamespaces(qualifier, true)
	if err != nil {
		return 0, err
	}
	for _, ns := range path {
		if oid, ok := n.classByName[nsName{ns, name}]; ok {
			return oid, nil
		}
	}
	return 0, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", strings.Join(parts[max(0, len(parts)-2):], "."))
}

func (n *catalogNames) regnamespaceIn(s string) (uint32, error) {
	return unqualifiedNameIn(s, n.nsByName, pgerr.UndefinedSchema, "schema")
}

func (n *catalogNames) regroleIn(s string) (uint32, error) {
	return unqualifiedNameIn(s, n.roleByName, pgerr.UndefinedObject, "role")
}

// unqualifiedNameIn reads the input of a reg* type whose objects have
// unqualified names (schemas, roles): a numeric OID, "-" for 0, or a name
// found in byName; what a missing one is is its error's code and kind.
func unqualifiedNameIn(s string, byName map[string]uint32, code, kind string) (uint32, error) {
	if oid, ok, err := numericOID(s); ok || s == "-" {
		return oid, err
	}
	parts, err := catalog.SplitRelationName(s)
	if err != nil {
		return 0, err
	}
	if len(parts) != 1 {
		return 0, pgerr.New(pgerr.InvalidName, "invalid name syntax")
	}
	if oid, ok := byName[parts[0]]; ok {
		return oid, nil
	}
	return 0, pgerr.New(code, "%s \"%s\" does not exist", kind, parts[0])
}

// procsNamed are the functions a possibly qualified name finds: those of
// the first namespace on the path that has any.
func (n *catalogNames) procsNamed(name string) ([]uint32, error) {
	if err := n.loadProcs(); err != nil {
		return nil, err
	}
	parts, err := catalog.SplitRelationName(name)
	if err != nil {
		return nil, err
	}
	if len(parts) > 2 {
		return nil, pgerr.New(pgerr.InvalidName, "improper qualified name (too many dotted names): %s", name)
	}
	qualifier := ""
	if len(parts) == 2 {
		qualifier = parts[0]
	}
	path, err := n.searchNamespaces(qualifier, false)
	if err != nil {
		return nil, err
	}
	var out []uint32
	for _, ns := range path {
		out = append(out, n.procsByName[nsName{ns, parts[len(parts)-1]}]...)
	}
	return out, nil
}

func (n *catalogNames) regprocIn(s string) (uint32, error) {
	if oid, ok, err := numericOID(s); ok || s == "-" {
		return oid, err
	}
	oids, err := n.procsNamed(s)
	if err != nil {
		return 0, err
	}
	switch len(oids) {
	case 0:
		return 0, pgerr.New(pgerr.UndefinedFunction, "function \"%s\" does not exist", s)
	case 1:
		return oids[0], nil
	}
	return 0, pgerr.New(pgerr.AmbiguousFunction, "more than one function named \"%s\"", s)
}

func (n *catalogNames) regprocedureIn(s string) (uint32, error) {
	if oid, ok, err := numericOID(s); ok || s == "-" {
		return oid, err
	}
	open := strings.IndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(strings.TrimSpace(s), ")") {
		return 0, pgerr.New(pgerr.InvalidTextRepresentation, "expected a left parenthesis")
	}
	var args []uint32
	if list := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s[open+1:]), ")")); list != "" {
		for _, a := range splitTypeList(list) {
			oid, err := n.regtypeIn(a)
			if err != nil {
				return 0, err
			}
			args = append(args, oid)
		}
	}
	oids, err := n.procsNamed(strings.TrimSpace(s[:open]))
	if err != nil {
		return 0, err
	}
	for _, oid := range oids {
		if slices.Equal(n.procs[oid].args, args) {
			return oid, nil
		}
	}
	return 0, pgerr.New(pgerr.UndefinedFunction, "function \"%s\" does not exist", s)
}

// splitTypeList splits the argument types of a regprocedure at the
// commas outside parentheses (numeric(10,2) is one type).
func splitTypeList(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// regtypeIn reads a type name as SQL writes it (int4, character
// varying(3), public.mood, "Mood"[], ...): PostgreSQL's parser reads it,
// and so does pqdb's.
func (n *catalogNames) regtypeIn(s string) (uint32, error) {
	if oid, ok, err := numericOID(s); ok || s == "-" {
		return oid, err
	}
	tree, err := pg_query.Parse("SELECT NULL::" + s)
	var tn *pg_query.TypeName
	if err == nil && len(tree.Stmts) == 1 {
		if sel := tree.Stmts[0].Stmt.GetSelectStmt(); sel != nil && len(sel.TargetList) == 1 {
			if tc := sel.TargetList[0].GetResTarget().GetVal().GetTypeCast(); tc != nil {
				tn = tc.TypeName
			}
		}
	}
	if tn == nil {
		return 0, pgerr.New(pgerr.SyntaxError, "invalid type name \"%s\"", s)
	}
	var names []string
	for _, p := range tn.Names {
		names = append(names, p.GetString_().Sval)
	}
	qualifier, name := "", names[len(names)-1]
	if len(names) > 1 {
		qualifier = names[len(names)-2]
	}
	oid, err := n.typeNamed(qualifier, name)
	if err != nil {
		return 0, pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", strings.TrimSpace(s))
	}
	if len(tn.ArrayBounds) > 0 {
		for arr, t := range n.types {
			if t.elem == oid {
				return arr, nil
			}
		}
		return 0, pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", strings.TrimSpace(s))
	}
	return oid, nil
}

// typeNamed finds the type name in the namespace qualifier, or on the
// search path: pg_type's names first, then the SQL names of the
// built-in types (integer, character varying, ...).
func (n *catalogNames) typeNamed(qualifier, name string) (uint32, error) {
	path, err := n.searchNamespaces(qualifier, false)
	if err != nil {
		return 0, err
	}
	for _, ns := range path {
		if oid, ok := n.typeByName[nsName{ns, name}]; ok {
			return oid, nil
		}
	}
	if qualifier == "" || qualifier == pgcatalog.PgCatalog {
		if t, err := catalog.TypeByName(name, nil); err == nil && t.Kind != catalog.Unknown {
			return t.OID(), nil
		}
	}
	return 0, pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", name)
}
