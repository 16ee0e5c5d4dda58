package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// information_schema.domains: the domains, each with its base type
// described as columns describes a column's.
var _ = addsRelation(&Relation{OID: 13320, Schema: InformationSchema, Name: "domains", Columns: []catalog.Column{
	{Name: "domain_catalog", Type: sqlIdentifier},
	{Name: "domain_schema", Type: sqlIdentifier},
	{Name: "domain_name", Type: sqlIdentifier},
	{Name: "data_type", Type: characterData},
	{Name: "character_maximum_length", Type: cardinalNumber},
	{Name: "character_octet_length", Type: cardinalNumber},
	{Name: "character_set_catalog", Type: sqlIdentifier},
	{Name: "character_set_schema", Type: sqlIdentifier},
	{Name: "character_set_name", Type: sqlIdentifier},
	{Name: "collation_catalog", Type: sqlIdentifier},
	{Name: "collation_schema", Type: sqlIdentifier},
	{Name: "collation_name", Type: sqlIdentifier},
	{Name: "numeric_precision", Type: cardinalNumber},
	{Name: "numeric_precision_radix", Type: cardinalNumber},
	{Name: "numeric_scale", Type: cardinalNumber},
	{Name: "datetime_precision", Type: cardinalNumber},
	{Name: "interval_type", Type: characterData},
	{Name: "interval_precision", Type: cardinalNumber},
	{Name: "domain_default", Type: characterData},
	{Name: "udt_catalog", Type: sqlIdentifier},
	{Name: "udt_schema", Type: sqlIdentifier},
	{Name: "udt_name", Type: sqlIdentifier},
	{Name: "scope_catalog", Type: sqlIdentifier},
	{Name: "scope_schema", Type: sqlIdentifier},
	{Name: "scope_name", Type: sqlIdentifier},
	{Name: "maximum_cardinality", Type: cardinalNumber},
	{Name: "dtd_identifier", Type: sqlIdentifier},
}, rows: func(db Database) ([][]catalog.Datum, error) {
	users := userTypesByOID(db)
	dbName := db.DatabaseName()
	var rows [][]catalog.Datum
	for _, s := range db.Schemas() {
		for _, u := range db.UserTypes(s.Name) {
			if u.Domain == nil {
				continue
			}
			ct := typeOf(u.Domain.Base, users)
			var deflt catalog.Datum
			if u.Domain.Default != "" {
				deflt = u.Domain.Default
			}
			rows = append(rows, []catalog.Datum{dbName, s.Name, u.Name, ct.dataType, ct.charMaxLength, ct.charOctetLength,
				nil, nil, nil, nil, nil, nil, ct.numericPrecision, ct.numericRadix, ct.numericScale, ct.datetimePrecision,
				ct.intervalType, nil, deflt, dbName, ct.udtSchema, ct.udtName, nil, nil, nil, nil, "1"})
		}
	}
	return rows, nil
}})
