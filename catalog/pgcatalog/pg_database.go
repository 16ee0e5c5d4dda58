package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// pg_database: the database the session is connected to, and
// PostgreSQL's template databases, which every cluster has (template0
// refuses connections). Encoding UTF8, the C.UTF-8 locale of the
// libc provider, the default tablespace, no connection limit.
var _ = makesRows("pg_database", pgDatabaseRows)

// The OIDs initdb gives the template databases.
const (
	template1OID = 1
	template0OID = 4
)

const (
	utf8Encoding         = 6
	defaultTablespaceOID = 1663
	databaseLocale       = "C.UTF-8"
)

func pgDatabaseRows(db Database) ([][]catalog.Datum, error) {
	templateACL := catalog.ArrayValue{"=c/" + db.BootstrapUser(), db.BootstrapUser() + "=CTc/" + db.BootstrapUser()}
	row := func(oid uint32, name string, template, allowConn bool, acl catalog.Datum) []catalog.Datum {
		return []catalog.Datum{oid, name, uint32(BootstrapSuperuserOID), int32(utf8Encoding), "c", template, allowConn,
			int32(-1), uint32(716), uint32(1), uint32(defaultTablespaceOID), databaseLocale, databaseLocale, nil, nil, acl}
	}
	return [][]catalog.Datum{
		row(DatabaseOID, db.DatabaseName(), false, true, nil),
		row(template1OID, "template1", true, true, templateACL),
		row(template0OID, "template0", true, false, templateACL),
	}, nil
}
