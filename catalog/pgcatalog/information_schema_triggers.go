package pgcatalog

// information_schema.triggers is empty: pqdb has no triggers (foreign
// keys are checked without them, and PostgreSQL leaves its internal
// ones out of this view).
var _ = addsRelation(&Relation{OID: 13440, Schema: InformationSchema, Name: "triggers", Columns: informationSchemaColumns["triggers"], rows: emptyRows})
