package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// pg_authid: the bootstrap superuser (OID 10, initdb's "POSTGRES" named
// as the engine's bootstrap user), PostgreSQL's predefined roles, the
// roles created with CREATE ROLE, and the session's user when it is none
// of those (pqdb lets any user in where no role requires a password).
var _ = makesRows("pg_authid", pgAuthidRows)

func pgAuthidRows(db Database) ([][]catalog.Datum, error) {
	boot, err := bkiRows("pg_authid")
	if err != nil {
		return nil, err
	}
	bootstrap := db.BootstrapUser()
	seen := map[string]bool{}
	var rows [][]catalog.Datum
	for _, r := range boot {
		if r[0] == uint32(BootstrapSuperuserOID) {
			r[1] = bootstrap
		}
		seen[r[1].(string)] = true
		rows = append(rows, r)
	}
	for _, role := range db.Roles() {
		if seen[role.Name] {
			continue
		}
		seen[role.Name] = true
		var password catalog.Datum
		if role.Password != "" {
			password = role.Password
		}
		// CREATE ROLE ... SUPERUSER grants no other attribute, as in
		// PostgreSQL: pqdb keeps none of CREATEROLE, CREATEDB,
		// REPLICATION and BYPASSRLS.
		rows = append(rows, []catalog.Datum{RoleOID(role.Name, bootstrap), role.Name, role.Superuser, true,
			false, false, role.Login, false, false, int32(-1), password, nil})
	}
	if u := db.UserName(); !seen[u] {
		rows = append(rows, []catalog.Datum{RoleOID(u, bootstrap), u, true, true, true, true, true, false, true, int32(-1), nil, nil})
	}
	return rows, nil
}
