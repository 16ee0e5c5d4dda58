package pgcatalog

import (
	"sync"

	"github.com/pqdb/pqdb/catalog"
)

// pg_proc: PostgreSQL's built-in functions that pqdb implements (by
// name: every overload of a name pqdb can call is listed), as the bki
// has them, and the support functions of the built-in types (input,
// output, binary I/O, modifiers, subscripting, analyze), which pg_type
// names: every function pg_type refers to is in pg_proc, as clients that
// join the two expect.
var _ = makesRows("pg_proc", pgProcRows)

func pgProcRows(db Database) ([][]catalog.Datum, error) {
	boot, err := sharedBKIRows("pg_proc")
	if err != nil {
		return nil, err
	}
	support, err := typeSupportProcs()
	if err != nil {
		return nil, err
	}
	implemented := implementedFunctions(db)
	var rows [][]catalog.Datum
	for _, r := range boot {
		if support[r[0].(uint32)] || implemented(r[1].(string)) {
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// typeSupportProcs are the OIDs of the functions pg_type's rows name.
var typeSupportProcs = sync.OnceValues(func() (map[uint32]bool, error) {
	rel := Lookup(PgCatalog, "pg_type")
	types, err := sharedBKIRows("pg_type")
	if err != nil {
		return nil, err
	}
	out := map[uint32]bool{}
	for _, col := range []string{"typsubscript", "typinput", "typoutput", "typreceive", "typsend", "typmodin", "typmodout", "typanalyze"} {
		k := rel.Column(col)
		for _, t := range types {
			if oid, _ := t[k].(uint32); oid != 0 {
				out[oid] = true
			}
		}
	}
	// The functions of enums and domains, which only user types name.
	for _, name := range []string{"enum_in", "enum_out", "enum_recv", "enum_send", "domain_in", "domain_recv"} {
		out[procOID(name)] = true
	}
	return out, nil
})

// implementedFunctions is db.ImplementsFunction asked once per name: the
// bki has up to dozens of overloads of one.
func implementedFunctions(db Database) func(name string) bool {
	known := map[string]bool{}
	return func(name string) bool {
		ok, seen := known[name]
		if !seen {
			ok = db.ImplementsFunction(name)
			known[name] = ok
		}
		return ok
	}
}
