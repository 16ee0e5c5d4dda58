package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// pg_description: the bki's descriptions of built-in objects, then the
// comments of the database's objects (COMMENT ON): schemas, tables and
// their columns (objsubid is the attnum), views and their columns,
// indexes, sequences, enums and domains. A comment on an object the bki describes
// (COMMENT ON SCHEMA public) takes the place of the bki's.
var _ = makesRows("pg_description", pgDescriptionRows)

type descriptionKey struct {
	objoid, classoid uint32
	objsubid         int32
}

func pgDescriptionRows(db Database) ([][]catalog.Datum, error) {
	var user [][]catalog.Datum
	add := func(objoid, classoid uint32, objsubid int, text string) {
		if text != "" {
			user = append(user, []catalog.Datum{objoid, classoid, int32(objsubid), text})
		}
	}
	for _, s := range db.Schemas() {
		add(s.OID, pgNamespaceClassOID, 0, s.Comment)
		for _, t := range db.Tables(s.Name) {
			add(uint32(t.ID), pgClassClassOID, 0, t.Comment)
			for i, c := range t.Columns {
				add(uint32(t.ID), pgClassClassOID, i+1, c.Comment)
			}
		}
		for _, v := range db.Views(s.Name) {
			add(uint32(v.ID), pgClassClassOID, 0, v.Comment)
			for i, name := range v.Columns {
				add(uint32(v.ID), pgClassClassOID, i+1, v.ColumnComments[name])
			}
		}
		for _, ix := range db.Indexes(s.Name) {
			add(uint32(ix.ID), pgClassClassOID, 0, ix.Comment)
		}
		for _, q := range db.Sequences(s.Name) {
			add(uint32(q.ID), pgClassClassOID, 0, q.Comment)
		}
		for _, u := range db.UserTypes(s.Name) {
			add(uint32(u.ID), pgTypeClassOID, 0, u.Comment)
		}
	}
	commented := map[descriptionKey]bool{}
	for _, r := range user {
		commented[descriptionKey{r[0].(uint32), r[1].(uint32), r[2].(int32)}] = true
	}
	boot, err := sharedBKIRows("pg_description")
	if err != nil {
		return nil, err
	}
	rows := make([][]catalog.Datum, 0, len(boot)+len(user))
	for _, r := range boot {
		if !commented[descriptionKey{r[0].(uint32), r[1].(uint32), r[2].(int32)}] {
			rows = append(rows, r)
		}
	}
	return append(rows, user...), nil
}
