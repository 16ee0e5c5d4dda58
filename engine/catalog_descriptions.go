package engine

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/catalog/pgcatalog"
)

// descriptionKey finds a row of pg_description.
type descriptionKey struct {
	objoid, classoid uint32
	objsubid         int32
}

// descriptions indexes pg_description, once per catalogNames: the bki's
// descriptions of built-in objects and the comments of the database's,
// so that obj_description and col_description read exactly what the
// catalog shows.
type descriptions struct {
	loaded bool
	err    error
	byKey  map[descriptionKey]string
	// byObject is the first description of each object (objsubid 0),
	// whatever its catalog, for obj_description's one-argument form.
	byObject map[uint32]string
}

// description is the pg_description text of object objoid of the
// system catalog named catalogName (pg_class, pg_proc, ...; "" for any)
// and its sub-object objsubid, or nil.
func (n *catalogNames) description(objoid uint32, catalogName string, objsubid int32) (catalog.Datum, error) {
	d := &n.descriptions
	if !d.loaded {
		d.loaded = true
		d.byKey, d.byObject = map[descriptionKey]string{}, map[uint32]string{}
		d.err = eachCatalogRow(n.db, "pg_description", []string{"objoid", "classoid", "objsubid", "description"}, func(v []catalog.Datum) {
			k := descriptionKey{u32(v[0]), u32(v[1]), v[2].(int32)}
			d.byKey[k] = str(v[3])
			if _, seen := d.byObject[k.objoid]; !seen && k.objsubid == 0 {
				d.byObject[k.objoid] = str(v[3])
			}
		})
	}
	if d.err != nil {
		return nil, d.err
	}
	text, ok := "", false
	if catalogName == "" {
		text, ok = d.byObject[objoid]
	} else {
		classoid, found := n.classByName[nsName{pgcatalog.PgCatalogOID, catalogName}]
		if !found {
			return nil, nil
		}
		text, ok = d.byKey[descriptionKey{objoid, classoid, objsubid}]
	}
	if !ok {
		return nil, nil
	}
	return text, nil
}
