package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// information_schema.domains: the domains, each with its base type
// described as columns describes a column's.
var _ = addsRelation(&Relation{OID: 13320, Schema: InformationSchema, Name: "domains", Columns: informationSchemaColumns["domains"], rows: func(db Database) ([][]catalog.Datum, error) {
	users := userTypesByOID(db)
	dbName := db.DatabaseName()
	var rows [][]catalog.Datum
	eachDomain(db, func(schema string, u *catalog.UserType) {
		ct := typeOf(u.Domain.Base, users)
		var deflt catalog.Datum
		if u.Domain.Default != "" {
			deflt = db.DeparseDomainDefault(u)
		}
		rows = append(rows, []catalog.Datum{dbName, schema, u.Name, ct.dataType, ct.charMaxLength, ct.charOctetLength,
			nil, nil, nil, nil, nil, nil, ct.numericPrecision, ct.numericRadix, ct.numericScale, ct.datetimePrecision,
			ct.intervalType, nil, deflt, dbName, ct.udtSchema, ct.udtName, nil, nil, nil, nil, "1"})
	})
	return rows, nil
}})
