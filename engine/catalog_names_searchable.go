package engine

import (
	"strings"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// The objects of regconfig, regdictionary and regcollation (text search
// configurations and dictionaries, collations) are found by name along
// the search path, as regconfigin, regdictionaryin and regcollationin
// find them, and print qualified when not visible. pqdb has no text
// search: its pg_ts_config and pg_ts_dict hold PostgreSQL's bootstrap
// rows (simple), and pg_collation the collations pqdb has.

// searchable is a catalog's named objects, by OID and by namespace and
// name.
type searchable struct {
	byOID  map[uint32]namedObject
	byName map[nsName]uint32
	// what names the object kind in the error for a name that finds
	// nothing, and suffix follows the name there.
	what, suffix string
}

// searchableCatalogs are the catalogs of the reg* types above: their
// name and namespace columns, and how their errors name an object.
var searchableCatalogs = map[catalog.Kind]struct{ table, prefix, what, suffix string }{
	catalog.RegConfig:     {"pg_ts_config", "cfg", "text search configuration", ""},
	catalog.RegDictionary: {"pg_ts_dict", "dict", "text search dictionary", ""},
	catalog.RegCollation:  {"pg_collation", "coll", "collation", ` for encoding "UTF8"`},
}

// searchableOf indexes the catalog of reg* kind k, once per catalogNames.
func (n *catalogNames) searchableOf(k catalog.Kind) (*searchable, error) {
	if s, ok := n.searchables[k]; ok {
		return s, nil
	}
	c := searchableCatalogs[k]
	s := &searchable{byOID: map[uint32]namedObject{}, byName: map[nsName]uint32{}, what: c.what, suffix: c.suffix}
	err := eachCatalogRow(n.db, c.table, []string{"oid", c.prefix + "name", c.prefix + "namespace"}, func(v []catalog.Datum) {
		o := namedObject{name: str(v[1]), ns: u32(v[2])}
		s.byOID[u32(v[0])] = o
		s.byName[nsName{o.ns, o.name}] = u32(v[0])
	})
	if err != nil {
		return nil, err
	}
	if n.searchables == nil {
		n.searchables = map[catalog.Kind]*searchable{}
	}
	n.searchables[k] = s
	return s, nil
}

// searchableIO is the input and output functions of reg* kind k.
func (n *catalogNames) searchableIO(k catalog.Kind) regIO {
	return regIO{
		in: func(s string) (uint32, error) {
			objs, err := n.searchableOf(k)
			if err != nil {
				return 0, err
			}
			return n.searchableIn(objs, s)
		},
		out: func(oid uint32) string {
			objs, err := n.searchableOf(k)
			if err != nil {
				return unnamedOID(oid)
			}
			o, ok := objs.byOID[oid]
			if !ok {
				return unnamedOID(oid)
			}
			return n.qualified(o.ns, o.name, n.searchableFind(objs, "", o.name) == oid)
		},
	}
}

func (n *catalogNames) searchableIn(objs *searchable, s string) (uint32, error) {
	if oid, ok, err := numericOID(s); ok || s == "-" {
		return oid, err
	}
	parts, err := catalog.SplitRelationName(s)
	if err != nil {
		return 0, err
	}
	switch {
	case len(parts) > 3:
		return 0, pgerr.New(pgerr.SyntaxError, "improper qualified name (too many dotted names): %s", strings.Join(parts, "."))
	case len(parts) == 3 && parts[0] != n.database:
		return 0, pgerr.New(pgerr.FeatureNotSupported, "cross-database references are not implemented: %s", strings.Join(parts, "."))
	}
	qualifier, name := "", parts[len(parts)-1]
	if len(parts) > 1 {
		qualifier = parts[len(parts)-2]
	}
	if _, err := n.searchNamespaces(qualifier, false); err != nil {
		return 0, err
	}
	if oid := n.searchableFind(objs, qualifier, name); oid != 0 {
		return oid, nil
	}
	return 0, pgerr.New(pgerr.UndefinedObject, "%s \"%s\"%s does not exist", objs.what, strings.Join(parts, "."), objs.suffix)
}

// searchableFind is the OID of the object named name in the namespace
// qualifier, or the first one along the search path; 0 when none is.
func (n *catalogNames) searchableFind(objs *searchable, qualifier, name string) uint32 {
	path, err := n.searchNamespaces(qualifier, false)
	if err != nil {
		return 0
	}
	for _, ns := range path {
		if oid, ok := objs.byName[nsName{ns, name}]; ok {
			return oid
		}
	}
	return 0
}
